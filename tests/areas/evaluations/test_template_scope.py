"""The template's questions follow the evaluation's scope: a new evaluation whose scope
is French and German, 24/7 from Paris, on Salesforce, asks vendors about those, and
nothing of the demo company's (Spanish, US Central hours, Okta, Zendesk, Five9)."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from sqlalchemy import select

from rfp import models as m
from rfp.areas.intake import operations as intake_ops
from rfp.areas.vendors.operations import VendorDetails, add_vendor
from rfp.core.db import utcnow
from rfp.domain.template import rewrites, template_texts
from tests.areas.evaluations.test_evaluations import _created_id, _settings_form
from tests.fixtures.evaluations import events, set_stage
from tests.fixtures.setup import load

DEMO_FACTS = ("Spanish", "US Central", "Okta", "Zendesk", "Five9", "MaestroQA", "Looker")
NEW_SCOPE = {
    "languages": "fr, de",
    "coverage": "24/7",
    "time_zones": "Europe/Paris, Europe/Berlin",
    "tools": "Salesforce Service Cloud, Genesys",
    "pilot_weeks": "8",
    "term_months": "48",
}


def _question_texts(db, evaluation_id: int) -> dict[str, str]:
    with db.transaction() as s:
        rows = s.execute(
            select(m.Question.key, m.Question.text, m.Question.guidance).where(
                m.Question.evaluation_id == evaluation_id
            )
        )
        return {key: f"{text} || {guidance}" for key, text, guidance in rows}


def _new_from_template(client, auth) -> int:
    auth.login("morgan")
    return _created_id(
        client.post("/evaluations/new", data={"start": "template", "title": "EU care 2028"})
    )


def test_the_template_names_no_company_fact(client, auth, db, demo):
    evaluation_id = _new_from_template(client, auth)
    everything = " ".join(_question_texts(db, evaluation_id).values())
    for fact in (*DEMO_FACTS, "10-week", "36"):
        assert fact not in everything, fact
    texts = _question_texts(db, evaluation_id)
    assert texts["helpdesk"].startswith("Helpdesk and CRM compatibility with our tools ||")
    assert texts["language"].startswith("English fluency of agents")


def test_a_new_scope_rewords_the_questions_vendors_read(client, auth, db, demo):
    evaluation_id = _new_from_template(client, auth)
    data = _settings_form(db, evaluation_id, **NEW_SCOPE)
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302

    texts = _question_texts(db, evaluation_id)
    assert texts["language"].startswith("French and German fluency of agents")
    assert texts["timezone"].startswith(
        "Daily overlap with our business hours (24/7; Europe/Paris, Europe/Berlin) ||"
    )
    assert texts["helpdesk"].startswith(
        "Helpdesk and CRM compatibility (Salesforce Service Cloud, Genesys) ||"
    )
    assert texts["pilot"].startswith("Pilot willingness (8-week pilot on email, chat and voice")
    assert texts["financial"].startswith("Financial stability over a 48-month contract")
    reworded = events(db, evaluation_id, "question.reworded_from_scope")
    assert {e.target for e in reworded} == {
        "language",
        "timezone",
        "helpdesk",
        "pilot",
        "financial",
    }

    # What a vendor reads: its portal page and its questionnaire workbook.
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        lead = s.scalar(select(m.User).where(m.User.username == "morgan"))
        vendor = add_vendor(s, evaluation, lead, VendorDetails(name="Lumen BPO"))
        evaluation.stage = "open"
        evaluation.deadline = utcnow() + timedelta(days=7)
        s.flush()
        _link, token = intake_ops.create_link(s, evaluation, vendor, lead)
    auth.logout()
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/portal/{token}/questionnaire.xlsx").data)
    )
    cells = " ".join(
        str(cell.value)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    )
    for seen in (page, cells):
        for word in ("French and German", "24/7", "Salesforce Service Cloud", "8-week pilot"):
            assert word in seen, word
        for fact in (*DEMO_FACTS, "10-week"):
            assert fact not in seen, fact


def test_a_question_the_lead_reworded_keeps_its_words(client, auth, db, demo):
    evaluation_id = _new_from_template(client, auth)
    with db.transaction() as s:
        question = s.scalar(
            select(m.Question).where(
                m.Question.evaluation_id == evaluation_id, m.Question.key == "language"
            )
        )
        question.text = "Which of our languages do your agents speak natively?"
    data = _settings_form(db, evaluation_id, **NEW_SCOPE)
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    texts = _question_texts(db, evaluation_id)
    assert texts["language"].startswith("Which of our languages do your agents speak natively?")
    # its guidance was still the template's, so it follows the scope
    assert "native-level French and German" in texts["language"]


def test_once_vendors_respond_a_scope_change_leaves_the_questions_alone(client, auth, db, demo):
    evaluation_id = _new_from_template(client, auth)
    before = _question_texts(db, evaluation_id)
    set_stage(db, evaluation_id, "open", deadline=utcnow() + timedelta(days=7))
    data = _settings_form(db, evaluation_id, languages="fr, de")  # not a cost field: no reason
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).scope["languages"] == ["fr", "de"]
    assert _question_texts(db, evaluation_id) == before  # an addendum changes questions


def test_the_demo_keeps_its_own_rich_questions(db, demo):
    texts = _question_texts(db, demo["evaluation"])
    assert "Okta" in texts["data_security"]
    assert "English and Spanish" in texts["language"]


def test_texts_from_scope_in_the_domain():
    scope = {
        "languages": ["pt"],
        "channels": ["chat"],
        "pilot_weeks": 12,
        "contacts_per_month": 9600,
        "aht_minutes": 8,
        "occupancy": 0.8,
        "fte_hours_per_month": 160,
    }
    texts = template_texts(scope)
    assert texts["language"].text.startswith("Portuguese fluency")
    assert texts["pilot"].text == "Pilot willingness (12-week pilot on chat, exit terms)"
    # seats: 9,600 * 8 / 60 / 0.8 = 1,600 agent-hours a month / 160 = 10 seats
    assert "reaching 10+ seats by day 90" in texts["ramp"].guidance
    # an unchanged scope rewords nothing; a text not the template's is never touched
    stored = [("language", texts["language"].text, texts["language"].guidance)]
    assert rewrites(stored, scope, scope) == {}
    assert rewrites([("language", "Own words", "Own guidance")], scope, {"languages": ["fr"]}) == {}
    changed = rewrites(stored, scope, {"languages": ["fr"]})
    assert changed["language"].text.startswith("French fluency")
