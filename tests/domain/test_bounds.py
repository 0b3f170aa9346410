"""The bounds of every number: absurd figures are refused with a phrase that follows the
field's name; ordinary ones pass."""

from __future__ import annotations

import math

import pytest

from rfp.domain.bounds import BOUNDS, problem


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("weight", 1e308, "must be at most 10,000"),
        ("weight", 0, "must be greater than 0"),
        ("weight", math.inf, "must be a number (not infinite)"),
        ("weight", math.nan, "must be a number (not infinite)"),
        ("weight", "20", "must be a number"),
        ("weight", True, "must be a number"),
        ("aht_minutes", 601, "must be at most 600"),
        ("occupancy", 1.2, "must be at most 1"),
        ("term_months", 241, "must be at most 240"),
        ("governance_overhead_pct", -1, "must be at least 0"),
        ("rate", 2e6, "must be at most 1,000,000"),
        ("pilot_weeks", 10.5, "must be a whole number"),
        ("price_zero_multiple", 1, "must be greater than 1"),
        ("answer_number", -2e12, "must be at least -1,000,000,000,000"),
    ],
)
def test_absurd_numbers_are_refused_in_words(name, value, expected):
    assert problem(name, value) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("weight", 0.001),
        ("weight", 10_000),
        ("contacts_per_month", 20_000),
        ("aht_minutes", 6),
        ("occupancy", 1),
        ("fte_hours_per_month", 160),
        ("term_months", 24),
        ("governance_overhead_pct", 8),
        ("inhouse_rate", 38),
        ("rate", 3150.5),  # per FTE-month
        ("setup_fee", 25_000),
        ("pilot_weeks", 10),
        ("scale_point", 0),
        ("dispersion_threshold", 2),
        ("price_zero_multiple", 2),
    ],
)
def test_what_a_real_evaluation_holds_passes(name, value):
    assert problem(name, value) is None


def test_every_bound_is_finite_and_ordered():
    for name, bound in BOUNDS.items():
        assert math.isfinite(bound.low) and math.isfinite(bound.high), name
        assert bound.low < bound.high, name
