"""The cost part of the results pages: each quote beside the seeds' benchmarks.

Every figure is the engine's `CostResult`; this module only puts the quote, the
delivery model's rate range and the cost flags side by side for a table row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rfp.areas.results.queries import EvaluationResults
from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE
from rfp.domain.scoring.cost import hours_per_month
from rfp.domain.scoring.model import Pricing
from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import CriterionKind, PriceFormula, PricingModel

COST_FLAG_KINDS = ("price_range", "cost_per_contact_range", "abnormally_low")


@dataclass(frozen=True)
class CostRow:
    name: str
    href: str
    disqualified: bool
    delivery_model: str | None
    pricing_model: str | None
    quoted_rate: float | None
    rate_unit: str
    setup_fee: float | None
    monthly_fee: float | None
    effective_rate: float | None
    rate_range: tuple[float, float] | None
    rate_outside: bool
    monthly_charge: float | None
    tco: float | None
    cost_per_contact: float | None
    cost_per_contact_outside: bool
    abnormally_low: bool
    savings: float | None
    score: float | None
    flags: tuple[tuple[str, str], ...]  # (kind, message)


@dataclass(frozen=True)
class CostSummary:
    term_months: float
    contacts_per_month: float
    hours_per_month: float
    inhouse_rate: float | None
    inhouse_tco: float | None
    governance_overhead_pct: float
    cost_per_contact_range: tuple[float, float]
    price_formula: str  # its label


def cost_summary(data: EvaluationResults) -> CostSummary | None:
    """The volumes and in-house comparison every quote is measured against."""
    inp = data.scoring_input
    if inp.cost_scope is None or not any(c.kind == CriterionKind.COST for c in inp.criteria):
        return None
    scope = inp.cost_scope
    hours = hours_per_month(scope)
    return CostSummary(
        term_months=scope.term_months,
        contacts_per_month=scope.contacts_per_month,
        hours_per_month=hours,
        inhouse_rate=scope.inhouse_rate,
        # The engine's figure (the same for every priced vendor).
        inhouse_tco=next((v.cost.inhouse_tco for v in data.result.vendors if v.cost), None),
        governance_overhead_pct=scope.governance_overhead_pct,
        cost_per_contact_range=COST_PER_CONTACT_RANGE,
        price_formula=PriceFormula(inp.settings.price_formula).label,
    )


def cost_row(v: VendorResult, pricing: Pricing | None, hrefs: Mapping[str, str]) -> CostRow:
    cost = v.cost
    return CostRow(
        name=v.name,
        href=hrefs.get(v.key, ""),
        disqualified=v.disqualified,
        delivery_model=v.delivery_model,
        pricing_model=pricing.model if pricing else None,
        quoted_rate=pricing.rate if pricing else None,
        rate_unit=PricingModel(pricing.model).label if pricing and pricing.model else "",
        setup_fee=pricing.setup_fee if pricing else None,
        monthly_fee=pricing.monthly_fee if pricing else None,
        effective_rate=cost.effective_rate if cost else None,
        rate_range=cost.rate_range if cost else None,
        rate_outside=any(f.kind == "price_range" for f in v.flags),
        monthly_charge=cost.monthly_charge if cost else None,
        tco=cost.tco if cost else None,
        cost_per_contact=cost.cost_per_contact if cost else None,
        cost_per_contact_outside=any(f.kind == "cost_per_contact_range" for f in v.flags),
        abnormally_low=bool(cost and cost.abnormally_low),
        savings=cost.savings if cost else None,
        score=cost.score if cost else None,
        flags=tuple((f.kind, f.message) for f in v.flags if f.kind in COST_FLAG_KINDS),
    )
