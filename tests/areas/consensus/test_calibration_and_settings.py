"""Evaluator normalisation and the stability concentration on the settings page, and
evaluator calibration on the consensus page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rfp import models as m
from rfp.domain.decision.calibration import evaluator_calibration
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from tests.fixtures.decision_web import import_small, section, text_of
from tests.fixtures.evaluations import events, set_stage


def _panel(scores: dict[str, dict[str, int]], stage: str = "draft") -> dict[str, Any]:
    """One criterion with one question scored 0-5 by Ana and Ben; no cost criterion, so
    the scope needs no volumes. `scores`: evaluator -> vendor -> score."""
    return {
        "format": 1,
        "evaluation": {"title": "Panel", "stage": stage, "scale": {"min": 0, "max": 5}},
        "criteria": [
            {"key": "fit", "name": "Fit", "weight": 100, "questions": [{"key": "q", "text": "Q"}]}
        ],
        "vendors": [
            {"key": "x", "name": "Xeno CX"},
            {"key": "y", "name": "Yonder Support"},
            {"key": "z", "name": "Zenit Care"},
        ],
        "evaluators": [{"key": "ana", "name": "Ana Ruiz"}, {"key": "ben", "name": "Ben Okafor"}],
        "scores": [
            {"evaluator": e, "vendor": v, "question": "q", "score": s}
            for e, row in scores.items()
            for v, s in row.items()
        ],
    }


# Ana spreads her scores wide, Ben narrow and the other way round.
SPREAD = {"ana": {"x": 5, "y": 1, "z": 3}, "ben": {"x": 2, "y": 4, "z": 2}}


def _settings(db: Any, evaluation_id: int, **changes: Any) -> dict[str, Any]:
    """The settings form as the page posts it back (no cost criterion: no volumes)."""
    with db.transaction() as s:
        ev = s.get(m.Evaluation, evaluation_id)
        data = {
            "title": ev.title,
            "description": ev.description,
            "scale_min": "0",
            "scale_max": "5",
            "aggregation": ev.aggregation,
            "dispersion_threshold": str(ev.dispersion_threshold),
            "price_formula": ev.price_formula,
            "price_zero_multiple": str(ev.price_zero_multiple),
            "sensitivity_concentration": f"{ev.sensitivity_concentration:g}",
        }
        if ev.normalise_evaluators:
            data["normalise_evaluators"] = "y"
        for point, text in (ev.anchors or {}).items():
            data[f"anchor_{point}"] = text
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _ranking(client: Any, evaluation_id: int) -> list[tuple[str, str, str]]:
    """(rank, vendor key, total) of the results page's ranking table."""
    page = client.get(f"/evaluations/{evaluation_id}/results").data.decode()
    table = page[page.index('class="table ranking"') :].split("</table>")[0]
    return re.findall(
        r'data-vendor="(\w+)">\s*<td class="num rank">([^<]*)</td>.*?'
        r'<td class="num total-score">([^<]*)</td>',
        table,
        re.S,
    )


def test_normalising_evaluators_changes_the_ranking_as_the_engine_does(client, auth, db):
    # Raw: X (5 + 2) / 2 = 3.5 -> 70, Y (1 + 4) / 2 = 2.5 -> 50, Z (3 + 2) / 2 -> 50:
    # X first, Y and Z tied second.
    # Normalised: the panel's six scores have mean 17/6 = 2.833 and spread 1.344; Ana's
    # (mean 3, spread 1.633) and Ben's (mean 2.667, spread 0.943) become z-scores put
    # back on the panel's: X (4.479 + 1.883) / 2 = 3.181 -> 63.6, Y (1.188 + 4.733) / 2
    # = 2.961 -> 59.2, Z (2.833 + 1.883) / 2 = 2.358 -> 47.2: the tie is broken.
    ids = import_small(db, _panel(SPREAD))
    ev = ids["evaluation"]
    auth.login("lena")
    assert _ranking(client, ev) == [("x", "1", "70.0"), ("y", "2", "50.0"), ("z", "2", "50.0")]
    response = client.post(
        f"/evaluations/{ev}/settings", data=_settings(db, ev, normalise_evaluators="y")
    )
    assert response.status_code == 302
    [event] = events(db, ev, "settings.changed")
    assert (event.old, event.new) == (
        {"normalise_evaluators": False},
        {"normalise_evaluators": True},
    )
    shown = _ranking(client, ev)
    assert shown == [("x", "1", "63.6"), ("y", "2", "59.2"), ("z", "3", "47.2")]
    with db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, ev)))
    assert [(v.key, str(v.rank), f"{v.total:.1f}") for v in result.vendors] == shown
    # The dispersion flags still read the raw scores: X's spread is 5 - 2 = 3 points.
    assert result.dispersion[0].spread == 3


