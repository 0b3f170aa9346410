"""The workbook's formulas, recalculated by a real spreadsheet engine, agree with the engine.

LibreOffice (headless, from Debian) converts the workbook to xlsx again, which computes
every formula and stores its value; openpyxl then reads those values. Skipped only when
`soffice` is missing and RFP_REQUIRE_LIBREOFFICE is not set (CI sets it, so there a
missing LibreOffice fails).
"""

from __future__ import annotations

import copy
import dataclasses

import pytest
from openpyxl.utils.escape import unescape

from rfp.demo import demo_scenario
from rfp.domain.scoring import score_evaluation
from rfp.domain.vocabulary import PriceFormula
from rfp.scenario import scenario_to_input
from tests.reports.conftest import scored
from tests.reports.figures import (
    TOLERANCE,
    assert_figures_equal,
    assert_matrix_and_cost_equal_the_engine,
    cost_cell,
    cost_scores,
    engine_figures,
    summary_figures,
)

pytestmark = pytest.mark.libreoffice


def test_recalculated_totals_ranks_subtotals_and_costs_equal_the_engine(demo_report, recalculate):
    doc, result = demo_report
    wb = recalculate(doc, result)
    assert_figures_equal(summary_figures(wb), engine_figures(result))
    assert_matrix_and_cost_equal_the_engine(wb, doc, result)


def test_libreoffice_recalculates_rather_than_showing_the_stored_figures(demo_report, recalculate):
    """The builder stores the engine's figures beside its formulas (for readers that do not
    recalculate); the tests above must read LibreOffice's own. Stored figures that are
    wrong on purpose come back right."""
    doc, result = demo_report
    wrong = dataclasses.replace(
        result, vendors=tuple(dataclasses.replace(v, total=-1.0) for v in result.vendors)
    )
    wb = recalculate(doc, wrong)
    assert_figures_equal(summary_figures(wb), engine_figures(result))


def test_changing_a_weight_cell_gives_the_ranking_the_engine_gives(demo_report, recalculate):
    doc, result = demo_report
    # Cost from 20 to 60: the cheapest qualified bid (Tanglaw) should take the lead.
    what_if = score_evaluation(scenario_to_input(doc).with_criterion_weights({"cost": 60}))
    assert [v.key for v in what_if.ranked] != [v.key for v in result.ranked]
    wb = recalculate(doc, result, weights={"cost": 60})
    assert_figures_equal(summary_figures(wb), engine_figures(what_if))
    assert min(summary_figures(wb), key=lambda row: row[1] or 99)[0] == "Tanglaw Support Services"


def test_hand_worked_weights_flip_the_ranking(hand_worked, recalculate):
    doc, result = hand_worked
    wb = recalculate(doc, result)
    # Worked in the fixture: beta 78.667 first, alpha 70.5 second.
    assert summary_figures(wb) == [
        ("Beta Support", 1, pytest.approx(78.6666667, abs=TOLERANCE)),
        ("Alpha CX", 2, pytest.approx(70.5, abs=TOLERANCE)),
    ]
    # Cultural fit 40 -> 100 (weights sum to 160):
    # alpha = (100*80 + 30*60 + 20*62.5 + 10*80) / 160 = 11850 / 160 = 74.0625
    # beta  = (100*56.667 + 30*100 + 20*100 + 10*60) / 160 = 11266.667 / 160 = 70.4167
    wb = recalculate(doc, result, weights={"fit": 100})
    rows = {name: (rank, total) for name, rank, total in summary_figures(wb)}
    assert rows["Alpha CX"] == (1, pytest.approx(74.0625, abs=TOLERANCE))
    assert rows["Beta Support"] == (2, pytest.approx(70.4166667, abs=TOLERANCE))


def test_tied_totals_share_a_rank_and_disqualified_vendors_have_none(
    make_scenario, score_doc, recalculate
):
    doc = make_scenario()
    doc["vendors"].append(
        {
            "key": "gamma",
            "name": "Gamma BPO",
            "model": "offshore",
            "pricing": {"model": "per_hour", "rate": 10},
            "knockouts": {"soc2": False},
        }
    )
    # Same scores and price for alpha and beta: equal totals, rank 1 and 1 (then 3 would
    # come next); gamma fails the SOC 2 knockout and has no rank.
    doc["vendors"][0]["pricing"]["rate"] = 10
    doc["scores"] = [
        {"evaluator": e, "vendor": v, "question": q, "score": 3}
        for e in ("ana", "raj")
        for v in ("alpha", "beta", "gamma")
        for q in ("timezone", "language", "audits")
    ]
    doc["references"] = [{"vendor": v, "company": "Acme", "rating": 3} for v in ("alpha", "beta")]
    doc, result = score_doc(doc)
    wb = recalculate(doc, result)
    ranks = {name: rank for name, rank, _total in summary_figures(wb)}
    assert ranks == {"Alpha CX": 1, "Beta Support": 1, "Gamma BPO": None}
    assert_figures_equal(summary_figures(wb), engine_figures(result))


