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

from collections.abc import Iterable
from dataclasses import dataclass

from rfp import models as m
from rfp.areas.vendors.operations import sealed_from_lead
from rfp.core import blind
from rfp.core.access import Access
from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, RATE_RANGES
from rfp.domain.scoring.cost import cost_figures
from rfp.domain.vocabulary import ResponseStatus
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


def quote_figures(evaluation: m.Evaluation, vendor: m.Vendor) -> QuoteFigures | None:
    """The cost model's figures for this vendor's quote, when scope and price allow."""
    response = vendor.response
    scope = cost_scope_of(evaluation.scope or {})
    if scope is None or response is None or not response.has_price:
        return None
    pricing = pricing_of(
        {
            "model": response.pricing_model,
            "rate": response.rate,
            "setup_fee": response.setup_fee or 0.0,
            "monthly_fee": response.monthly_fee or 0.0,
        }
    )
    assert pricing is not None
    hours, charge, total, per_contact, rate, _inhouse, rate_range = cost_figures(
        pricing, scope, vendor.delivery_model
    )
    return QuoteFigures(hours, charge, total, per_contact, rate, rate_range)
