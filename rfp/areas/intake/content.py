"""What a questionnaire asks and what a vendor answers, as plain data.

`QuestionnaireSpec` is everything a vendor may know of an evaluation (its public scope
and its questions: never weights, never other vendors); `ResponseContent` is one
vendor's response (answers, numbers, knockouts with evidence, pricing). The workbook
writer, the parser, the portal and the operations all speak these two types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from rfp.core.refusal import Refused
from rfp.domain.bounds import BOUNDS
from rfp.domain.control_characters import without_control_characters
from rfp.domain.vocabulary import AnswerType, PricingModel, QuestionKind
from rfp.scenario.pricing import price_line_problems

# Longest text accepted in one answer or evidence note (Excel itself stops at 32,767).
MAX_TEXT_LENGTH = 20_000
# Money and numbers beyond this are typing mistakes, not prices.
MAX_NUMBER = BOUNDS["answer_number"].high  # 1e12

# Characters that XML 1.0 (and so xlsx) cannot hold; a browser rarely sends them.


class ResponseSource(StrEnum):
    """How a vendor's response came in (`VendorResponse.source`)."""

    TYPED = "typed"  # typed in by the lead (the vendors area)
    PORTAL = "portal"
    EXCEL = "excel"
    IMPORT = "import"  # with the evaluation's scenario file


SOURCE_WORDS = {
    ResponseSource.TYPED: "typed in by the lead",
    ResponseSource.PORTAL: "through the portal",
    ResponseSource.EXCEL: "as a workbook",
    ResponseSource.IMPORT: "imported with the evaluation",
}


def pricing_model_label(model: str | None) -> str:
    """A pricing model in words ("per agent-hour"); "–" when none is given."""
    return PricingModel(model).label if model else "–"


