"""What a user may see of a vendor, and the seeds' benchmarks shown beside a quote.

- Responses are sealed until scoring starts (DESIGN.md): from every evaluator and
  viewer, and from the lead too when the vendor itself sent the response (portal or
  Excel questionnaire): the lead then sees its status only. A response the lead typed
  in is the lead's own work and stays visible to them. An evaluator who declared a
  conflict with a vendor does not read its response.
- Two envelopes: an evaluator sees prices only once their quality scores are submitted.
- Blind scoring: evaluators see "Vendor A", "Vendor B" (in the vendors' order) until
  consensus (the rule and the letters are rfp.core.blind's, shared with the scorecards).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rfp import models as m
from rfp.areas.vendors.amendments import amendable_question
from rfp.areas.vendors.operations import sealed_from_lead
from rfp.core import blind
from rfp.core.access import Access
from rfp.domain.amendments import amendment_sentence, change_text, rate_unit, value_text, what_text
from rfp.domain.formatting import when
from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, RATE_RANGES
from rfp.domain.scoring.cost import cost_figures
from rfp.domain.vocabulary import AmendedField, ResponseStatus, Stage
from rfp.scenario.amendments import Bid, amendment_of, as_amended
from rfp.scenario.convert import cost_scope_of, pricing_of
from rfp.scenario.schema import COST_DEFAULTS


def response_hidden_because(access: Access, vendor: m.Vendor) -> str | None:
    """None when the user may read the vendor's response, else why not."""
    if access.is_lead:
        return "sealed" if sealed_from_lead(access.evaluation, vendor) else None
    if access.evaluation.sealed:
        return "sealed"
    if access.is_evaluator and access.conflicted_with(vendor.id):
        return "conflict"
    return None


def prices_hidden(access: Access) -> bool:
    """Two envelopes: an evaluator sees prices once their quality scores are in."""
    return not access.can_see_pricing()


def is_blind(access: Access) -> bool:
    return blind.is_blind(access)


def vendor_labels(access: Access, vendors: Iterable[m.Vendor]) -> dict[int, str]:
    """Vendor id -> the name this user sees ("Vendor A" under blind scoring)."""
    return blind.vendor_labels(list(vendors), blind.is_blind(access))


@dataclass(frozen=True)
class StatusBadge:
    """A response's status as the vendor pages show it."""

    css: str
    text: str
    started: bool  # something has been typed in or sent


def status_badge(response: m.VendorResponse | None, received: str = "received") -> StatusBadge:
    status = response.status if response is not None else ResponseStatus.NOT_STARTED
    if status == ResponseStatus.SUBMITTED:
        return StatusBadge("badge-ok", received, True)
    if status == ResponseStatus.DRAFT:
        return StatusBadge("badge-warn", "in progress", True)
    return StatusBadge("badge-muted", "not started", False)


def rate_range_text(evaluation: m.Evaluation, delivery_model: str | None) -> list[str]:
    """The seeds' ranges beside a quote, for the vendor's delivery model (or all), per
    agent-hour and per FTE-month at the scope's FTE hours."""
    fte_hours = (evaluation.scope or {}).get("fte_hours_per_month") or COST_DEFAULTS[
        "fte_hours_per_month"
    ]
    models = [delivery_model] if delivery_model in RATE_RANGES else list(RATE_RANGES)
    lines = []
    for model in models:
        lo, hi = RATE_RANGES[model]
        lines.append(
            f"{model}: ${lo:g}–{hi:g} per agent-hour (≈ ${lo * fte_hours:,.0f}–"
            f"{hi * fte_hours:,.0f} per FTE-month at {fte_hours:g} h)"
        )
    lo, hi = COST_PER_CONTACT_RANGE
    lines.append(f"all-in cost per contact: ${lo:g}–{hi:g}")
    return lines


@dataclass(frozen=True)
class QuoteFigures:
    hours: float
    monthly_charge: float
    tco: float
    cost_per_contact: float
    effective_rate: float
    rate_range: tuple[float, float] | None

    @property
    def outside_range(self) -> bool:
        if self.rate_range is None:
            return False
        lo, hi = self.rate_range
        return not lo <= self.effective_rate <= hi


def quote_figures(
    evaluation: m.Evaluation, vendor: m.Vendor, quote: Mapping[str, Any] | None
) -> QuoteFigures | None:
    """The cost model's figures for a quote of this vendor (its `pricing` in the scenario
    file's form, as amended), when scope and price allow."""
    scope = cost_scope_of(evaluation.scope or {})
    pricing = pricing_of(dict(quote)) if quote is not None else None
    if scope is None or pricing is None:
        return None
    hours, charge, total, per_contact, rate, _inhouse, rate_range = cost_figures(
        pricing, scope, vendor.delivery_model
    )
    return QuoteFigures(hours, charge, total, per_contact, rate, rate_range)


