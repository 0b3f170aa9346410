"""The scoring engine: DESIGN.md's "Scoring rules", "Cost" and "References" in one pass.

`score_evaluation(ScoringInput) -> Result` is a pure function. It never raises on
incomplete data: gaps make a vendor `complete: False` with the reasons listed, because
a procurement team needs provisional figures while scoring is still under way.

The evaluators' scores are indexed once into a vendor x question x evaluator cube
(`panel`), and everything per (vendor, question) is taken from it at once with numpy:
dispersion (`dispersion`), question scores, criterion means and missing pairs
(`questions`). The figures are the very floats the former pure-Python engine gave
(tests/domain/scoring/reference_engine.py is kept as the oracle): the same sums
(`math.fsum`, or numpy's where every partial sum is exact), in the same order where
order matters.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from rfp.domain.pilot import PilotResult, assess_pilot
from rfp.domain.scoring.benchmarks import REFERENCE_CALLS_EXPECTED
from rfp.domain.scoring.cost import score_costs, split_cost
from rfp.domain.scoring.dispersion import counted_dispersion, dispersion_flags, panel_dispersion
from rfp.domain.scoring.model import Criterion, ScoringInput
from rfp.domain.scoring.normalisation import normalise_counted, normalise_panel
from rfp.domain.scoring.panel import (
    BoolArray,
    FloatArray,
    Panel,
    aggregate,
    index_scores,
    scored_question_criteria,
)
from rfp.domain.scoring.questions import (
    consensus_cells,
    criterion_means,
    missing_scores,
    normalise,
    question_sheet,
)
from rfp.domain.scoring.ranking import competition_order
from rfp.domain.scoring.result import (
    AbstainedScore,
    CostResult,
    Flag,
    ReferenceSummary,
    Result,
    SplitCost,
    VendorResult,
)


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of values weighted by weights normalised over the pairs given (value, weight)."""
    pairs = list(pairs)
    total_weight = math.fsum(w for _v, w in pairs)
    if not pairs or total_weight <= 0:
        return None
    mean = math.fsum(v * w for v, w in pairs) / total_weight
    # Rounding can put the mean an ulp outside its values (100.00000000000001 from
    # weights like 0.1 and 0.7); a weighted mean never leaves [min, max].
    return min(max(mean, min(v for v, _w in pairs)), max(v for v, _w in pairs))


def normalised_weights(criteria: Iterable[Criterion]) -> dict[str, float]:
    criteria = list(criteria)
    total = math.fsum(c.weight for c in criteria)
    return {c.key: (c.weight / total if total > 0 else 0.0) for c in criteria}


def counted_scores(inp: ScoringInput) -> dict[tuple[str, str], dict[str, float]]:
    """Raw evaluator scores per (vendor, question), only those the rules count.

    An active evaluator, no conflict with the vendor, a scored question inside their
    criteria, and not a quantitative question (those are scored from the vendor's number).
    Returns {(vendor, question): {evaluator: raw score}}.
    """
    criterion_of = scored_question_criteria(inp)
    vendor_keys = {v.key for v in inp.vendors}
    limits = {e.key: e.criteria for e in inp.evaluators}
    conflicts = inp.conflicts
    raw: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    # The hot loop of a large evaluation (tens of thousands of scores): locals only.
    for s in inp.scores:
        evaluator, vendor, question = s.evaluator, s.vendor, s.question
        criterion = criterion_of.get(question)
        if criterion is None or evaluator not in limits or vendor not in vendor_keys:
            continue
        limit = limits[evaluator]
        if limit is not None and criterion not in limit:
            continue
        if conflicts and (evaluator, vendor) in conflicts:
            continue
        raw[(vendor, question)][evaluator] = s.value
    return raw


def abstained_evaluators(inp: ScoringInput) -> dict[tuple[str, str], dict[str, str]]:
    """The abstentions the rules count, per (vendor, question): {evaluator: reason}.

    Counted where a score would be (an active evaluator, no conflict with the vendor, a
    scored question inside their criteria, not a quantitative one). An abstention takes
    its evaluator out of the scores expected on that vendor and question (rule 5): it is
    neither a score nor missing.
    """
    if not inp.abstentions:
        return {}
    criterion_of = scored_question_criteria(inp)
    vendor_keys = {v.key for v in inp.vendors}
    limits = {e.key: e.criteria for e in inp.evaluators}
    out: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for a in inp.abstentions:
        criterion = criterion_of.get(a.question)
        if criterion is None or a.evaluator not in limits or a.vendor not in vendor_keys:
            continue
        limit = limits[a.evaluator]
        if limit is not None and criterion not in limit:
            continue
        if (a.evaluator, a.vendor) in inp.conflicts:
            continue
        out[(a.vendor, a.question)][a.evaluator] = a.reason
    return out


