"""Abstentions on the results pages and in the API, where the missing scores are shown:
who abstained is read by everyone who reads the results; the reason, the panel's own
words, only by those who may read the panel's comments (the lead always, viewers and
evaluators from consensus on)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rfp import models as m
from tests.fixtures.evaluations import set_stage

REASON = "I never saw their CRM sandbox"
# Question 3.1 (criterion 3, question 1), as every page numbers it.
HELPDESK = "Helpdesk and CRM compatibility (Zendesk, Five9, Shopify Plus, Recharge)"


def _luis_abstains(db: Any, demo: dict[str, Any]) -> None:
    """Luis abstains on Tanglaw's helpdesk question instead of his score."""
    with db.transaction() as s:
        score = s.scalar(
            select(m.Score)
            .join(m.Membership, m.Membership.id == m.Score.membership_id)
            .join(m.Question, m.Question.id == m.Score.question_id)
            .where(
                m.Membership.key == "luis",
                m.Score.vendor_id == demo["tanglaw"],
                m.Question.key == "helpdesk",
            )
        )
        score.value, score.abstained, score.comment = None, True, REASON


def test_the_lead_reads_who_abstained_where_and_why(client, auth, db, demo):
    _luis_abstains(db, demo)
    ev = demo["evaluation"]
    auth.login("morgan")
    index = client.get(f"/evaluations/{ev}/results").get_data(as_text=True)
    section = index.split('id="abstentions"', 1)[1].split("</section>", 1)[0]
    assert "Tanglaw Support Services" in section
    assert f"Luis Ortega</strong> abstained on 3.1 {HELPDESK}" in section and REASON in section
    page = client.get(f"/evaluations/{ev}/results/vendors/{demo['tanglaw']}").get_data(as_text=True)
    assert "Abstained: Luis Ortega" in page
    assert "abstained: not counted, not missing" in page and REASON in page
    tanglaw = next(
        v for v in client.get(f"/api/evaluations/{ev}/results").get_json()["vendors"]
        if v["key"] == "tanglaw"
    )  # fmt: skip
    assert tanglaw["abstentions"] == [
        {"question": "helpdesk", "evaluator": "luis", "reason": REASON}
    ]
    assert {"question": "helpdesk", "evaluator": "luis"} not in tanglaw["missing"]


def test_before_consensus_a_viewer_reads_who_abstained_but_not_why(client, auth, db, demo):
    _luis_abstains(db, demo)
    ev = demo["evaluation"]
    set_stage(db, ev, "scoring")
    auth.login("elena")
    index = client.get(f"/evaluations/{ev}/results").get_data(as_text=True)
    assert f"Luis Ortega</strong> abstained on 3.1 {HELPDESK}" in index
    assert "The reasons are shown from the consensus stage on." in index
    assert REASON not in index
    page = client.get(f"/evaluations/{ev}/results/vendors/{demo['tanglaw']}").get_data(as_text=True)
    assert "Abstained: Luis Ortega" in page and REASON not in page
    data = client.get(f"/api/evaluations/{ev}/results").get_json()
    tanglaw = next(v for v in data["vendors"] if v["key"] == "tanglaw")
    assert tanglaw["abstentions"] == [{"question": "helpdesk", "evaluator": "luis"}]