# -- the response as submitted and as amended ----------------------------------------------


@dataclass(frozen=True)
class AmendmentLine:
    """One amendment as the vendor page lists it."""

    what: str  # "Price", "Knockout “PCI-DSS attestation”"
    change: str  # "$2.35 → $1.95 per contact"
    sentence: str
    by_lead: bool
    by: str
    at: str
    stage: str
    after_unsealing: bool
    reason: str


@dataclass(frozen=True)
class ResponseView:
    """A vendor's response as submitted and as amended (scenario-file form), with the
    amendments in between, oldest first. What a reader may not see (prices, under two
    envelopes) is left out of `lines`."""

    submitted: Mapping[str, Any]
    amended: Mapping[str, Any]
    lines: tuple[AmendmentLine, ...]
    amended_fields: frozenset[tuple[str, str | None]]  # (field, question key)

    @property
    def pricing_amended(self) -> bool:
        return any(AmendedField(f).pricing for f, _q in self.amended_fields)

    def is_amended(self, field: str, question: str | None = None) -> bool:
        return (field, question) in self.amended_fields

    @property
    def by_lead(self) -> bool:
        return any(line.by_lead for line in self.lines)

    @staticmethod
    def unit(pricing_model: str | None) -> str:
        """ "per contact", "per agent-hour", "per FTE-month"."""
        return rate_unit(pricing_model)


def response_view(
    submitted: Mapping[str, Any],
    questions: Sequence[m.Question],
    *,
    show_prices: bool,
) -> ResponseView:
    """`submitted`: `queries.response_as_submitted`. Prices hidden from the reader keep
    their amendments out of the lines too."""
    amended = as_amended(submitted)
    texts = {q.key: q.text for q in questions}
    units = {q.key: q.unit for q in questions}
    model = (amended.get("pricing") or submitted.get("pricing") or {}).get("model")
    lines = []
    fields = set()
    for entry in submitted.get("amendments", []):
        amendment = amendment_of(entry)
        if AmendedField(amendment.field).pricing and not show_prices:
            continue
        fields.add((amendment.field, amendment.question))
        question = amendment.question or ""
        lines.append(
            AmendmentLine(
                what=what_text(amendment, texts.get(question)),
                change=change_text(amendment, model, units.get(question, "")),
                sentence=amendment_sentence(
                    amendment,
                    texts.get(question),
                    pricing_model=model,
                    unit=units.get(question, ""),
                ),
                by_lead=amendment.by_lead,
                by=amendment.by,
                at=when(datetime.fromisoformat(amendment.at)),
                stage=Stage(amendment.stage).label,
                after_unsealing=amendment.after_unsealing,
                reason=amendment.reason,
            )
        )
    return ResponseView(submitted, amended, tuple(lines), frozenset(fields))


@dataclass(frozen=True)
class AmendableItem:
    """A part of a frozen response the lead may amend, with its values."""

    field: AmendedField
    question: m.Question | None
    what: str
    submitted: str
    in_effect: str

    @property
    def amended(self) -> bool:
        return self.submitted != self.in_effect


def amendable_items(questions: Sequence[m.Question], view: ResponseView) -> list[AmendableItem]:
    """Every part of the response an amendment may change, in the response's order:
    the price's parts, then each question's knockout answer, number or text answer."""
    model = (view.amended.get("pricing") or {}).get("model")
    items = []
    submitted, amended = Bid(view.submitted), Bid(view.submitted)
    for entry in view.submitted.get("amendments", []):
        amended.change(entry["field"], entry["question"], entry["new"])
    targets: list[tuple[AmendedField, m.Question | None]] = [
        (field, None) for field in AmendedField if field.pricing
    ]
    for q in questions:
        for field in (AmendedField.KNOCKOUT, AmendedField.NUMBER, AmendedField.ANSWER):
            if amendable_question(field, q):
                targets.append((field, q))
    for field, q in targets:
        key = q.key if q is not None else None
        unit = q.unit if q is not None else ""
        suffix = f" {rate_unit(model)}" if field is AmendedField.RATE and rate_unit(model) else ""
        items.append(
            AmendableItem(
                field=field,
                question=q,
                what=_what(field, q),
                submitted=value_text(field, submitted.value(field, key), unit) + suffix,
                in_effect=value_text(field, amended.value(field, key), unit) + suffix,
            )
        )
    return items


def _what(field: AmendedField, question: m.Question | None) -> str:
    if question is None:
        return field.label
    return f"{field.label}: {question.text}"