def clean_text(value: str) -> str:
    """A vendor's text as it is kept: line ends as \\n, no control characters."""
    return without_control_characters(value.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the vendor sees it.

    The question's own guidance is not here on purpose: in this app it is guidance for
    evaluators (what a strong answer looks like, the scoring anchors), which a vendor
    must not read. `guidance` is the answering hint made from the question's type.
    """

    key: str
    criterion: str  # the criterion's name, shown to the vendor
    text: str
    kind: QuestionKind = QuestionKind.SCORED
    answer_type: AnswerType = AnswerType.TEXT
    unit: str = ""

    @property
    def is_knockout(self) -> bool:
        return self.kind == QuestionKind.KNOCKOUT

    @property
    def is_number(self) -> bool:
        return self.answer_type == AnswerType.NUMBER and not self.is_knockout

    @property
    def guidance(self) -> str:
        if self.is_knockout:
            return "A must-have: answer yes or no, and give the evidence."
        hint = ""
        if self.is_number:
            hint = f"Answer with a number ({self.unit})." if self.unit else "Answer with a number."
        if self.kind == QuestionKind.INFO:
            hint = (hint + " " if hint else "") + "For information: not scored."
        return hint


@dataclass(frozen=True)
class QuestionnaireSpec:
    """One evaluation's questionnaire for one vendor."""

    evaluation_id: int
    title: str
    vendor_key: str
    vendor_name: str
    deadline: datetime | None
    scope: tuple[tuple[str, str], ...]  # (label, value) of the public scope
    questions: tuple[QuestionSpec, ...]
    # The scope's channels and languages: the choices offered on the Rate lines sheet.
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @property
    def answerable(self) -> tuple[QuestionSpec, ...]:
        return tuple(q for q in self.questions if not q.is_knockout)

    @property
    def knockouts(self) -> tuple[QuestionSpec, ...]:
        return tuple(q for q in self.questions if q.is_knockout)


@dataclass(frozen=True)
class Pricing:
    model: PricingModel | None = None
    rate: float | None = None
    setup_fee: float | None = None
    monthly_fee: float | None = None
    # Rate lines and volume tiers as the scenario file writes them (rfp.scenario.pricing).
    lines: tuple[dict[str, Any], ...] = ()
    tiers: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ResponseContent:
    """A vendor's response. Keys are question keys; a missing key is unanswered."""

    answers: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    knockouts: dict[str, bool] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    pricing: Pricing = field(default_factory=Pricing)


@dataclass(frozen=True)
class Completeness:
    answered: int
    questions: int
    knockouts_answered: int
    knockouts: int
    has_price: bool

    @property
    def complete(self) -> bool:
        return (
            self.answered == self.questions
            and self.knockouts_answered == self.knockouts
            and self.has_price
        )

    def missing(self) -> list[str]:
        """What is still unanswered, in words."""
        out = []
        if self.answered < self.questions:
            n = self.questions - self.answered
            out.append(f"{n} question{'s' if n != 1 else ''} unanswered")
        if self.knockouts_answered < self.knockouts:
            n = self.knockouts - self.knockouts_answered
            out.append(f"{n} requirement{'s' if n != 1 else ''} (knockouts) unanswered")
        if not self.has_price:
            out.append("no pricing model and rate")
        return out


def completeness_of(
    spec_questions: tuple[QuestionSpec, ...], content: ResponseContent
) -> Completeness:
    answerable = [q for q in spec_questions if not q.is_knockout]
    knockouts = [q for q in spec_questions if q.is_knockout]
    answered = sum(
        1
        for q in answerable
        if (
            q.key in content.numbers
            if q.is_number
            else bool(content.answers.get(q.key, "").strip())
        )
    )
    return Completeness(
        answered=answered,
        questions=len(answerable),
        knockouts_answered=sum(1 for q in knockouts if q.key in content.knockouts),
        knockouts=len(knockouts),
        has_price=content.pricing.model is not None and content.pricing.rate is not None,
    )


def content_refusals(
    questions: tuple[QuestionSpec, ...], content: ResponseContent
) -> list[Refused]:
    """Everything wrong with a response, by field (answer_<key>, knockout_<key>, ...)."""
    refused: dict[str, str] = {}
    by_key = {q.key: q for q in questions}
    too_long = f"Longer than {MAX_TEXT_LENGTH:,} characters."
    for key, text in content.answers.items():
        q = by_key.get(key)
        if q is None or q.is_knockout or q.is_number:
            refused[f"answer_{key}"] = "Not a text question of this evaluation."
        elif len(text) > MAX_TEXT_LENGTH:
            refused[f"answer_{key}"] = too_long
    for key, number in content.numbers.items():
        q = by_key.get(key)
        if q is None or not q.is_number:
            refused[f"answer_{key}"] = "Not a numeric question of this evaluation."
        elif problem := BOUNDS["answer_number"].problem(number):
            refused[f"answer_{key}"] = f"The number {problem}."
    for key in (*content.knockouts, *content.evidence):
        q = by_key.get(key)
        if q is None or not q.is_knockout:
            refused[f"knockout_{key}"] = "Not a knockout of this evaluation."
    for key, text in content.evidence.items():
        if len(text) > MAX_TEXT_LENGTH:
            refused[f"evidence_{key}"] = too_long
    pricing = content.pricing
    if pricing.model is not None and pricing.model not in PricingModel.values():
        refused["pricing_model"] = f"Must be one of {', '.join(PricingModel.values())}."
    for name in ("rate", "setup_fee", "monthly_fee"):
        value = getattr(pricing, name)
        if value is not None and (problem := BOUNDS[name].problem(value)):
            refused[name] = f"{name.replace('_', ' ').capitalize()} {problem}."
    for name, errors in price_line_problems(pricing.lines, pricing.tiers, pricing.rate).items():
        refused[name] = " ".join(errors)
    if pricing.model is None and (pricing.lines or pricing.tiers):
        refused["pricing_model"] = "Rate lines and tiers need a pricing model and a rate."
    return [Refused(field, message) for field, message in refused.items()]


def _join(values: Any) -> str:
    return ", ".join(str(v) for v in values) if values else ""


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


TARGET_LABELS = {
    "fcr_pct": ("First-contact resolution", " %"),
    "csat_pct": ("Customer satisfaction (CSAT)", " %"),
    "aht_minutes": ("Average handle time", " minutes"),
    "attrition_pct": ("Agent attrition, at most", " % a year"),
    "service_level_pct": ("Service level", " %"),
}


def public_scope(scope: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The part of an evaluation's scope a vendor may see, as (label, value) rows.

    Left out on purpose: the in-house baseline rate, the governance overhead and the
    cost model's assumptions (occupancy, FTE hours): they are the buyer's own figures.
    """
    rows: list[tuple[str, str]] = []

    def add(label: str, value: str) -> None:
        if value:
            rows.append((label, value))

    add("Functions", _join(scope.get("functions")))
    add("Channels", _join(scope.get("channels")))
    add("Languages", _join(scope.get("languages")))
    add("Coverage", str(scope.get("coverage") or ""))
    add("Time zones", _join(scope.get("time_zones")))
    add("Tools", _join(scope.get("tools")))
    add("Complexity", str(scope.get("complexity") or ""))
    if scope.get("contacts_per_month"):
        add("Contacts a month", _number(scope["contacts_per_month"]))
    if scope.get("aht_minutes"):
        add("Average handle time", f"{_number(scope['aht_minutes'])} minutes")
    if scope.get("term_months"):
        add("Contract term", f"{_number(scope['term_months'])} months")
    add("Compliance requirements", _join(scope.get("compliance")))
    if scope.get("pilot_weeks"):
        add("Pilot", f"{_number(scope['pilot_weeks'])} weeks")
    for key, (label, unit) in TARGET_LABELS.items():
        value = (scope.get("targets") or {}).get(key)
        if value is not None:
            add(f"Target: {label}", f"{_number(value)}{unit}")
    return tuple(rows)


def spec_from_scenario(
    doc: dict[str, Any], vendor_key: str, evaluation_id: int = 0
) -> QuestionnaireSpec:
    """The questionnaire of a canonical scenario document, for one of its vendors."""
    ev = doc["evaluation"]
    vendor = next(v for v in doc["vendors"] if v["key"] == vendor_key)
    deadline = datetime.fromisoformat(ev["deadline"]) if ev.get("deadline") else None
    return QuestionnaireSpec(
        evaluation_id=evaluation_id,
        title=ev["title"],
        vendor_key=vendor["key"],
        vendor_name=vendor["name"],
        deadline=deadline,
        scope=public_scope(ev.get("scope") or {}),
        channels=tuple((ev.get("scope") or {}).get("channels") or ()),
        languages=tuple((ev.get("scope") or {}).get("languages") or ()),
        questions=tuple(
            QuestionSpec(
                key=q["key"],
                criterion=c["name"],
                text=q["text"],
                kind=QuestionKind(q.get("kind", QuestionKind.SCORED)),
                answer_type=AnswerType(q.get("answer_type", AnswerType.TEXT)),
                unit=q.get("unit", ""),
            )
            for c in doc["criteria"]
            for q in c.get("questions", [])
        ),
    )