def vendor_abstentions(
    inp: ScoringInput, vendor: str, abstained: dict[tuple[str, str], dict[str, str]]
) -> tuple[AbstainedScore, ...]:
    """One vendor's abstentions, listed as its missing scores are: by question in the
    criteria's order, then by evaluator in the panel's order."""
    if not abstained:
        return ()
    order = [e.key for e in inp.evaluators]
    return tuple(
        AbstainedScore(question=q.key, evaluator=e, reason=by_evaluator[e])
        for c in inp.criteria
        for q in c.questions
        if (by_evaluator := abstained.get((vendor, q.key)))
        for e in order
        if e in by_evaluator
    )


def score_evaluation(inp: ScoringInput) -> Result:
    scale = inp.scale
    settings = inp.settings
    knockouts = [q.key for c in inp.criteria for q in c.questions if q.kind == "knockout"]
    abstained = abstained_evaluators(inp)
    consensus = {(c.vendor, c.question): c.value for c in inp.consensus}

    panel = index_scores(inp)
    agreed = consensus_cells(panel, consensus)
    if panel.as_given is not None:
        dispersion, flags_by_vendor = panel_dispersion(
            panel, agreed.has, settings.dispersion_threshold
        )
    else:
        dispersion = counted_dispersion(
            counted_scores(inp), consensus, settings.dispersion_threshold
        )
        flags_by_vendor = dispersion_flags(dispersion)

    # What the aggregate reads: the raw scores, or with the evaluation's setting, each
    # evaluator rescaled to the panel. Dispersion always reads the raw scores.
    values = panel.values
    if settings.normalise_evaluators:
        values = normalise_panel(values, panel.present, scale.lo, scale.hi)
    # Normalisation is affine and increasing, so the mean (or median) of normalised
    # scores is the normalised mean (or median): aggregate first, normalise once.
    if settings.aggregation == "median" and _negative_zeros(values, panel.present):
        # Which zero is the middle one depends on the order the scores came in, which
        # the cube does not keep: take these medians as the scores were given.
        aggregated = normalise(scale, _medians_as_given(inp, panel))
    else:
        aggregated = normalise(scale, aggregate(values, panel.present, settings.aggregation))
    scored = panel.present.any(axis=2)
    question_score = np.where(agreed.has, normalise(scale, agreed.value), aggregated)
    has_question_score = agreed.has | scored

    # Knockouts first: qualification decides the pool the cost formula is taken over.
    failed: dict[str, tuple[str, ...]] = {}
    unanswered: dict[str, tuple[str, ...]] = {}
    for v in inp.vendors:
        failed[v.key] = tuple(k for k in knockouts if v.knockouts.get(k) is False)
        unanswered[v.key] = tuple(k for k in knockouts if k not in v.knockouts)
    qualified = {key for key, fails in failed.items() if not fails}

    costs: dict[str, CostResult] = {}
    cost_flags: dict[str, list[Flag]] = {}
    min_tco = max_tco = None
    if inp.cost_scope is not None:
        priced = {
            v.key: (v.pricing, v.delivery_model) for v in inp.vendors if v.pricing is not None
        }
        costs, cost_flags, min_tco, max_tco = score_costs(
            priced,
            qualified,
            inp.cost_scope,
            settings.price_formula,
            settings.price_zero_multiple,
        )

    calls_by_vendor: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for call in inp.references:
        calls_by_vendor[call.vendor].append((scale.normalise(call.rating), call.would_sign_again))
    has_references_criterion = any(c.kind == "references" for c in inp.criteria)

    sheet = question_sheet(inp, panel, question_score, has_question_score, consensus)
    missing_by_row = missing_scores(inp, panel, agreed.has, sheet, abstained)
    block_scores = criterion_means(sheet)
    question_scores = sheet.scores()
    cube_row = {key: i for i, key in enumerate(panel.vendors)}
    weights = normalised_weights(inp.criteria)
    unranked: list[VendorResult] = []
    for i, v in enumerate(inp.vendors):
        criterion_scores: dict[str, float] = {}
        reasons: list[str] = []
        calls = calls_by_vendor.get(v.key, [])
        references = ReferenceSummary(
            calls=len(calls),
            score=math.fsum(r for r, _ in calls) / len(calls) if calls else None,
            would_sign_again={
                answer: sum(1 for _, a in calls if a == answer)
                for answer in ("yes", "no", "unsure")
            },
        )
        computed_reasons = sheet.reasons[i]
        for j, (c, block) in enumerate(zip(inp.criteria, sheet.blocks, strict=True)):
            if c.kind == "cost":
                if v.key in costs:
                    criterion_scores[c.key] = costs[v.key].score
                else:
                    criterion_scores[c.key] = 0.0
                    reasons.append("no price" if inp.cost_scope else "no cost scope")
                continue
            if c.kind == "references":
                criterion_scores[c.key] = references.score if references.score is not None else 0.0
                if references.score is None:
                    reasons.append("no reference call")
                continue
            if computed_reasons:
                reasons.extend(
                    computed_reasons[k]
                    for k in range(block.start, block.stop)
                    if k in computed_reasons
                )
            criterion_score = block_scores[i][j]
            if criterion_score is None:
                criterion_scores[c.key] = 0.0
                reasons.append(f"criterion {c.key} has no score")
            else:
                criterion_scores[c.key] = criterion_score
        missing = missing_by_row[cube_row[v.key]]
        if missing:
            reasons.append(f"{len(missing)} score(s) missing")
        reasons.extend(f"knockout {k} unanswered" for k in unanswered[v.key])
        total = math.fsum(criterion_scores[c.key] * weights[c.key] for c in inp.criteria)
        total = min(100.0, max(0.0, total))  # normalised weights may sum to 1 + 1 ulp

        flags = list(flags_by_vendor.get(v.key, ()))
        if has_references_criterion:
            flags.extend(reference_flags(references.calls, references.would_sign_again["no"]))
        flags.extend(cost_flags.get(v.key, []))

        unranked.append(
            VendorResult(
                key=v.key,
                name=v.name,
                rank=None,
                total=total,
                criteria=criterion_scores,
                questions=dict(zip(sheet.keys, question_scores[i], strict=True)),
                complete=not reasons,
                missing=missing,
                incomplete_reasons=tuple(reasons),
                disqualified=bool(failed[v.key]),
                failed_knockouts=failed[v.key],
                unanswered_knockouts=unanswered[v.key],
                cost=costs.get(v.key),
                references=references,
                flags=tuple(flags),
                delivery_model=v.delivery_model,
                amendments=v.amendments,
                abstentions=vendor_abstentions(inp, v.key, abstained),
            )
        )

    return Result(
        vendors=_rank(unranked),
        weights=weights,
        dispersion=tuple(dispersion),
        min_tco=min_tco,
        max_tco=max_tco,
        pilot=_pilot(inp),
        split=_split(inp),
    )


