"""Abstaining on a question: an explicit "I cannot judge this", with a required reason,
on the scorecard (saved as you go or with the form). It counts as done on the
evaluator's progress, is not a score, and is not missing.

Data: the demo moved back to `scoring` with Dana declared and no score of hers
(the fixtures of test_scorecards).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from tests.areas.scorecards.test_scorecards import (
    SCORED,
    _form_url,
    dana_scores,
    fill_dana,
    save_json,
)
from tests.fixtures.evaluations import audit, set_stage

REASON = "I was not on the call where Cottonwood showed its rota"


def _result(db: Any, ids: dict[str, Any]) -> Any:
    with db.transaction() as s:
        return score_evaluation(load_scoring_input(s, s.get(m.Evaluation, ids["evaluation"])))


def test_abstaining_needs_a_reason_naming_the_question(client, db, declared):
    refused = save_json(client, declared, "cottonwood", "timezone", "abstain", "  ")
    assert refused.status_code == 400
    assert refused.json["field"] == "comment"
    assert refused.json["error"].startswith("Daily overlap with our business hours")
    assert "say why you abstain" in refused.json["error"]
    assert dana_scores(db, declared) == {}


def test_an_abstention_is_stored_without_a_score_and_counts_as_done(client, db, declared):
    saved = save_json(client, declared, "cottonwood", "timezone", "abstain", REASON)
    assert saved.status_code == 200
    assert saved.json["abstained"] is True and saved.json["score"] is None
    # one of Dana's 12 questions on Cottonwood is done, one of her 60 overall
    assert saved.json["vendor_progress"] == {"entered": 1, "expected": 12}
    assert saved.json["overall"] == {"entered": 1, "expected": 60}
    key = (declared["cottonwood"], declared["q"]["timezone"])
    assert dana_scores(db, declared)[key] == (None, REASON)
    with db.transaction() as s:
        row = s.scalar(select(m.Score).where(m.Score.membership_id == declared["ms_dana"]))
        assert row.abstained is True
    # The engine: not a score, not missing, listed with its reason.
    cottonwood = _result(db, declared).vendor("cottonwood")
    assert ("timezone", "dana") not in {(g.question, g.evaluator) for g in cottonwood.missing}
    assert [(a.question, a.evaluator, a.reason) for a in cottonwood.abstentions] == [
        ("timezone", "dana", REASON)
    ]


def test_the_scorecard_shows_the_abstention_chosen_and_its_reason(client, declared):
    save_json(client, declared, "cottonwood", "timezone", "abstain", REASON)
    page = client.get(_form_url(declared, "cottonwood")).data.decode()
    q = declared["q"]["timezone"]
    assert f'name="score-{q}" value="abstain" data-needs-reason="1" checked' in page
    assert "Why you abstain" in page and REASON in page
    assert 'data-saved-score="abstain"' in page


def test_changing_an_abstention_to_a_score_is_audited_in_words(client, db, declared):
    save_json(client, declared, "cottonwood", "timezone", "abstain", REASON)
    assert audit(db, "score.changed") == []  # a first entry is not audited
    save_json(client, declared, "cottonwood", "timezone", 4, "Saw the rota after all")
    [changed] = audit(db, "score.changed")
    assert changed.old == {"score": "abstained", "reason": REASON}
    assert changed.new == {"score": 4.0, "comment": "Saw the rota after all"}
    with db.transaction() as s:
        row = s.scalar(select(m.Score).where(m.Score.membership_id == declared["ms_dana"]))
        assert (row.value, row.abstained) == (4.0, False)


def test_the_form_without_javascript_abstains_too(client, db, declared):
    q = declared["q"]
    data = {f"score-{q['timezone']}": "abstain", f"comment-{q['timezone']}": ""}
    refused = client.post(_form_url(declared, "cottonwood"), data=data)
    assert refused.status_code == 200
    assert b"Nothing was saved" in refused.data and b"say why you abstain" in refused.data
    data[f"comment-{q['timezone']}"] = REASON
    assert client.post(_form_url(declared, "cottonwood"), data=data).status_code == 302
    key = (declared["cottonwood"], q["timezone"])
    assert dana_scores(db, declared)[key] == (None, REASON)
    # posted again unchanged: nothing to save
    again = client.post(_form_url(declared, "cottonwood"), data=data, follow_redirects=True)
    assert b"No changes to save." in again.data


def test_a_scorecard_with_abstentions_can_be_submitted(client, db, declared):
    fill_dana(db, declared, ("puente_norte", "valle_claro", "tanglaw", "threadline"))
    for question in SCORED:
        save_json(client, declared, "cottonwood", question, "abstain", "No access to their demo")
    submitted = client.post(
        f"/evaluations/{declared['evaluation']}/scorecards/submit", follow_redirects=True
    )
    assert b"Submitted" in submitted.data
    with db.transaction() as s:
        assert s.get(m.Membership, declared["ms_dana"]).submitted_at is not None


def test_the_panel_sees_the_abstention_and_its_reason_from_consensus(client, auth, db, declared):
    save_json(client, declared, "cottonwood", "timezone", "abstain", REASON)
    set_stage(db, declared["evaluation"], "consensus")
    with db.transaction() as s:
        for key in ("ms_dana", "ms_luis"):
            s.get(m.Membership, declared[key]).submitted_at = s.get(
                m.Evaluation, declared["evaluation"]
            ).created_at
    auth.logout()
    auth.login("luis")
    page = client.get(_form_url(declared, "cottonwood")).data.decode()
    panel = page.split("The panel's scores", 1)[1].split("</table>", 1)[0]
    assert "Dana Whitfield" in panel and "abstained" in panel and REASON in panel
