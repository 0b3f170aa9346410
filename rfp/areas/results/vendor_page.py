"""One vendor's full breakdown: the view model of the results vendor page.

Per criterion and per question: the question score (0-100), its share of the criterion
and of the total, the points it contributes, each evaluator's raw score and comment
(when the reader may see who gave what), the consensus score and rationale, and the
vendor's answer. Then knockouts, cost and reference calls. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from rfp.areas.results.cost import CostRow, CostSummary, cost_row, cost_summary
from rfp.areas.results.pages import (
    AmendmentNote,
    ProvisionalNote,
    amendment_notes,
    provisional_note,
)
from rfp.areas.results.queries import (
    AnswerRecord,
    ConsensusRecord,
    EvaluationResults,
    ReferenceCallRecord,
    VendorFile,
)
from rfp.domain.amendments import mark_text, value_text
from rfp.domain.numbering import number_objects
from rfp.domain.scoring.engine import counted_scores
from rfp.domain.scoring.model import Amendment
from rfp.domain.scoring.result import Flag
from rfp.domain.vocabulary import (
    AmendedField,
    CriterionKind,
    QuestionKind,
    ResponseStatus,
    SignAgain,
)

SIGN_AGAIN_BADGES = {SignAgain.YES: "badge-ok", SignAgain.NO: "badge-bad"}


@dataclass(frozen=True)
class PanelEntry:
    evaluator: str
    value: float | None  # None: the evaluator abstained (`comment` is the reason)
    comment: str
    counted: bool
    note: str  # why a score is not counted
    updated_at: datetime | None


@dataclass(frozen=True)
class QuestionRow:
    key: str
    text: str
    guidance: str
    answer: AnswerRecord | None
    unit: str
    score: float | None  # 0..100, None: nobody has scored it
    share_of_criterion: float | None  # over the questions that have a score
    share_of_total: float | None
    points: float | None  # contribution to the total
    panel: tuple[PanelEntry, ...] | None  # None: withheld from this reader
    # The answer as submitted when an amendment changed it ("" when none did).
    awaiting: tuple[str, ...]  # evaluators expected to score it who have not
    abstained: tuple[str, ...]  # evaluators who abstained on it (not counted, not missing)
    consensus: ConsensusRecord | None
    spread: float | None  # range of the counted raw scores, two or more of them
    flagged: bool
    computed: bool  # scored from the vendor's number by the lead's bands
    number: str = ""  # "2.3", as on the criteria page and every other screen
    as_submitted: str = ""


@dataclass(frozen=True)
class CriterionSection:
    key: str
    name: str
    kind: str
    score: float
    share: float  # normalised criterion weight
    points: float  # contribution to the total
    questions: tuple[QuestionRow, ...]

    @property
    def is_cost(self) -> bool:
        return self.kind == CriterionKind.COST

    @property
    def is_references(self) -> bool:
        return self.kind == CriterionKind.REFERENCES


@dataclass(frozen=True)
class KnockoutRow:
    text: str
    passed: bool | None  # None: not answered (as amended, when it was)
    evidence: str
    answer: str
    as_submitted: str = ""  # "fail": what the vendor submitted, when it was amended


@dataclass(frozen=True)
class InfoAnswer:
    text: str
    answer: AnswerRecord | None
    unit: str


@dataclass(frozen=True)
class VendorPage:
    key: str
    name: str
    delivery_model: str | None
    country: str
    response_status: str
    rank: int | None
    ranked_count: int
    total: float
    provisional: bool
    disqualified: bool
    failed_knockouts: tuple[str, ...]
    sections: tuple[CriterionSection, ...]
    knockouts: tuple[KnockoutRow, ...]
    info: tuple[InfoAnswer, ...]
    cost_summary: CostSummary | None
    cost: CostRow | None
    reference_calls: tuple[ReferenceCallRecord, ...]
    references_score: float | None
    flags: tuple[Flag, ...]
    note: ProvisionalNote | None
    panel_visible: bool
    scale: tuple[float, float]
    aggregation: str
    anchors: Mapping[str, str]  # scale point ("4") -> its anchor text
    amendments: tuple[AmendmentNote, ...] = ()  # oldest first
    amended: str = ""  # the mark of a bid amended after unsealing
    price_amended: bool = False  # the quote shown is as amended

    @property
    def scale_anchors(self) -> list[tuple[str, str]]:
        """The anchors in the scale's order (numeric: "10" after "9")."""

        def point(item: tuple[str, str]) -> float:
            try:
                return float(item[0])
            except ValueError:
                return math.inf

        return sorted(self.anchors.items(), key=point)

    @property
    def response_status_label(self) -> str:
        return ResponseStatus(self.response_status).label.lower()

    @staticmethod
    def sign_again_badge(call: ReferenceCallRecord) -> str:
        """The badge of a reference's "would you sign again?" (yes good, no bad)."""
        return SIGN_AGAIN_BADGES.get(call.would_sign_again, "badge-muted")