def test_after_draft_normalisation_and_the_concentration_need_a_reason(client, auth, db):
    ids = import_small(db, _panel(SPREAD, stage="scoring"))
    ev = ids["evaluation"]
    auth.login("lena")
    url = f"/evaluations/{ev}/settings"
    for change in ({"normalise_evaluators": "y"}, {"sensitivity_concentration": "200"}):
        response = client.post(url, data=_settings(db, ev, **change))
        assert response.status_code == 200
        assert "Give a reason" in response.data.decode()
    assert events(db, ev, "settings.changed") == []
    data = _settings(db, ev, sensitivity_concentration="200", reason="Tighter spread agreed")
    assert client.post(url, data=data).status_code == 302
    [event] = events(db, ev, "settings.changed")
    assert event.new == {"sensitivity_concentration": 200}
    assert event.old == {"sensitivity_concentration": 50}
    assert event.reason == "Tighter spread agreed"
    page = client.get(f"/evaluations/{ev}/results").data.decode()
    assert "concentration 200" in text_of(section(page, "sensitivity"))


@pytest.mark.parametrize("value", ["0", "-3", "abc"])
def test_a_concentration_that_is_not_a_positive_number_is_refused(client, auth, db, value):
    ids = import_small(db, _panel(SPREAD))
    ev = ids["evaluation"]
    auth.login("lena")
    data = _settings(db, ev, sensitivity_concentration=value)
    response = client.post(f"/evaluations/{ev}/settings", data=data)
    assert response.status_code == 200
    page = text_of(response.data.decode())
    assert "Spread of the plausible weightings" in page
    assert "Please correct the field marked below" in page
    assert events(db, ev, "settings.changed") == []


def test_the_settings_page_explains_normalisation(client, auth, db, demo):
    auth.login("morgan")
    page = text_of(client.get(f"/evaluations/{demo['evaluation']}/settings").data.decode())
    assert "Normalise each evaluator's scores to the panel before aggregating" in page
    assert "Off by default. The dispersion flags" in page
    assert "still read the raw scores" in page


# -- calibration on the consensus page -------------------------------------------------------


def test_the_consensus_page_shows_who_leans_lenient_or_severe_and_why(client, auth, db):
    # Ana gives X 5, Y 4, Z 5; Ben X 3, Y 3, Z 2. Ana's differences: +2, +1, +3 points,
    # mean +2 (40 of 100), sample spread 1: lenient. Ben's are their opposites: severe.
    # Ana's largest differences first: Zenit (+3), Xeno (+2), Yonder (+1).
    ids = import_small(
        db, _panel({"ana": {"x": 5, "y": 4, "z": 5}, "ben": {"x": 3, "y": 3, "z": 2}}, "consensus")
    )
    ev = ids["evaluation"]
    auth.login("lena")
    html = client.get(f"/evaluations/{ev}/consensus").data.decode()
    calibration = section(html, "calibration")
    text = text_of(calibration)
    assert "Ana Ruiz lenient +2.00 (+40.0 of 100) 1.00 3" in text
    assert "Ben Okafor severe −2.00 (−40.0 of 100) 1.00 3" in text
    ana = text[text.index("Ana Ruiz") : text.index("Ben Okafor")]
    assert ana.index("Zenit Care · 1.1 Q: gave 5, the others 2 on average (+3.00)") < ana.index(
        "Xeno CX · 1.1 Q: gave 5, the others 3 on average (+2.00)"
    )
    # A leaning evaluator's items are shown open; each links to its pair.
    assert "<details open>" in calibration
    assert f'href="/evaluations/{ev}/consensus/{ids["z"]}/{ids["q:q"]}"' in calibration
    # The same figures as the module.
    with db.transaction() as s:
        cal = evaluator_calibration(load_scoring_input(s, s.get(m.Evaluation, ev)))
    assert cal.evaluator("ana").mean_difference == pytest.approx(40)
    assert cal.evaluator("ana").leaning == "lenient"


def test_calibration_is_the_leads_only(client, auth, db, demo):
    ev = demo["evaluation"]
    set_stage(db, ev, "consensus")
    auth.login("dana")
    assert client.get(f"/evaluations/{ev}/consensus").status_code == 403
