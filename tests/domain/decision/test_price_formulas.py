"""Price-formula honesty: the four formulas side by side, and lowest_ratio's rank reversal."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from rfp.domain.decision.price_formulas import compare_price_formulas, rank_reversal_check
from rfp.domain.scoring.model import ScoringInput
from rfp.scenario import normalise_scenario, scenario_to_input


def three_bids(**evaluation: Any) -> ScoringInput:
    """Quality and cost, 50/50. One contact a month at 1000 contacts for one month, so a
    per-contact rate r is a TCO of 1000 r.

              quality (0-5)   quality pts   TCO
      Ahorro        0              0        1000
      Balance       2             40        2000
      Calidad       4             80        4000
    """
    doc = {
        "format": 1,
        "evaluation": {
            "title": "Three bids",
            "scope": {"contacts_per_month": 1000, "aht_minutes": 6, "term_months": 1},
            **evaluation,
        },
        "criteria": [
            {
                "key": "quality",
                "name": "Quality",
                "weight": 50,
                "questions": [{"key": "q", "text": "Quality"}],
            },
            {"key": "cost", "name": "Cost", "weight": 50, "kind": "cost"},
        ],
        "vendors": [
            {"key": key, "name": name, "pricing": {"model": "per_contact", "rate": rate}}
            for key, name, rate in (
                ("ahorro", "Ahorro", 1),
                ("balance", "Balance", 2),
                ("calidad", "Calidad", 4),
            )
        ],
        "evaluators": [{"key": "ana", "name": "Ana"}],
        "scores": [
            {"evaluator": "ana", "vendor": key, "question": "q", "score": s}
            for key, s in (("ahorro", 0), ("balance", 2), ("calidad", 4))
        ],
    }
    return scenario_to_input(normalise_scenario(doc))


def test_the_four_formulas_side_by_side_can_crown_three_different_winners():
    # Cost points (min 1000, max 4000):
    #   lowest_ratio 100 min/TCO:        A 100, B 50,    C 25
    #   linear 100 (max-TCO)/(max-min):  A 100, B 66.67, C 0
    #   deviation 100 (1-(TCO-min)/min): A 100, B 0,     C -200 -> 0
    #   log 100 (1 - ln(TCO/min)/ln 2):  A 100, B 0,     C -100 -> 0
    # Totals = (quality + cost) / 2:
    #   lowest_ratio A 50, B 45, C 52.5      -> Calidad, Ahorro, Balance
    #   linear       A 50, B 53.33, C 40     -> Balance, Ahorro, Calidad
    #   deviation    A 50, B 20, C 40        -> Ahorro, Calidad, Balance
    #   log          the same as deviation
    comparison = compare_price_formulas(three_bids())
    assert comparison.current == "lowest_ratio"
    assert not comparison.agree
    orders = {r.formula: r.order for r in comparison.rankings}
    assert orders == {
        "lowest_ratio": ("calidad", "ahorro", "balance"),
        "linear": ("balance", "ahorro", "calidad"),
        "deviation": ("ahorro", "calidad", "balance"),
        "log": ("ahorro", "calidad", "balance"),
    }
    linear = comparison.ranking("linear")
    assert linear.totals["balance"] == pytest.approx(160 / 3)
    assert linear.cost_scores["balance"] == pytest.approx(200 / 3)
    assert comparison.ranking("lowest_ratio").totals["calidad"] == pytest.approx(52.5)
    assert comparison.leaders["deviation"] == ("ahorro",)
    assert comparison.to_json()["rankings"][0]["ranks"] == {
        "calidad": 1,
        "ahorro": 2,
        "balance": 3,
    }


def test_removing_the_cheapest_bid_reorders_the_others_under_lowest_ratio():
    # Without Ahorro the lowest TCO is 2000: Balance's cost points go 50 -> 100 and
    # Calidad's 25 -> 50, a doubling that widens Balance's cost lead from 25 to 50 points.
    #   before: Calidad 40 + 12.5 = 52.5 ahead of Balance 20 + 25 = 45
    #   after:  Balance 20 + 50 = 70 ahead of Calidad 40 + 25 = 65
    check = rank_reversal_check(three_bids())
    assert check.applicable and check.reordered
    assert (check.removed, check.removed_name) == ("ahorro", "Ahorro")
    assert check.before == ("calidad", "balance")
    assert check.after == ("balance", "calidad")
    (change,) = check.changes
    assert (change.first, change.second, change.before, change.after) == (
        "calidad",
        "balance",
        "ahead",
        "behind",
    )
    assert check.message == (
        "Removing the cheapest bid (Ahorro) reorders the others under lowest_ratio: "
        "Balance moves ahead of Calidad."
    )


def test_linear_keeps_their_order_in_the_same_example():
    # linear: before Balance 53.33, Calidad 40; without Ahorro (min 2000, max 4000):
    # Balance 20 + 50 = 70, Calidad 40 + 0 = 40. Same order.
    check = rank_reversal_check(three_bids(), "linear")
    assert check.applicable and not check.reordered
    assert check.before == check.after == ("balance", "calidad")
    assert "leaves the order of the others unchanged under linear" in check.message


def test_the_check_needs_three_priced_qualified_bids_and_a_cost_criterion(make_scenario):
    two = scenario_to_input(normalise_scenario(make_scenario()))
    check = rank_reversal_check(two)
    assert not check.applicable
    assert check.reason == "fewer than three qualified vendors with a price to compare"
    no_cost = replace(three_bids(), criteria=three_bids().criteria[:1])
    assert rank_reversal_check(no_cost).reason == (
        "the evaluation has no cost criterion or cost scope"
    )
