"""DESIGN.md "Cost": hours, monthly charge, TCO, cost per contact, savings, the four price
formulas with clamping, the pool they are taken over, the abnormally-low flag and the
seeds' rate ranges. Every figure is worked by hand in a comment.
"""

from __future__ import annotations

import math

import pytest

from rfp.domain.scoring import (
    ConsensusScore,
    CostScope,
    Criterion,
    Pricing,
    Question,
    ScoringInput,
    Settings,
    Vendor,
    score_evaluation,
)
from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, INHOUSE_RATE_RANGE, RATE_RANGES
from rfp.domain.scoring.cost import cost_figures, hours_per_month, monthly_charge, price_score, tco

# 20,000 contacts a month at 6 minutes, occupancy 0.8:
# H = 20,000 * 6 / 60 / 0.8 = 2,000 / 0.8 = 2,500 agent-hours a month.
SCOPE = CostScope(
    contacts_per_month=20_000,
    aht_minutes=6,
    term_months=24,
    occupancy=0.8,
    fte_hours_per_month=160,
    governance_overhead_pct=8,
    inhouse_rate=38,
)

# For the formulas: 1,000 contacts a month over 10 months, no fees, no overhead, so a
# per-contact rate r gives TCO = 10 * 1,000 * r = 10,000 * r exactly.
FLAT = CostScope(contacts_per_month=1_000, aht_minutes=6, term_months=10)

COST_ONLY = (Criterion(key="cost", name="Cost", weight=1, kind="cost"),)
# A compliance criterion holding the soc2 knockout; its scored question gets a consensus
# 3 -> 60 for every vendor so that it never makes anyone incomplete.
KNOCKOUT = (
    Criterion(
        key="compliance",
        name="Compliance",
        weight=1,
        questions=(Question("audits"), Question("soc2", kind="knockout")),
    ),
)


def per_contact(rate: float) -> Pricing:
    return Pricing(model="per_contact", rate=rate)


def priced_input(
    rates: dict[str, float | None],
    *,
    formula: str = "lowest_ratio",
    zero_multiple: float = 2.0,
    failed: tuple[str, ...] = (),
    scope: CostScope = FLAT,
) -> ScoringInput:
    """Vendors with per-contact rates (None: no price); `failed` fail the soc2 knockout."""
    return ScoringInput(
        criteria=COST_ONLY + KNOCKOUT,
        vendors=tuple(
            Vendor(
                key=key,
                name=key.title(),
                pricing=None if rate is None else per_contact(rate),
                knockouts={"soc2": key not in failed},
            )
            for key, rate in rates.items()
        ),
        consensus=tuple(ConsensusScore(key, "audits", 3) for key in rates),
        settings=Settings(price_formula=formula, price_zero_multiple=zero_multiple),  # type: ignore[arg-type]
        cost_scope=scope,
    )


def cost_scores(**kwargs: object) -> dict[str, float]:
    result = score_evaluation(priced_input(**kwargs))  # type: ignore[arg-type]
    return {v.key: v.criteria["cost"] for v in result.vendors}


# -- hours, monthly charge, TCO -----------------------------------------------------------


def test_agent_hours_a_month():
    # 20,000 * 6 / 60 / 0.8 = 2,500
    assert hours_per_month(SCOPE) == pytest.approx(2_500)


def test_occupancy_defaults_to_80_percent_and_fte_hours_to_160():
    scope = CostScope(contacts_per_month=20_000, aht_minutes=6, term_months=24)
    assert (scope.occupancy, scope.fte_hours_per_month) == (0.80, 160.0)
    assert hours_per_month(scope) == pytest.approx(2_500)


@pytest.mark.parametrize(
    ("pricing", "charge", "effective_rate"),
    [
        # per_hour: H * rate = 2,500 * 16 = 40,000; 40,000 / 2,500 = $16/agent-hour
        (Pricing("per_hour", 16), 40_000, 16),
        # per_contact: contacts * rate = 20,000 * 2.10 = 42,000; / 2,500 = $16.80/h
        (Pricing("per_contact", 2.10), 42_000, 16.8),
        # per_fte_month: H / 160 * rate = 15.625 FTE * 3,200 = 50,000; / 2,500 = $20/h
        (Pricing("per_fte_month", 3_200), 50_000, 20),
    ],
)
def test_monthly_charge_for_each_pricing_model(pricing, charge, effective_rate):
    hours = hours_per_month(SCOPE)
    assert monthly_charge(pricing, SCOPE, hours) == pytest.approx(charge)
    figures = cost_figures(pricing, SCOPE, None)
    assert figures[1] == pytest.approx(charge)
    assert figures[4] == pytest.approx(effective_rate)


