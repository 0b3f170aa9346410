"""A split award's blended TCO (rfp.domain.scoring.cost.split_cost), worked by hand, and
the engine carrying it on the result."""

from __future__ import annotations

import pytest

from rfp.domain.scoring import CostScope, Criterion, Pricing, ScoringInput, Vendor, score_evaluation
from rfp.domain.scoring.cost import split_cost

# 20,000 contacts a month at 6 minutes, occupancy 0.8: H = 2,500 agent-hours a month;
# 24 months, no overhead; in-house 24 * 2,500 * 38 = 2,280,000.
SCOPE = CostScope(contacts_per_month=20_000, aht_minutes=6, term_months=24, inhouse_rate=38)
ALPHA = Vendor("alpha", "Alpha CX", pricing=Pricing("per_hour", 16, 25_000, 2_000))
BETA = Vendor("beta", "Beta Support", pricing=Pricing("per_contact", 0.5, 10_000, 0))


def test_each_vendor_is_paid_its_fees_in_full_and_its_charge_for_its_share():
    split = split_cost([("alpha", 70), ("beta", 30)], [ALPHA, BETA], SCOPE)
    assert split is not None
    alpha, beta = split.shares
    # Alpha: 70 % of 2,500 h at $16 = 28,000 a month; 25,000 + 24 * (28,000 + 2,000) = 745,000
    assert alpha.monthly_charge == pytest.approx(28_000)
    assert alpha.tco == pytest.approx(745_000)
    # Beta: 30 % of 20,000 contacts at $0.50 = 3,000 a month; 10,000 + 24 * 3,000 = 82,000
    assert beta.monthly_charge == pytest.approx(3_000)
    assert beta.tco == pytest.approx(82_000)
    # Blended 827,000 over 24 * 20,000 contacts = $1.7229 a contact; savings 1,453,000.
    assert split.tco == pytest.approx(827_000)
    assert split.cost_per_contact == pytest.approx(827_000 / 480_000)
    assert split.savings == pytest.approx(2_280_000 - 827_000)


def test_governance_overhead_applies_to_each_vendors_charge_and_fees():
    scope = CostScope(20_000, 6, 24, governance_overhead_pct=10)
    split = split_cost([("alpha", 100)], [ALPHA], scope)
    # All the volume to Alpha: 25,000 + 24 * (40,000 + 2,000) * 1.1 = 1,133,800, the same
    # TCO as the unsplit award.
    assert split is not None and split.tco == pytest.approx(1_133_800)
    assert split.inhouse_tco is None and split.savings is None


def test_no_split_without_shares_a_cost_scope_or_a_price():
    assert split_cost([], [ALPHA], SCOPE) is None
    assert split_cost([("alpha", 100)], [ALPHA], None) is None
    assert split_cost([("alpha", 50), ("gamma", 50)], [ALPHA, Vendor("gamma", "G")], SCOPE) is None


def test_the_engine_puts_the_blended_cost_on_the_result_and_its_json():
    inp = ScoringInput(
        criteria=(Criterion("cost", "Cost", 1, "cost"),),
        vendors=(ALPHA, BETA),
        cost_scope=SCOPE,
        award_shares=(("alpha", 70), ("beta", 30)),
    )
    result = score_evaluation(inp)
    assert result.split is not None and result.split.tco == pytest.approx(827_000)
    doc = result.to_json()
    assert doc["split_award"]["shares"][0] == {
        "vendor": "alpha",
        "share_pct": 70,
        "monthly_charge": pytest.approx(28_000),
        "tco": pytest.approx(745_000),
    }
    # Without a split or a pilot the JSON is what it always was.
    plain = score_evaluation(ScoringInput(criteria=inp.criteria, vendors=inp.vendors)).to_json()
    assert "split_award" not in plain and "pilot" not in plain
