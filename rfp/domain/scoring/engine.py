"""The scoring engine: DESIGN.md's "Scoring rules", "Cost" and "References" in one pass.

`score_evaluation(ScoringInput) -> Result` is a pure function. It never raises on
incomplete data: gaps make a vendor `complete: False` with the reasons listed, because
a procurement team needs provisional figures while scoring is still under way.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from rfp.domain.scoring.benchmarks import REFERENCE_CALLS_EXPECTED
from rfp.domain.scoring.cost import score_costs
from rfp.domain.scoring.model import Criterion, Question, ScoringInput, Vendor, band_score
from rfp.domain.scoring.normalisation import normalise_counted
from rfp.domain.scoring.ranking import TIE_TOLERANCE, competition_order
from rfp.domain.scoring.result import (
    AbstainedScore,
    CostResult,
    Dispersion,
    Flag,
    MissingScore,
    ReferenceSummary,
    Result,
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


def _aggregate(values: list[float], how: str) -> float:
    if how == "median":
        return statistics.median(values)
    return math.fsum(values) / len(values)


def scored_question_criteria(inp: ScoringInput) -> dict[str, str]:
    """{question key: criterion key} of the questions evaluators score (kind scored and
    not quantitative)."""
    return {
        q.key: c.key
        for c in inp.criteria
        for q in c.questions
        if q.kind == "scored" and not q.computed
    }


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
    scored_by_criterion: dict[str, list[Question]] = {
        c.key: [q for q in c.questions if q.kind == "scored"] for c in inp.criteria
    }
    knockouts = [q.key for c in inp.criteria for q in c.questions if q.kind == "knockout"]
    raw = counted_scores(inp)
    abstained = abstained_evaluators(inp)
    # What the aggregate reads: the raw scores, or with the evaluation's setting, each
    # evaluator rescaled to the panel. Dispersion always reads the raw scores.
    aggregated = (
        normalise_counted(raw, scale.lo, scale.hi) if settings.normalise_evaluators else raw
    )

    consensus = {(c.vendor, c.question): c.value for c in inp.consensus}

    # Dispersion: range of raw scores, flagged at or above the threshold.
    dispersion: list[Dispersion] = []
    for (vendor, question), by_evaluator in raw.items():
        if len(by_evaluator) < 2:
            continue
        spread = max(by_evaluator.values()) - min(by_evaluator.values())
        dispersion.append(
            Dispersion(
                vendor=vendor,
                question=question,
                scores=dict(sorted(by_evaluator.items())),
                spread=spread,
                # At or above, to within the tie tolerance: 0.3 - 0.1 is 0.1999...
                flagged=spread >= settings.dispersion_threshold - TIE_TOLERANCE,
                resolved=(vendor, question) in consensus,
            )
        )
    dispersion.sort(key=lambda d: (-d.spread, d.vendor, d.question))
    flagged_by_vendor: dict[str, list[Dispersion]] = defaultdict(list)
    for d in dispersion:
        if d.flagged:
            flagged_by_vendor[d.vendor].append(d)

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

    weights = normalised_weights(inp.criteria)
    unranked: list[VendorResult] = []
    for v in inp.vendors:
        question_scores: dict[str, float | None] = {}
        criterion_scores: dict[str, float] = {}
        reasons: list[str] = []
        missing: list[MissingScore] = []
        calls = calls_by_vendor.get(v.key, [])
        references = ReferenceSummary(
            calls=len(calls),
            score=math.fsum(r for r, _ in calls) / len(calls) if calls else None,
            would_sign_again={
                answer: sum(1 for _, a in calls if a == answer)
                for answer in ("yes", "no", "unsure")
            },
        )
        for c in inp.criteria:
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
            pairs: list[tuple[float, float]] = []
            for q in scored_by_criterion[c.key]:
                if q.computed:
                    score = _computed_question_score(v, q, consensus, inp, reasons)
                else:
                    score = _question_score(
                        v.key,
                        q.key,
                        c.key,
                        aggregated,
                        consensus,
                        inp,
                        settings.aggregation,
                        missing,
                        abstained.get((v.key, q.key), {}),
                    )
                question_scores[q.key] = score
                if score is not None:
                    pairs.append((score, q.weight))
            criterion_score = weighted_mean(pairs)
            if criterion_score is None:
                criterion_scores[c.key] = 0.0
                reasons.append(f"criterion {c.key} has no score")
            else:
                criterion_scores[c.key] = criterion_score
        if missing:
            reasons.append(f"{len(missing)} score(s) missing")
        reasons.extend(f"knockout {k} unanswered" for k in unanswered[v.key])
        total = math.fsum(criterion_scores[c.key] * weights[c.key] for c in inp.criteria)
        total = min(100.0, max(0.0, total))  # normalised weights may sum to 1 + 1 ulp

        flags: list[Flag] = [
            Flag(
                "dispersion",
                f"Evaluators' scores on {d.question} range over {d.spread:g} points"
                + (" (consensus recorded)" if d.resolved else ""),
                question=d.question,
                detail={"range": d.spread, "scores": d.scores, "resolved": d.resolved},
            )
            for d in flagged_by_vendor.get(v.key, [])
        ]
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
                questions=question_scores,
                complete=not reasons,
                missing=tuple(missing),
                incomplete_reasons=tuple(reasons),
                disqualified=bool(failed[v.key]),
                failed_knockouts=failed[v.key],
                unanswered_knockouts=unanswered[v.key],
                cost=costs.get(v.key),
                references=references,
                flags=tuple(flags),
                delivery_model=v.delivery_model,
                abstentions=vendor_abstentions(inp, v.key, abstained),
            )
        )

    return Result(
        vendors=_rank(unranked),
        weights=weights,
        dispersion=tuple(dispersion),
        min_tco=min_tco,
        max_tco=max_tco,
    )


def _question_score(
    vendor: str,
    question: str,
    criterion: str,
    raw: dict[tuple[str, str], dict[str, float]],
    consensus: dict[tuple[str, str], float],
    inp: ScoringInput,
    aggregation: str,
    missing: list[MissingScore],
    abstained: Mapping[str, str],
) -> float | None:
    """A question's 0..100 score for a vendor, noting expected scores not yet entered
    (an evaluator who abstained on it is not expected)."""
    given = raw.get((vendor, question), {})
    agreed = consensus.get((vendor, question))
    if agreed is None:
        for e in inp.evaluators:
            if e.key in given or (e.key, vendor) in inp.conflicts or e.key in abstained:
                continue
            if e.criteria is None or criterion in e.criteria:
                missing.append(MissingScore(question=question, evaluator=e.key))
        if not given:
            return None
        # Normalisation is affine and increasing, so the mean (or median) of normalised
        # scores is the normalised mean (or median): aggregate first, normalise once.
        return inp.scale.normalise(_aggregate(list(given.values()), aggregation))
    return inp.scale.normalise(agreed)


def _computed_question_score(
    vendor: Vendor,
    question: Question,
    consensus: dict[tuple[str, str], float],
    inp: ScoringInput,
    reasons: list[str],
) -> float | None:
    """A quantitative question's 0..100 score: the band the vendor's number falls in.

    No evaluator score is expected. A consensus score, recorded with a rationale, still
    replaces the computed one (for a number found to be wrong after checking).
    """
    agreed = consensus.get((vendor.key, question.key))
    if agreed is not None:
        return inp.scale.normalise(agreed)
    number = vendor.numbers.get(question.key)
    if number is None:
        reasons.append(f"no number for {question.key}")
        return None
    assert question.bands is not None
    score = band_score(number, question.bands)
    if score is None:
        reasons.append(f"number {number:g} for {question.key} matches no band")
        return None
    return inp.scale.normalise(score)


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