def test_tco_with_setup_fee_monthly_fee_and_governance_overhead():
    # 25,000 + 24 * (40,000 + 2,000) * 1.08 = 25,000 + 1,008,000 * 1.08
    #   = 25,000 + 1,088,640 = 1,113,640
    pricing = Pricing("per_hour", 16, setup_fee=25_000, monthly_fee=2_000)
    assert tco(pricing, SCOPE, 40_000) == pytest.approx(1_113_640)


def test_cost_figures_through_the_engine():
    # TCO 1,113,640 as above.
    # cost per contact = 1,113,640 / (24 * 20,000) = 1,113,640 / 480,000 = 2.320083
    # in-house TCO = 24 * 2,500 * 38 = 2,280,000; savings = 2,280,000 - 1,113,640 = 1,166,360
    inp = ScoringInput(
        criteria=COST_ONLY,
        vendors=(
            Vendor(
                key="alpha",
                name="Alpha",
                delivery_model="nearshore",
                pricing=Pricing("per_hour", 16, setup_fee=25_000, monthly_fee=2_000),
            ),
        ),
        cost_scope=SCOPE,
    )
    cost = score_evaluation(inp).vendor("alpha").cost
    assert cost is not None
    assert cost.hours_per_month == pytest.approx(2_500)
    assert cost.monthly_charge == pytest.approx(40_000)
    assert cost.tco == pytest.approx(1_113_640)
    assert cost.cost_per_contact == pytest.approx(2.320083, abs=1e-6)
    assert cost.inhouse_tco == pytest.approx(2_280_000)
    assert cost.savings == pytest.approx(1_166_360)
    assert cost.effective_rate == pytest.approx(16)
    assert cost.rate_range == (12.0, 20.0)
    assert cost.score == 100  # the only price is the lowest
    assert cost.to_json()["savings"] == pytest.approx(1_166_360)


def test_savings_are_negative_when_the_vendor_costs_more_than_in_house():
    # Specialty at $50/h: TCO = 24 * 2,500 * 50 = 3,000,000 (no fees, no overhead);
    # in-house 24 * 2,500 * 38 = 2,280,000; savings = -720,000.
    scope = CostScope(20_000, 6, 24, inhouse_rate=38)
    inp = ScoringInput(
        criteria=COST_ONLY,
        vendors=(Vendor("s", "S", "specialty", Pricing("per_hour", 50)),),
        cost_scope=scope,
    )
    assert score_evaluation(inp).vendor("s").cost.savings == pytest.approx(-720_000)


def test_without_an_in_house_rate_there_are_no_savings():
    scope = CostScope(20_000, 6, 24)
    inp = ScoringInput(
        criteria=COST_ONLY,
        vendors=(Vendor("a", "A", pricing=Pricing("per_hour", 16)),),
        cost_scope=scope,
    )
    cost = score_evaluation(inp).vendor("a").cost
    assert cost.inhouse_tco is None and cost.savings is None


# -- the four price formulas --------------------------------------------------------------


@pytest.mark.parametrize("formula", ["lowest_ratio", "linear", "deviation", "log"])
def test_every_formula_gives_100_to_all_when_all_prices_are_equal(formula):
    # lowest_ratio 100 * 1; linear: max == min -> 100; deviation 100 * (1 - 0);
    # log 100 * (1 - ln 1 / ln 2) = 100.
    assert cost_scores(rates={"a": 12, "b": 12, "c": 12}, formula=formula) == {
        "a": 100,
        "b": 100,
        "c": 100,
    }


