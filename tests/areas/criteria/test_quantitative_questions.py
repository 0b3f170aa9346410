"""Quantitative questions: the lead sets a number question's score bands in the criteria
editor, types in the vendor's number, and evaluators see the computed score."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from tests.fixtures.decision_web import import_small, text_of
from tests.fixtures.evaluations import events, membership_id, set_stage

# Six hours or more of daily overlap is strong (the seeds): 5; four to six: 3; less: 1.
BANDS = [
    {"min": 6, "max": None, "score": 5},
    {"min": 4, "max": 6, "score": 3},
    {"min": None, "max": 4, "score": 1},
]


def _scenario(stage: str = "draft", bands: bool = False) -> dict[str, Any]:
    overlap: dict[str, Any] = {"key": "overlap", "text": "Hours of daily overlap"}
    if bands:
        overlap.update(answer_type="number", unit="h", bands=BANDS)
    return {
        "format": 1,
        "evaluation": {"title": "Numbers", "stage": stage, "scale": {"min": 0, "max": 5}},
        "criteria": [
            {
                "key": "fit",
                "name": "Fit",
                "weight": 100,
                "questions": [{"key": "style", "text": "Escalation style"}, overlap],
            }
        ],
        "vendors": [{"key": "x", "name": "Xeno CX"}, {"key": "y", "name": "Yonder Support"}],
        "evaluators": [{"key": "ana", "name": "Ana Ruiz"}],
        "scores": [
            {"evaluator": "ana", "vendor": v, "question": "style", "score": 3} for v in "xy"
        ],
    }


def _band_rows(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    data = {"bands_posted": "1"}
    for i, (lo, hi, score) in enumerate(rows):
        data.update({f"band-{i}-min": lo, f"band-{i}-max": hi, f"band-{i}-score": score})
    return data


def _question(db: Any, question_id: int) -> m.Question:
    with db.transaction() as s:
        return s.get(m.Question, question_id)


def test_the_bands_editor_names_the_row_of_each_error_and_saves_nothing(client, auth, db):
    ids = import_small(db, _scenario())
    ev, fit = ids["evaluation"], ids["c:fit"]
    auth.login("lena")
    data = {
        "text": "Agent attrition over the last 12 months",
        "kind": "scored",
        "weight": "1",
        "answer_type": "number",
        "unit": "%",
        **_band_rows(
            [
                ("", "20", "5"),  # fine: under 20 %
                ("40", "20", "3"),  # max below min
                ("60", "", "9"),  # score off the 0-5 scale
                ("abc", "", "1"),  # not a number
                ("70", "", ""),  # no score
                ("", "", ""),  # blank: skipped
            ]
        ),
    }
    response = client.post(f"/evaluations/{ev}/criteria/{fit}/questions/new", data=data)
    assert response.status_code == 200
    page = text_of(response.data.decode())
    assert "Band row 4: min must be a number" in page
    assert "Band row 5: give the score this band earns" in page
    with db.transaction() as s:
        assert len(s.scalars(select(m.Question).where(m.Question.evaluation_id == ev)).all()) == 2
    # Once the numbers parse, the ends and the scale are checked, row by row.
    data.update({"band-3-min": "80", "band-4-score": "0"})
    page = text_of(client.post(f"/evaluations/{ev}/criteria/{fit}/questions/new", data=data)
                   .data.decode())  # fmt: skip
    assert "Band row 2: max must be greater than min" in page
    assert "Band row 3: score must be between 0 and 5" in page
    assert (
        'value="40"'
        in client.post(f"/evaluations/{ev}/criteria/{fit}/questions/new", data=data).data.decode()
    )  # what was typed is shown again


def test_a_number_question_with_bands_is_saved_audited_and_listed(client, auth, db):
    ids = import_small(db, _scenario())
    ev, fit = ids["evaluation"], ids["c:fit"]
    auth.login("lena")
    data = {
        "text": "Hours of overlap with US Central",
        "kind": "scored",
        "weight": "1",
        "answer_type": "number",
        "unit": "h",
        **_band_rows([("6", "", "5"), ("4", "6", "3"), ("", "4", "1")]),
    }
    response = client.post(f"/evaluations/{ev}/criteria/{fit}/questions/new", data=data)
    assert response.status_code == 302
    [event] = events(db, ev, "question.added")
    assert event.new["answer_type"] == "number" and event.new["unit"] == "h"
    assert event.new["bands"] == BANDS
    page = text_of(client.get(f"/evaluations/{ev}/criteria").data.decode())
    assert "Hours of overlap with US Central number, h scored by bands" in page
    assert "Bands: 5 for 6 h or more; 3 for 4 to under 6 h; 1 for under 4 h" in page


def test_after_draft_changing_the_bands_needs_a_reason(client, auth, db):
    ids = import_small(db, _scenario(stage="open", bands=True))
    ev, overlap = ids["evaluation"], ids["q:overlap"]
    auth.login("lena")
    url = f"/evaluations/{ev}/criteria/questions/{overlap}/edit"
    data = {
        "text": "Hours of daily overlap",
        "kind": "scored",
        "weight": "1",
        "answer_type": "number",
        "unit": "h",
        **_band_rows([("7", "", "5"), ("4", "7", "3"), ("", "4", "1")]),
    }
    assert "Give a reason" in client.post(url, data=data).data.decode()
    assert _question(db, overlap).bands == BANDS
    data["reason"] = "Seven hours is what the pilot showed we need"
    assert client.post(url, data=data).status_code == 302
    [event] = events(db, ev, "question.updated")
    assert event.old == {"bands": BANDS}
    assert event.new["bands"][0] == {"min": 7, "max": None, "score": 5}
    assert event.reason.startswith("Seven hours")


def test_the_vendors_number_is_scored_by_the_bands_and_shown_to_evaluators(client, auth, db):
    ids = import_small(db, _scenario(bands=True))
    ev, overlap = ids["evaluation"], ids["q:overlap"]
    auth.login("lena")
    # The lead types in each vendor's response: Xeno 7 h of overlap, Yonder 5 h.
    for vendor, hours in (("x", "7"), ("y", "5")):
        response = client.post(
            f"/evaluations/{ev}/vendors/{ids[vendor]}/response",
            data={f"number_{overlap}": hours, f"answer_{ids['q:style']}": "Named matrix"},
        )
        assert response.status_code == 302
    auth.logout()
    set_stage(db, ev, "scoring")
    with db.transaction() as s:  # Ana has declared she has no conflict of interest
        s.get(m.Membership, membership_id(db, ev, "ana")).coi_declared_at = utcnow()
    auth.login("ana")
    card = client.get(f"/evaluations/{ev}/scorecards/{ids['x']}").data.decode()
    # No score input for the computed question; its score and band read-only.
    assert f'name="score-{overlap}"' not in card
    assert f'name="score-{ids["q:style"]}"' in card
    text = text_of(card)
    assert "7 h" in text
    assert (
        "Scored by the lead's bands, the same way for every vendor: 5 (band: 6 h or more). "
        "You do not score it." in text
    )
    text = text_of(client.get(f"/evaluations/{ev}/scorecards/{ids['y']}").data.decode())
    assert "every vendor: 3 (band: 4 to under 6 h)" in text
    # The engine scores it the same: Xeno's overlap 5 -> 100, Yonder's 3 -> 60; with the
    # style question at 3 -> 60 for both, Fit = (60 + 100) / 2 = 80 and (60 + 60) / 2 = 60.
    with db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, ev)))
    assert result.vendor("x").questions["overlap"] == 100
    assert result.vendor("y").questions["overlap"] == 60
    assert [round(v.total, 6) for v in result.vendors] == [80, 60]
