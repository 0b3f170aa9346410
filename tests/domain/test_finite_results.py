"""Weights of 1e308 made the results page and the API answer 500 for everyone, and rates
of 1e308 made the API emit `Infinity`. The bounds (rfp.domain.bounds) are chosen so that
the engine's figures are finite by construction: at the extremes of every bound, every
figure of the result is a finite number, whatever the price formula."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from rfp.domain.bounds import BOUNDS
from rfp.domain.scoring import score_evaluation
from rfp.scenario import normalise_scenario, scenario_to_input


def _numbers(value: Any, path: str = "") -> list[tuple[str, float]]:
    if isinstance(value, float):
        return [(path, value)]
    if isinstance(value, dict):
        return [n for k, v in value.items() for n in _numbers(v, f"{path}.{k}")]
    if isinstance(value, list | tuple):
        return [n for i, v in enumerate(value) for n in _numbers(v, f"{path}[{i}]")]
    return []


def _extreme(doc: dict[str, Any], *, cheapest: str) -> dict[str, Any]:
    """Every bound pushed to the side that makes figures largest: the most contacts at
    the longest handle time, the lowest occupancy and the fewest FTE hours, the longest
    term, the dearest rates and fees, the heaviest and lightest weights."""

    def high(name: str) -> float:
        return BOUNDS[name].high

    def low(name: str) -> float:  # the smallest value the bound lets through
        bound = BOUNDS[name]
        return math.nextafter(bound.low, math.inf) if bound.low_exclusive else bound.low

    doc["evaluation"]["scope"] = {
        "contacts_per_month": high("contacts_per_month"),
        "aht_minutes": high("aht_minutes"),
        "occupancy": low("occupancy"),
        "fte_hours_per_month": low("fte_hours_per_month"),
        "term_months": high("term_months"),
        "governance_overhead_pct": high("governance_overhead_pct"),
        "inhouse_rate": high("inhouse_rate"),
    }
    doc["criteria"][0]["weight"] = high("weight")
    doc["criteria"][1]["weight"] = low("weight")
    doc["criteria"][0]["questions"][0]["weight"] = high("weight")
    for vendor, model in zip(doc["vendors"], ("per_hour", "per_fte_month"), strict=True):
        rate = 0 if vendor["key"] == cheapest else high("rate")
        vendor["pricing"] = {
            "model": model,
            "rate": rate,
            "setup_fee": high("setup_fee") if rate else 0,
            "monthly_fee": high("monthly_fee") if rate else 0,
        }
    return doc


@pytest.mark.parametrize("formula", ["linear", "lowest_ratio", "deviation", "log"])
@pytest.mark.parametrize("cheapest", ["alpha", "nobody"])
def test_every_figure_is_finite_at_the_extremes_of_every_bound(make_scenario, formula, cheapest):
    doc = _extreme(make_scenario(price_formula=formula), cheapest=cheapest)
    result = score_evaluation(scenario_to_input(normalise_scenario(doc)))
    figures = _numbers(result.to_json())
    assert figures, "the result has figures"
    assert [path for path, value in figures if not math.isfinite(value)] == []
    json.dumps(result.to_json(), allow_nan=False)  # valid JSON, no Infinity or NaN


@pytest.mark.parametrize(
    ("name", "low"),
    [("occupancy", 0.01), ("fte_hours_per_month", 1)],
)
def test_divisors_of_the_cost_model_are_bounded_away_from_zero(name, low):
    """Agent hours divide by occupancy, FTEs by hours per FTE: a bound of "greater than
    0" let 1e-300 through, and 1e9 hours / 1e-300 is infinite."""
    assert BOUNDS[name].low == low and not BOUNDS[name].low_exclusive
    assert BOUNDS[name].problem(low / 2) == f"must be at least {low:g}"