@pytest.mark.parametrize(
    ("formula", "zero_multiple", "expected_dear"),
    [
        # TCOs 100,000 and 300,000 (rates 10 and 30): the dear one is 3x the lowest.
        ("lowest_ratio", 2, 100 / 3),  # 100 * 100,000 / 300,000 = 33.33
        ("linear", 2, 0.0),  # 100 * (300 - 300) / (300 - 100) = 0
        ("deviation", 2, 0.0),  # 100 * (1 - 200/100) = -100, clamped to 0
        ("log", 2, 0.0),  # 100 * (1 - ln 3 / ln 2) = 100 * (1 - 1.585) = -58.5 -> 0
        ("log", 4, 20.7519),  # 100 * (1 - ln 3 / ln 4) = 100 * (1 - 0.79248) = 20.75
    ],
)
def test_each_formula_when_one_price_is_three_times_the_lowest(
    formula, zero_multiple, expected_dear
):
    got = cost_scores(rates={"cheap": 10, "dear": 30}, formula=formula, zero_multiple=zero_multiple)
    assert got["cheap"] == 100
    assert got["dear"] == pytest.approx(expected_dear, abs=1e-4)


@pytest.mark.parametrize(
    ("formula", "zero_multiple", "expected"),
    [
        # TCOs: low 100,000, mid1 150,000 (1.5x), mid2 200,000 (2x), high 300,000 (3x).
        # lowest_ratio: 100/1.5 = 66.67, 100/2 = 50, 100/3 = 33.33
        ("lowest_ratio", 2, {"mid1": 66.6667, "mid2": 50.0, "high": 33.3333}),
        # linear: (300-150)/(300-100) = 75, (300-200)/200 = 50, 0
        ("linear", 2, {"mid1": 75.0, "mid2": 50.0, "high": 0.0}),
        # deviation: 1 - 0.5 = 50, 1 - 1 = 0 (twice the lowest scores 0), -1 -> 0
        ("deviation", 2, {"mid1": 50.0, "mid2": 0.0, "high": 0.0}),
        # log A=2: 1 - ln 1.5 / ln 2 = 1 - 0.58496 = 41.50; ln 2 / ln 2 -> 0; ln 3 -> < 0 -> 0
        ("log", 2, {"mid1": 41.5037, "mid2": 0.0, "high": 0.0}),
        # log A=4: 1 - 0.29248 = 70.75; 1 - 0.5 = 50; 1 - 0.79248 = 20.75
        ("log", 4, {"mid1": 70.7519, "mid2": 50.0, "high": 20.7519}),
    ],
)
def test_each_formula_between_the_lowest_and_the_highest(formula, zero_multiple, expected):
    got = cost_scores(
        rates={"low": 10, "mid1": 15, "mid2": 20, "high": 30},
        formula=formula,
        zero_multiple=zero_multiple,
    )
    assert got["low"] == 100
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-4), key


def test_price_score_is_clamped_to_0_100():
    # lowest_ratio for a price below the lowest: 100 * 100 / 50 = 200 -> 100.
    assert price_score(50, 100, 300, "lowest_ratio") == 100
    # linear above the highest: 100 * (300 - 400) / 200 = -50 -> 0.
    assert price_score(400, 100, 300, "linear") == 0
    # deviation at 3x: -100 -> 0; log at 3x with A = 2: -58.5 -> 0.
    assert price_score(300, 100, 300, "deviation") == 0
    assert price_score(300, 100, 300, "log", 2) == 0
    # the unclamped values for the record
    assert 100 * (1 - math.log(3) / math.log(2)) == pytest.approx(-58.496, abs=1e-3)


def test_linear_formula_with_a_free_lowest_offer_follows_the_formula():
    """linear is 100 * (max - TCO) / (max - min): with min 0, a TCO half-way to the max
    scores 50. The ratio formulas divide by min and cannot; there, a free offer takes all
    the points and any price scores 0."""
    assert price_score(50, 0, 100, "linear") == pytest.approx(50)
    assert price_score(0, 0, 100, "linear") == 100
    assert price_score(50, 0, 100, "lowest_ratio") == 0
    assert price_score(0, 0, 100, "deviation") == 100