def test_user_text_is_still_text_after_a_spreadsheet_engine_opens_it(
    hostile_report, hostile_texts, recalculate
):
    doc, result = hostile_report
    wb = recalculate(doc, result)
    texts = {
        unescape(cell.value)
        for ws in wb
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    # Not evaluated ("y", 2, ...): the very same text.
    assert set(hostile_texts) <= texts
    assert doc["evaluation"]["title"] in texts


# The demo's scope has a handle time of 10 minutes; Tanglaw, the cheapest qualified bid,
# quotes $1,504 per FTE-month. At 18 minutes every bid priced by the hour or the FTE grows
# by 80 % while the per-contact ones (Threadline, and Valle Claro, disqualified) stay, and
# at $3,000 Tanglaw is no longer the cheapest: Puente Norte sets the lowest TCO instead.
# The ranking moves under every formula (worked out by the engine below): Threadline
# overtakes Tanglaw under the lowest price ratio, Threadline and Cottonwood swap under the
# linear formula, and Puente Norte takes the lead from Tanglaw under the deviation and
# logarithmic ones.
HANDLE_TIME = 18
TANGLAW_RATE = 3000


def _vendor(doc, key):
    return next(v for v in doc["vendors"] if v["key"] == key)


def _no_price_vendor(doc):
    """A qualified vendor that has not priced its bid: 0 on cost under every formula."""
    doc["vendors"].append(
        {
            "key": "sin_precio",
            "name": "Sin Precio BPO",
            "model": "nearshore",
            "pricing": None,
            "knockouts": {"soc2": True, "pci": True},
        }
    )
    return doc


@pytest.mark.parametrize("formula", list(PriceFormula))
def test_handle_time_and_a_rate_changed_on_the_cost_sheet_move_scores_and_ranks_as_the_engine(
    recalculate, formula
):
    doc = _no_price_vendor(demo_scenario())
    doc["evaluation"]["price_formula"] = formula
    doc["evaluation"]["price_zero_multiple"] = 3  # read by the logarithmic formula only
    doc, result = scored(doc)
    changed = copy.deepcopy(doc)
    changed["evaluation"]["scope"]["aht_minutes"] = HANDLE_TIME
    _vendor(changed, "tanglaw")["pricing"]["rate"] = TANGLAW_RATE
    expected = score_evaluation(scenario_to_input(changed))
    assert [v.key for v in expected.vendors] != [v.key for v in result.vendors]

    def edit(wb):
        cost_cell(wb, "Average handle time (minutes)").value = HANDLE_TIME
        cost_cell(wb, "Rate", "Tanglaw Support Services").value = TANGLAW_RATE

    wb = recalculate(doc, result, edit=edit)
    scores = cost_scores(wb)
    for vendor in expected.vendors:
        assert scores[vendor.name] == pytest.approx(vendor.criteria["cost"], abs=TOLERANCE)
    assert scores["Sin Precio BPO"] == 0
    assert_figures_equal(summary_figures(wb), engine_figures(expected))
    # The Matrix's cost row and totals follow too; rows stay in the order generated.
    assert_matrix_and_cost_equal_the_engine(wb, changed, expected)


def test_a_price_typed_in_for_a_vendor_without_one_gives_it_a_cost_score(hand_worked, recalculate):
    """The price inputs of a vendor that gave none are there, blank, to be filled in."""
    doc, result = hand_worked
    doc = copy.deepcopy(doc)
    _vendor(doc, "alpha")["pricing"] = None  # no price: 0 on cost
    doc, result = scored(doc)
    assert result.vendor("alpha").criteria["cost"] == 0
    # alpha at $12 an agent-hour: 2,500 h x 12 = 30,000 a month, TCO 720,000 against
    # beta's 600,000: lowest ratio 100 x 600 / 720 = 83.333.
    changed = copy.deepcopy(doc)
    _vendor(changed, "alpha")["pricing"] = {"model": "per_hour", "rate": 12}

    def edit(wb):
        cost_cell(wb, "Pricing model", "Alpha CX").value = "per agent-hour"
        cost_cell(wb, "Rate", "Alpha CX").value = 12

    wb = recalculate(doc, result, edit=edit)
    assert cost_scores(wb)["Alpha CX"] == pytest.approx(83.3333333, abs=TOLERANCE)
    _changed, expected = scored(changed)
    assert_figures_equal(summary_figures(wb), engine_figures(expected))
