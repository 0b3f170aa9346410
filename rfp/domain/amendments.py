"""Amendments in words: the one wording every output uses for a change made to a
vendor's response after it was frozen.

A response is frozen once the deadline passes or the prices are unsealed; after that a
change is an amendment (`rfp.domain.scoring.model.Amendment`), kept beside the response
as submitted. The results pages, the JSON, the workbook, the PDF and the audit trail all
say it with these functions, e.g. "Price amended by the lead after unsealing: $2.35 →
$1.95 per contact, reason: arithmetic error confirmed in writing". Pure: no Flask, no
database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from rfp.domain.formatting import money
from rfp.domain.scoring.model import AmendedValue, Amendment
from rfp.domain.vocabulary import AmendedField, AmendmentSource, PricingModel, Stage

ANSWER_SHOWN = 120  # characters of a text answer quoted in a sentence


def freeze_reason(stage: Stage, deadline: datetime | None, now: datetime) -> str | None:
    """Why a vendor's response can no longer change directly (None: it still can).

    Frozen once the prices are unsealed (scoring starts) or, while the evaluation is
    open, once the response deadline has passed. In draft nothing has been invited yet.
    A frozen response changes only by amendment."""
    if stage.unsealed:
        return "the prices are unsealed"
    if stage != Stage.DRAFT and deadline is not None and now >= deadline:
        return "the response deadline has passed"
    return None


def rate_unit(pricing_model: str | None) -> str:
    """ "per contact", "per agent-hour", "per FTE-month"; "" when there is no model."""
    return PricingModel(pricing_model).label if pricing_model in PricingModel.values() else ""


def value_text(field: str, value: AmendedValue, unit: str = "") -> str:
    """One side of an amendment as a reader reads it: $2.35, pass, “24/7 in Spanish”."""
    kind = AmendedField(field)
    if value is None or value == "":
        return {
            AmendedField.KNOCKOUT: "unanswered",
            AmendedField.ANSWER: "no answer",
            AmendedField.NUMBER: "no number",
        }.get(kind, "none")
    if kind is AmendedField.PRICING_MODEL:
        return rate_unit(str(value)) or str(value)
    if kind is AmendedField.RATE:
        return money(float(value), 2)
    if kind in (AmendedField.SETUP_FEE, AmendedField.MONTHLY_FEE):
        return money(float(value), 2 if float(value) % 1 else 0)
    if kind is AmendedField.KNOCKOUT:
        return "pass" if value else "fail"
    if kind is AmendedField.NUMBER:
        return f"{float(value):g}" + (f" {unit}" if unit else "")
    text = " ".join(str(value).split())
    if len(text) > ANSWER_SHOWN:
        text = text[: ANSWER_SHOWN - 1] + "…"
    return f"“{text}”"


def what_text(amendment: Amendment, question_text: str | None = None) -> str:
    """What was amended: "Price", "Setup fee", "Knockout “PCI-DSS attestation”"."""
    kind = AmendedField(amendment.field)
    question = question_text or amendment.question or ""
    return {
        AmendedField.PRICING_MODEL: "Pricing model",
        AmendedField.RATE: "Price",
        AmendedField.SETUP_FEE: "Setup fee",
        AmendedField.MONTHLY_FEE: "Monthly fee",
        AmendedField.KNOCKOUT: f"Knockout “{question}”",
        AmendedField.ANSWER: f"Answer to “{question}”",
        AmendedField.NUMBER: f"Number for “{question}”",
    }[kind]


def how_text(amendment: Amendment) -> str:
    """ "amended by the lead after unsealing", "clarified by the vendor after the
    deadline"."""
    who = (
        "amended by the lead"
        if amendment.source == AmendmentSource.LEAD
        else "clarified by the vendor"
    )
    when = "after unsealing" if amendment.after_unsealing else "after the deadline"
    return f"{who} {when}"


def change_text(amendment: Amendment, pricing_model: str | None = None, unit: str = "") -> str:
    """ "$2.35 → $1.95 per contact", "fail → pass"."""
    old = value_text(amendment.field, amendment.old, unit)
    new = value_text(amendment.field, amendment.new, unit)
    suffix = ""
    if amendment.field == AmendedField.RATE:
        suffix = f" {rate_unit(pricing_model)}" if rate_unit(pricing_model) else ""
    elif amendment.field == AmendedField.MONTHLY_FEE:
        suffix = " a month"
    return f"{old} → {new}{suffix}"


def amendment_sentence(
    amendment: Amendment,
    question_text: str | None = None,
    *,
    pricing_model: str | None = None,
    unit: str = "",
) -> str:
    """The whole amendment in one sentence: "Price amended by the lead after unsealing:
    $2.35 → $1.95 per contact, reason: arithmetic error confirmed in writing".
    `pricing_model` is the vendor's (for the rate's unit), `unit` the question's."""
    return (
        f"{what_text(amendment, question_text)} {how_text(amendment)}: "
        f"{change_text(amendment, pricing_model, unit)}, reason: {amendment.reason.strip()}"
    )


def knockouts_turned_to_pass(amendments: Iterable[Amendment]) -> tuple[Amendment, ...]:
    """Knockouts changed from fail to pass after unsealing: a vendor that would be
    disqualified as submitted and is not as amended. Page 1 of the PDF shows them."""
    return tuple(
        a
        for a in amendments
        if a.after_unsealing
        and a.field == AmendedField.KNOCKOUT
        and a.old is False
        and a.new is True
    )


def amended_fields(amendments: Iterable[Amendment]) -> str:
    """The parts amended, for a mark: "price, knockout"."""
    names = {
        AmendedField.PRICING_MODEL: "price",
        AmendedField.RATE: "price",
        AmendedField.SETUP_FEE: "price",
        AmendedField.MONTHLY_FEE: "price",
        AmendedField.KNOCKOUT: "knockout",
        AmendedField.ANSWER: "answer",
        AmendedField.NUMBER: "number",
    }
    return ", ".join(dict.fromkeys(names[AmendedField(a.field)] for a in amendments))


def mark_text(amendments: Iterable[Amendment]) -> str:
    """The mark beside a vendor amended after unsealing: "Amended by the lead after
    unsealing (price, knockout)"; "" when there is none."""
    after = [a for a in amendments if a.after_unsealing]
    if not after:
        return ""
    who = (
        "by the lead"
        if any(a.source == AmendmentSource.LEAD for a in after)
        else "by the vendor's clarification"
    )
    return f"Amended {who} after unsealing ({amended_fields(after)})"


def sentences(
    amendments: Iterable[Amendment],
    questions: Mapping[str, str],
    *,
    pricing_model: str | None = None,
    units: Mapping[str, str] | None = None,
) -> list[str]:
    """Each amendment's sentence, with question texts for keys."""
    units = units or {}
    return [
        amendment_sentence(
            a,
            questions.get(a.question or "", a.question),
            pricing_model=pricing_model,
            unit=units.get(a.question or "", ""),
        )
        for a in amendments
    ]
