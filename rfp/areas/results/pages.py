"""The results page's view model: the engine's Result turned into rows for the template.

Pure functions of the result and the texts beside it (no Flask, no database), so every
decision a reader sees — what is provisional and why, which flags apply — is made here
and tested here, and the template only lays it out. Who is recommended, and in which
words, comes from `rfp.domain.recommendation`, as in the PDF summary. Numbers stay
numbers: the template shows them with the shared `score` and `money` filters, the same
functions the console table and the reports use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rfp.areas.results.chart import Chart, build_chart
from rfp.areas.results.cost import CostRow, CostSummary, cost_row, cost_summary
from rfp.areas.results.queries import EvaluationResults, QuestionText
from rfp.domain.amendments import mark_text, sentences
from rfp.domain.formatting import when
from rfp.domain.numbering import number_objects
from rfp.domain.recommendation import Recommendation, recommend
from rfp.domain.scoring.result import Result, VendorResult
from rfp.domain.vocabulary import CriterionKind, SignAgain

REFERENCE_FLAG_KINDS = ("references_few", "references_would_not_sign")
DISPERSION_ROWS_SHOWN = 30  # the rest are on each vendor's page
MISSING_SHOWN = 8  # questions listed per (vendor, evaluator) on the results page


@dataclass(frozen=True)
class CriterionColumn:
    key: str
    name: str
    kind: str
    share: float  # normalised weight, 0..1


@dataclass(frozen=True)
class RankingRow:
    key: str
    name: str
    href: str
    rank: int | None
    total: float
    scores: tuple[float, ...]  # in the columns' order
    provisional: bool
    disqualified: bool
    failed_knockouts: tuple[str, ...]  # question texts
    delivery_model: str | None
    amended: str = ""  # the mark of a bid amended after unsealing ("" when none)
    amended_by_lead: bool = False


@dataclass(frozen=True)
class AmendmentNote:
    """One amendment of a vendor's frozen response, in the product's one wording."""

    vendor: str
    href: str
    sentence: str  # "Price amended by the lead after unsealing: $2.35 → $1.95 per contact, ..."
    by_lead: bool
    after_unsealing: bool
    by: str
    at: str


def amendment_notes(
    vendor: VendorResult,
    href: str,
    questions: Mapping[str, QuestionText],
    pricing_model: str | None,
) -> tuple[AmendmentNote, ...]:
    """A vendor's amendments (oldest first) as the results pages list them."""
    texts = {key: q.text for key, q in questions.items()}
    units = {key: q.unit for key, q in questions.items()}
    lines = sentences(vendor.amendments, texts, pricing_model=pricing_model, units=units)
    return tuple(
        AmendmentNote(
            vendor=vendor.name,
            href=href,
            sentence=line,
            by_lead=a.by_lead,
            after_unsealing=a.after_unsealing,
            by=a.by,
            at=when(datetime.fromisoformat(a.at)),
        )
        for a, line in zip(vendor.amendments, lines, strict=True)
    )


@dataclass(frozen=True)
class ProvisionalNote:
    name: str
    href: str
    missing_count: int
    missing: tuple[tuple[str, tuple[str, ...], int], ...]  # (evaluator, questions, not shown)
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AbstentionNote:
    """A vendor's abstentions: evaluators who could not judge a question (neither a
    score nor missing)."""

    name: str
    href: str
    entries: tuple[tuple[str, str, str | None], ...]  # (evaluator, question, reason or None)


@dataclass(frozen=True)
class DispersionRow:
    vendor: str
    href: str
    question: str
    criterion: str
    spread: float
    scores: tuple[tuple[str, float], ...] | None  # (evaluator, raw score); None: withheld
    resolved: bool


@dataclass(frozen=True)
class ReferenceRow:
    name: str
    href: str
    calls: int
    score: float | None
    yes: int
    no: int
    unsure: int
    flags: tuple[tuple[str, str], ...]  # (kind, message)


@dataclass(frozen=True)
class ResultsPage:
    columns: tuple[CriterionColumn, ...]
    weight_decimals: int
    recommendation: Recommendation
    awarded: str | None  # the awarded vendor's name, once decided
    ranking: tuple[RankingRow, ...]
    chart: Chart
    provisional: tuple[ProvisionalNote, ...]
    abstentions: tuple[AbstentionNote, ...]
    cost: CostSummary | None
    cost_rows: tuple[CostRow, ...]
    dispersion: tuple[DispersionRow, ...]  # the first DISPERSION_ROWS_SHOWN
    dispersion_total: int
    dispersion_unresolved: int
    panel_visible: bool
    references: tuple[ReferenceRow, ...]
    reference_calls_total: int
    scale: tuple[float, float]
    aggregation: str
    threshold: float
    what_if: dict[str, Any]
    # Every amendment of a frozen response, vendors in ranking order.
    amendments: tuple[AmendmentNote, ...] = ()

    @property
    def amended_by_lead_after_unsealing(self) -> bool:
        return any(a.by_lead and a.after_unsealing for a in self.amendments)