def test_min_and_max_are_taken_over_qualified_vendors_only():
    # Qualified: q1 200,000, q2 400,000; disqualified d 100,000 does not set the minimum.
    # lowest_ratio: q1 = 100 (not 50), q2 = 100 * 200/400 = 50, d = 200 -> clamped 100.
    inp = priced_input({"q1": 20, "q2": 40, "d": 10}, failed=("d",))
    result = score_evaluation(inp)
    assert (result.min_tco, result.max_tco) == (pytest.approx(200_000), pytest.approx(400_000))
    assert {v.key: v.criteria["cost"] for v in result.vendors} == {
        "q1": 100,
        "q2": pytest.approx(50),
        "d": 100,
    }
    # linear: d = 100 * (400 - 100) / (400 - 200) = 150 -> 100; q2 = 0.
    linear = cost_scores(rates={"q1": 20, "q2": 40, "d": 10}, formula="linear", failed=("d",))
    assert linear == {"q1": 100, "q2": 0, "d": 100}


def test_without_a_qualified_price_min_and_max_are_over_all_prices():
    # Both fail the knockout: the pool falls back to every priced vendor. 100 * 100/300.
    got = cost_scores(rates={"a": 10, "b": 30}, failed=("a", "b"))
    assert got == {"a": 100, "b": pytest.approx(33.3333, abs=1e-4)}


def test_a_vendor_with_no_price_scores_0_on_cost_and_is_incomplete():
    # a 100,000 and b 200,000 set min and max; c has no price and is not in the pool.
    result = score_evaluation(priced_input({"a": 10, "b": 20, "c": None}, formula="linear"))
    c = result.vendor("c")
    assert c.criteria["cost"] == 0
    assert c.cost is None
    assert not c.complete
    assert "no price" in c.incomplete_reasons
    assert result.vendor("b").criteria["cost"] == 0  # linear: b is the max
    assert (result.min_tco, result.max_tco) == (pytest.approx(100_000), pytest.approx(200_000))
    assert result.vendor("a").complete


def test_a_cost_criterion_without_the_scope_volumes_scores_0_and_is_incomplete():
    inp = ScoringInput(
        criteria=COST_ONLY, vendors=(Vendor("a", "A", pricing=Pricing("per_hour", 16)),)
    )
    a = score_evaluation(inp).vendor("a")
    assert a.criteria["cost"] == 0
    assert a.incomplete_reasons == ("no cost scope",)


# -- abnormally low -----------------------------------------------------------------------


def _abnormal(result, key):  # type: ignore[no-untyped-def]
    return any(f.kind == "abnormally_low" for f in result.vendor(key).flags)


def test_a_tco_more_than_25_percent_below_the_median_of_the_others_is_flagged():
    # a 100,000; b and c 200,000. For a, the others' median is 200,000 and
    # 100,000 < 0.75 * 200,000 = 150,000: flagged. For b, the others are 100,000 and
    # 200,000, median 150,000: 200,000 is not below 112,500.
    result = score_evaluation(priced_input({"a": 10, "b": 20, "c": 20}))
    assert _abnormal(result, "a")
    assert result.vendor("a").cost.abnormally_low
    assert not _abnormal(result, "b") and not _abnormal(result, "c")
    (flag,) = [f for f in result.vendor("a").flags if f.kind == "abnormally_low"]
    assert flag.detail == {"tco": pytest.approx(100_000), "median_others": pytest.approx(200_000)}


def test_exactly_25_percent_below_the_median_is_not_flagged():
    # 150,000 = 0.75 * 200,000: not *more* than 25 % below.
    result = score_evaluation(priced_input({"a": 15, "b": 20, "c": 20}))
    assert not _abnormally_low_any(result)


def _abnormally_low_any(result) -> bool:  # type: ignore[no-untyped-def]
    return any(v.cost is not None and v.cost.abnormally_low for v in result.vendors)


def test_the_abnormally_low_median_is_over_the_other_qualified_vendors_only():
    """Disqualified bids neither set the median nor get the flag (a deliberate choice of
    the engine: the flag asks the lead to check an offer they might award)."""
    # Qualified a 100,000, b 200,000, c 200,000; disqualified d and e 10,000 each.
    # a's others (qualified): 200,000, 200,000 -> median 200,000 -> flagged. Were d and e
    # counted, the median of 200, 200, 10, 10 would be 105,000 and a would not be.
    result = score_evaluation(
        priced_input({"a": 10, "b": 20, "c": 20, "d": 1, "e": 1}, failed=("d", "e"))
    )
    assert _abnormal(result, "a")
    assert not _abnormal(result, "d") and not _abnormal(result, "e")