def _panel(file: VendorFile, data: EvaluationResults) -> dict[str, list[PanelEntry]]:
    """Every recorded score on this vendor, by question, marked counted when the engine
    counts it (`counted_scores`), with the reason when it does not."""
    inp = data.scoring_input
    own = replace(inp, scores=tuple(s for s in inp.scores if s.vendor == file.key))
    counted = counted_scores(own)
    computed = {q.key for c in inp.criteria for q in c.questions if q.computed}
    members = {p.membership_id: p for p in file.panel}
    by_question: dict[str, list[PanelEntry]] = {}
    for s in file.scores:
        member = members.get(s.membership_id)
        if member is None:
            continue
        if member.key in counted.get((file.key, s.question), {}):
            note = ""
        elif s.value is None:
            note = "abstained: not counted, not missing"
        elif not member.active:
            note = "removed from the panel: not counted"
        elif member.conflicted:
            note = "declared a conflict of interest: not counted"
        elif s.question in computed:
            note = "scored from the vendor's number: not counted"
        else:
            note = "outside their assigned criteria: not counted"
        by_question.setdefault(s.question, []).append(
            PanelEntry(member.name, s.value, s.comment, not note, note, s.updated_at)
        )
    return by_question


def amended_answers(
    answers: Mapping[str, AnswerRecord], amendments: Sequence[Amendment], units: Mapping[str, str]
) -> tuple[dict[str, AnswerRecord], dict[str, str]]:
    """The vendor's answers as amended (the engine scored those), and for each amended
    question what the vendor submitted, in words ("fail", "“Monterrey”", "28.5 %")."""
    amended = dict(answers)
    submitted: dict[str, str] = {}
    attribute = {
        AmendedField.KNOCKOUT: "knockout_pass",
        AmendedField.ANSWER: "text",
        AmendedField.NUMBER: "number",
    }
    for a in amendments:
        field = AmendedField(a.field)
        if field.pricing or a.question is None:
            continue
        key = a.question
        submitted.setdefault(key, value_text(field, a.old, units.get(key, "")))
        record = amended.get(key) or AnswerRecord(key, "", None, "", None)
        value = a.new if field is not AmendedField.ANSWER else (a.new or "")
        amended[key] = replace(record, **{attribute[field]: value})
    return amended, submitted