def scale_points(value: float) -> str:
    """A raw score on the evaluation's scale, as evaluators entered it (4, 3.5)."""
    return f"{value:g}"


def weight_decimals(shares: Sequence[float]) -> int:
    """0 when every share is a whole percentage, else 1: "20 %" but "16.7 %"."""
    return 0 if all(abs(100 * s - round(100 * s)) < 1e-6 for s in shares) else 1


_CRITERION_REASON = re.compile(r"^criterion (?P<key>\S+) has no score$")
_KNOCKOUT_REASON = re.compile(r"^knockout (?P<key>\S+) unanswered$")
_MISSING_REASON = re.compile(r"^\d+ score\(s\) missing$")
_NO_NUMBER_REASON = re.compile(r"^no number for (?P<key>\S+)$")
_NO_BAND_REASON = re.compile(r"^number (?P<number>\S+) for (?P<key>\S+) matches no band$")


def reason_text(reason: str, criteria: Mapping[str, str], questions: Mapping[str, str]) -> str:
    """An engine incompleteness reason in the reader's words (names, not keys)."""
    if reason == "no price":
        return "No price quoted: cost scores 0"
    if reason == "no cost scope":
        return "The scope has no contact volumes: cost cannot be computed"
    if reason == "no reference call":
        return "No reference call recorded: references score 0"
    if match := _CRITERION_REASON.match(reason):
        key = match["key"]
        return f"{criteria.get(key, key)} has no score yet: it counts as 0"
    if match := _KNOCKOUT_REASON.match(reason):
        key = match["key"]
        return f"Knockout not answered: {questions.get(key, key)}"
    if match := _NO_NUMBER_REASON.match(reason):
        key = match["key"]
        return f"No number given for: {questions.get(key, key)}"
    if match := _NO_BAND_REASON.match(reason):
        key = match["key"]
        text = questions.get(key, key)
        return f"The number {match['number']} given for {text} matches no score band"
    return reason


def provisional_note(
    vendor: VendorResult,
    href: str,
    criteria: Mapping[str, str],
    questions: Mapping[str, str],
    evaluators: Mapping[str, str],
    limit: int | None = MISSING_SHOWN,
) -> ProvisionalNote:
    by_evaluator: dict[str, list[str]] = {}
    for missing in vendor.missing:
        by_evaluator.setdefault(missing.evaluator, []).append(
            questions.get(missing.question, missing.question)
        )
    listed = tuple(
        (
            evaluators.get(key, key),
            tuple(texts[:limit] if limit else texts),
            len(texts) - limit if limit and len(texts) > limit else 0,
        )
        for key, texts in by_evaluator.items()
    )
    reasons = tuple(
        reason_text(r, criteria, questions)
        for r in vendor.incomplete_reasons
        if not _MISSING_REASON.match(r)
    )
    return ProvisionalNote(vendor.name, href, len(vendor.missing), listed, reasons)


def abstention_note(
    vendor: VendorResult,
    href: str,
    questions: Mapping[str, str],
    evaluators: Mapping[str, str],
    *,
    with_reasons: bool,
) -> AbstentionNote:
    """Who abstained on which question of a vendor; the reasons only for a reader who
    may see the panel's comments."""
    return AbstentionNote(
        vendor.name,
        href,
        tuple(
            (
                evaluators.get(a.evaluator, a.evaluator),
                questions.get(a.question, a.question),
                a.reason if with_reasons else None,
            )
            for a in vendor.abstentions
        ),
    )