def _negative_zeros(values: FloatArray, present: BoolArray) -> bool:
    """Whether a counted score is -0.0 (a zero with a sign, as "-0" parses)."""
    return bool((present & (values == 0) & np.signbit(values)).any())


def _pilot(inp: ScoringInput) -> PilotResult | None:
    """The pilot's scorecard and proposed verdicts (rfp.domain.pilot), when one was run."""
    return assess_pilot(inp.pilot) if inp.pilot is not None else None


def _split(inp: ScoringInput) -> SplitCost | None:
    """A split award's blended TCO (rfp.domain.scoring.cost.split_cost), when there is one."""
    return split_cost(inp.award_shares, inp.vendors, inp.cost_scope)


def _medians_as_given(inp: ScoringInput, panel: Panel) -> FloatArray:
    """Each (vendor, question)'s median from `counted_scores` in the order given."""
    counted = counted_scores(inp)
    if inp.settings.normalise_evaluators:
        counted = normalise_counted(counted, inp.scale.lo, inp.scale.hi)
    v_index = {key: i for i, key in enumerate(panel.vendors)}
    q_index = {key: i for i, key in enumerate(panel.questions)}
    medians = np.zeros(panel.values.shape[:2])
    for (vendor, question), by_evaluator in counted.items():
        medians[v_index[vendor], q_index[question]] = statistics.median(by_evaluator.values())
    return medians


def reference_flags(calls: int, would_not_sign: int) -> list[Flag]:
    """The flags DESIGN.md asks for on a vendor's reference calls: fewer than three calls,
    any "no" to signing again. The one wording of them: the results, vendor and references
    pages and the reports all show these messages."""
    flags = []
    if calls < REFERENCE_CALLS_EXPECTED:
        how_many = (
            "No reference calls"
            if calls == 0
            else f"Only {calls} reference call{'' if calls == 1 else 's'}"
        )
        flags.append(
            Flag(
                "references_few",
                f"{how_many}; talk to {REFERENCE_CALLS_EXPECTED} customers in similar businesses",
                detail={"calls": calls},
            )
        )
    if would_not_sign:
        flags.append(
            Flag(
                "references_would_not_sign",
                f"{would_not_sign} reference{'' if would_not_sign == 1 else 's'} would not sign "
                "this contract again",
                detail={"no": would_not_sign},
            )
        )
    return flags


def _rank(vendors: list[VendorResult]) -> tuple[VendorResult, ...]:
    """Qualified vendors in competition rank order, then the disqualified without rank."""
    by_key = {v.key: v for v in vendors}
    qualified = [(v.key, v.name, v.total) for v in vendors if not v.disqualified]
    ordered = [replace(by_key[key], rank=rank) for key, rank in competition_order(qualified)]
    disqualified = sorted(
        (v for v in vendors if v.disqualified), key=lambda v: (-v.total, v.name, v.key)
    )
    return tuple(ordered + disqualified)
