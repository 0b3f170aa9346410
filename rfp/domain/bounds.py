"""Sane bounds for every number a person types or a file carries, in one table.

Far wider than any real evaluation needs, they exist so that an absurd figure (a weight
of 1e308 that the page showed as "Infinity %", a handle time of ten years, a rate with
thirty digits) is refused with a message naming the field, the same way by the forms,
by the operations (the CLI and imports go through them) and by the scenario file's
schema. Not a number, and infinity, are refused everywhere. Together they keep the
engine's figures finite by construction: the largest TCO they allow is about 1e20.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bound:
    low: float
    high: float
    low_exclusive: bool = False  # "greater than" low rather than "at least"
    integer: bool = False

    def problem(self, value: Any) -> str | None:
        """Why `value` is refused (a phrase after the field's name), or None."""
        noun = "a whole number" if self.integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be {noun}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be {noun} (not infinite)"
        if self.integer and float(value) != int(value):
            return f"must be {noun}"
        if value < self.low or (self.low_exclusive and value == self.low):
            return f"must be {'greater than' if self.low_exclusive else 'at least'} {_n(self.low)}"
        if value > self.high:
            return f"must be at most {_n(self.high)}"
        return None

    def schema(self) -> dict[str, Any]:
        """The bounds as rfp.scenario.checks.Checker.number takes them."""
        low = {"exclusive_minimum" if self.low_exclusive else "minimum": self.low}
        return {**low, "maximum": self.high, "integer": self.integer}


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


MONEY = Bound(0, 1e10)
BOUNDS: dict[str, Bound] = {
    # Weights are relative (each level is normalised): a share, not an amount.
    "weight": Bound(0, 10_000, low_exclusive=True),
    # The scope's volumes and cost model.
    "contacts_per_month": Bound(0, 100_000_000, low_exclusive=True),
    "aht_minutes": Bound(0, 600, low_exclusive=True),  # ten hours a contact
    # The cost model divides by these two: bounded away from zero, so that the engine's
    # figures stay finite at the extremes of every bound (tests/domain/test_finite_results).
    "occupancy": Bound(0.01, 1),
    "fte_hours_per_month": Bound(1, 744),  # the hours in a month
    "term_months": Bound(0, 240, low_exclusive=True),  # twenty years
    "governance_overhead_pct": Bound(0, 100),
    "inhouse_rate": Bound(0, 10_000),  # USD per agent-hour
    "pilot_weeks": Bound(0, 520, integer=True),
    # Target KPIs.
    "fcr_pct": Bound(0, 100),
    "csat_pct": Bound(0, 100),
    "service_level_pct": Bound(0, 100),
    "attrition_pct": Bound(0, 1_000),  # a year; above 100 % happens in contact centres
    "target_aht_minutes": Bound(0, 600),
    # A vendor's prices.
    "rate": Bound(0, 1_000_000),  # per agent-hour, per contact or per FTE-month
    "setup_fee": MONEY,
    "monthly_fee": Bound(0, 1e9),
    "tier_contacts": Bound(0, 100_000_000),  # a volume tier's threshold, contacts a month
    "discount_pct": Bound(0, 100),
    "mix_pct": Bound(0, 100),  # a channel's or a language's share of the volume
    # Scoring settings.
    "scale_point": Bound(-100, 100),
    "dispersion_threshold": Bound(0, 200),
    "price_zero_multiple": Bound(1, 100, low_exclusive=True),
    "sensitivity_concentration": Bound(0, 100_000, low_exclusive=True),
    # A vendor's number answers, and the score bands over them.
    "answer_number": Bound(-1e12, 1e12),
}


def problem(name: str, value: Any) -> str | None:
    return BOUNDS[name].problem(value)