def test_a_single_qualified_vendor_is_never_abnormally_low():
    result = score_evaluation(priced_input({"a": 1, "d": 20}, failed=("d",)))
    assert not _abnormally_low_any(result)


# -- the seeds' rate ranges ---------------------------------------------------------------


def test_rate_ranges_are_the_seeds_table():
    # "What Outsourcing Typically Costs": onshore $20-35, nearshore $12-20, offshore
    # $7-15, specialty $35-60 per agent-hour; in-house $30-45; cost per ticket $4-22.
    assert dict(RATE_RANGES) == {
        "onshore": (20, 35),
        "nearshore": (12, 20),
        "offshore": (7, 15),
        "specialty": (35, 60),
    }
    assert INHOUSE_RATE_RANGE == (30, 45)
    assert COST_PER_CONTACT_RANGE == (4, 22)


RANGE_CASES = [
    (model, rate, side)
    for model, (lo, hi) in RATE_RANGES.items()
    for rate, side in ((lo - 0.5, "below"), (lo, None), (hi, None), (hi + 0.5, "above"))
]


@pytest.mark.parametrize(("model", "rate", "side"), RANGE_CASES)
def test_a_rate_outside_its_delivery_models_range_is_flagged(model, rate, side):
    # per_hour on H = 2,500: the effective rate is the quoted rate. The range is
    # inclusive: a rate on either end is inside.
    inp = ScoringInput(
        criteria=COST_ONLY,
        vendors=(Vendor("v", "V", model, Pricing("per_hour", rate)),),
        cost_scope=SCOPE,
    )
    v = score_evaluation(inp).vendor("v")
    flags = [f for f in v.flags if f.kind == "price_range"]
    lo, hi = RATE_RANGES[model]
    assert v.cost.rate_range == (lo, hi)
    if side is None:
        assert flags == []
    else:
        (flag,) = flags
        assert f"is {side} the {model} range" in flag.message
        assert flag.detail == {"effective_rate": pytest.approx(rate), "range": [lo, hi]}


def test_the_range_applies_to_the_effective_rate_of_any_pricing_model():
    # per_fte_month $2,000 over 160 h = $12.50/h: inside nearshore (12-20) but below
    # onshore (20-35).
    def flagged(model: str) -> bool:
        inp = ScoringInput(
            criteria=COST_ONLY,
            vendors=(Vendor("v", "V", model, Pricing("per_fte_month", 2_000)),),  # type: ignore[arg-type]
            cost_scope=SCOPE,
        )
        return any(f.kind == "price_range" for f in score_evaluation(inp).vendor("v").flags)

    assert not flagged("nearshore")
    assert flagged("onshore")


def test_a_vendor_without_delivery_model_gets_no_rate_range_flag():
    inp = ScoringInput(
        criteria=COST_ONLY,
        vendors=(Vendor("v", "V", None, Pricing("per_hour", 500)),),
        cost_scope=SCOPE,
    )
    v = score_evaluation(inp).vendor("v")
    assert v.cost.rate_range is None
    assert not any(f.kind == "price_range" for f in v.flags)


@pytest.mark.parametrize(("rate", "side"), [(3.5, "below"), (4, None), (22, None), (22.5, "above")])
def test_cost_per_contact_outside_the_4_to_22_benchmark_is_flagged(rate, side):
    # per_contact with no fees and no overhead: cost per contact = the rate.
    inp = ScoringInput(
        criteria=COST_ONLY,
        vendors=(Vendor("v", "V", None, per_contact(rate)),),
        cost_scope=FLAT,
    )
    v = score_evaluation(inp).vendor("v")
    assert v.cost.cost_per_contact == pytest.approx(rate)
    flags = [f for f in v.flags if f.kind == "cost_per_contact_range"]
    assert len(flags) == (0 if side is None else 1)
    if side:
        assert f"is {side} the $4-22 benchmark" in flags[0].message