def build_results_page(
    data: EvaluationResults,
    hrefs: Mapping[str, str],
    *,
    panel_visible: bool,
    awarded_vendor_id: int | None = None,
) -> ResultsPage:
    result = data.result
    inp = data.scoring_input
    columns = tuple(
        CriterionColumn(c.key, c.name, c.kind, result.weights[c.key]) for c in inp.criteria
    )
    criterion_names = {c.key: c.name for c in inp.criteria}
    numbering = number_objects(inp.criteria)
    question_texts = {key: numbering.label(key, q.text) for key, q in data.questions.items()}
    question_criterion = {key: q.criterion for key, q in data.questions.items()}
    evaluator_names = {e.key: e.name for e in inp.evaluators}
    vendor_names = {v.key: v.name for v in inp.vendors}
    pricing = {v.key: v.pricing for v in inp.vendors}

    ranking = tuple(
        RankingRow(
            key=v.key,
            name=v.name,
            href=hrefs.get(v.key, ""),
            rank=v.rank,
            total=v.total,
            scores=tuple(v.criteria[c.key] for c in columns),
            provisional=not v.complete,
            disqualified=v.disqualified,
            failed_knockouts=tuple(question_texts.get(k, k) for k in v.failed_knockouts),
            delivery_model=v.delivery_model,
            amended=mark_text(v.amendments),
            amended_by_lead=any(a.by_lead for a in v.amended_after_unsealing),
        )
        for v in result.vendors
    )
    amendments = tuple(
        note
        for v in result.vendors
        for note in amendment_notes(
            v,
            hrefs.get(v.key, ""),
            data.questions,
            pricing[v.key].model if pricing.get(v.key) else None,
        )
    )
    provisional = tuple(
        provisional_note(v, hrefs.get(v.key, ""), criterion_names, question_texts, evaluator_names)
        for v in result.vendors
        if not v.complete
    )

    abstentions = tuple(
        abstention_note(
            v, hrefs.get(v.key, ""), question_texts, evaluator_names, with_reasons=panel_visible
        )
        for v in result.vendors
        if v.abstentions
    )

    cost = cost_summary(data)
    cost_rows = (
        tuple(cost_row(v, pricing.get(v.key), hrefs) for v in result.vendors) if cost else ()
    )

    # Open disagreements first, widest first; among equals, those on the leaders.
    position = {v.key: i for i, v in enumerate(result.vendors)}
    flagged = sorted(
        result.flagged_dispersion,
        key=lambda d: (d.resolved, -d.spread, position.get(d.vendor, 0)),
    )
    dispersion = tuple(
        DispersionRow(
            vendor=vendor_names.get(d.vendor, d.vendor),
            href=hrefs.get(d.vendor, ""),
            question=question_texts.get(d.question, d.question),
            criterion=criterion_names.get(question_criterion.get(d.question, ""), ""),
            spread=d.spread,
            scores=(
                tuple((evaluator_names.get(k, k), value) for k, value in d.scores.items())
                if panel_visible
                else None
            ),
            resolved=d.resolved,
        )
        for d in flagged[:DISPERSION_ROWS_SHOWN]
    )

    has_references = any(c.kind == CriterionKind.REFERENCES for c in inp.criteria)
    references = tuple(
        ReferenceRow(
            name=v.name,
            href=hrefs.get(v.key, ""),
            calls=v.references.calls,
            score=v.references.score,
            yes=v.references.would_sign_again.get(SignAgain.YES, 0),
            no=v.references.would_sign_again.get(SignAgain.NO, 0),
            unsure=v.references.would_sign_again.get(SignAgain.UNSURE, 0),
            flags=tuple((f.kind, f.message) for f in v.flags if f.kind in REFERENCE_FLAG_KINDS),
        )
        for v in result.vendors
        if has_references
    )
    awarded = next((k for k, vid in data.vendor_ids.items() if vid == awarded_vendor_id), None)
    return ResultsPage(
        columns=columns,
        weight_decimals=weight_decimals([c.share for c in columns]),
        recommendation=recommend(result),
        awarded=vendor_names.get(awarded) if awarded else None,
        ranking=ranking,
        chart=build_chart(
            result.vendors, [(c.key, c.name) for c in columns], result.weights, hrefs
        ),
        provisional=provisional,
        abstentions=abstentions,
        cost=cost,
        cost_rows=cost_rows,
        dispersion=dispersion,
        dispersion_total=len(flagged),
        dispersion_unresolved=sum(1 for d in flagged if not d.resolved),
        panel_visible=panel_visible,
        references=references,
        reference_calls_total=sum(v.references.calls for v in result.vendors),
        scale=(inp.scale.lo, inp.scale.hi),
        aggregation=inp.settings.aggregation,
        threshold=inp.settings.dispersion_threshold,
        what_if=what_if_data(result, columns),
        amendments=amendments,
    )


def what_if_data(result: Result, columns: Sequence[CriterionColumn]) -> dict[str, Any]:
    """What a browser-side what-if needs to re-rank: criterion scores do not depend on
    the criterion weights, so total = sum(score x weight) / sum(weights) re-ranks
    exactly as the engine would (qualified first, ties within 1e-9 share a rank)."""
    return {
        "criteria": [{"key": c.key, "name": c.name, "weight": c.share} for c in columns],
        "vendors": [
            {
                "key": v.key,
                "name": v.name,
                "rank": v.rank,
                "total": v.total,
                "disqualified": v.disqualified,
                "complete": v.complete,
                "criteria": dict(v.criteria),
            }
            for v in result.vendors
        ],
    }


def withhold_panel_scores(doc: dict[str, Any]) -> dict[str, Any]:
    """`Result.to_json()` without who gave which raw score, for a reader who may not see
    the panel's individual scores yet: the `scores` of dispersion entries and dispersion
    flags go, and the reasons of abstentions (the panel's own words, as comments are);
    their range, flagged and resolved stay, and who abstained where, as who has not
    scored yet. Changes `doc` in place."""
    for entry in doc["dispersion"]:
        entry.pop("scores", None)
    for vendor in doc["vendors"]:
        for flag in vendor["flags"]:
            if flag["type"] == "dispersion":
                flag.pop("scores", None)
        for abstention in vendor.get("abstentions", ()):
            abstention.pop("reason", None)
    return doc