def build_vendor_page(
    data: EvaluationResults,
    file: VendorFile,
    *,
    panel_visible: bool,
    anchors: Mapping[str, str],
) -> VendorPage:
    result = data.result
    inp = data.scoring_input
    vendor = result.vendor(file.key)
    evaluator_names = {e.key: e.name for e in inp.evaluators}
    awaiting: dict[str, list[str]] = {}
    for missing in vendor.missing:
        awaiting.setdefault(missing.question, []).append(
            evaluator_names.get(missing.evaluator, missing.evaluator)
        )
    abstained: dict[str, list[str]] = {}
    for a in vendor.abstentions:
        abstained.setdefault(a.question, []).append(evaluator_names.get(a.evaluator, a.evaluator))
    spreads = {d.question: d for d in result.dispersion if d.vendor == vendor.key}
    panel = _panel(file, data) if panel_visible else None
    units = {key: q.unit for key, q in data.questions.items()}
    answers, submitted = amended_answers(file.answers, vendor.amendments, units)

    numbering = number_objects(inp.criteria)
    sections = []
    for c in inp.criteria:
        share = result.weights[c.key]
        scored = [q for q in c.questions if q.kind == QuestionKind.SCORED]
        weight_with_score = math.fsum(
            q.weight for q in scored if vendor.questions.get(q.key) is not None
        )
        rows = []
        for q in scored:
            text = data.questions.get(q.key)
            score = vendor.questions.get(q.key)
            within = (
                q.weight / weight_with_score
                if score is not None and weight_with_score > 0
                else None
            )
            spread = spreads.get(q.key)
            rows.append(
                QuestionRow(
                    key=q.key,
                    text=text.text if text else q.key,
                    guidance=text.guidance if text else "",
                    answer=answers.get(q.key),
                    unit=text.unit if text else "",
                    score=score,
                    share_of_criterion=within,
                    share_of_total=within * share if within is not None else None,
                    points=score * within * share
                    if within is not None and score is not None
                    else None,
                    panel=tuple(panel.get(q.key, ())) if panel is not None else None,
                    awaiting=tuple(awaiting.get(q.key, ())),
                    abstained=tuple(abstained.get(q.key, ())),
                    consensus=file.consensus.get(q.key),
                    spread=spread.spread if spread else None,
                    flagged=bool(spread and spread.flagged),
                    computed=q.computed,
                    number=numbering.question(q.key),
                    as_submitted=submitted.get(q.key, ""),
                )
            )
        score = vendor.criteria[c.key]
        sections.append(
            CriterionSection(c.key, c.name, c.kind, score, share, score * share, tuple(rows))
        )

    questions_of_kind = [(q, data.questions.get(q.key)) for c in inp.criteria for q in c.questions]
    knockouts = tuple(
        KnockoutRow(
            text=numbering.label(q.key, t.text if t else q.key),
            passed=(answers[q.key].knockout_pass if q.key in answers else None),
            evidence=answers[q.key].evidence if q.key in answers else "",
            answer=answers[q.key].text if q.key in answers else "",
            as_submitted=submitted.get(q.key, ""),
        )
        for q, t in questions_of_kind
        if q.kind == QuestionKind.KNOCKOUT
    )
    info = tuple(
        InfoAnswer(
            numbering.label(q.key, t.text if t else q.key),
            answers.get(q.key),
            t.unit if t else "",
        )
        for q, t in questions_of_kind
        if q.kind == QuestionKind.INFO
    )
    pricing = next((v.pricing for v in inp.vendors if v.key == vendor.key), None)
    summary = cost_summary(data)
    return VendorPage(
        key=vendor.key,
        name=vendor.name,
        delivery_model=vendor.delivery_model,
        country=file.country,
        response_status=file.response_status,
        rank=vendor.rank,
        ranked_count=len(result.ranked),
        total=vendor.total,
        provisional=not vendor.complete,
        disqualified=vendor.disqualified,
        failed_knockouts=tuple(
            numbering.label(k, data.questions[k].text) if k in data.questions else k
            for k in vendor.failed_knockouts
        ),
        sections=tuple(sections),
        knockouts=knockouts,
        info=info,
        cost_summary=summary,
        cost=cost_row(vendor, pricing, {}) if summary else None,
        reference_calls=file.reference_calls,
        references_score=vendor.references.score,
        # Dispersion is shown on each question; these are cost and reference flags.
        flags=tuple(f for f in vendor.flags if f.kind != "dispersion"),
        note=(
            provisional_note(
                vendor,
                "",
                {c.key: c.name for c in inp.criteria},
                {k: numbering.label(k, q.text) for k, q in data.questions.items()},
                evaluator_names,
                limit=None,
            )
            if not vendor.complete
            else None
        ),
        panel_visible=panel_visible,
        scale=(inp.scale.lo, inp.scale.hi),
        aggregation=inp.settings.aggregation,
        anchors=anchors,
        amendments=amendment_notes(
            vendor, "", data.questions, pricing.model if pricing is not None else None
        ),
        amended=mark_text(vendor.amendments),
        price_amended=any(AmendedField(a.field).pricing for a in vendor.amendments),
    )
