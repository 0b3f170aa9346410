"""The vendor portal from a vendor's side: draft, submit, read-only, reopen, deadline."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow


def answers(**fields: Any) -> dict[str, Any]:
    """The portal form as a browser posts it: every field, blank unless given."""
    data = {
        "answer_timezone": "",
        "answer_language": "",
        "answer_attrition": "",
        "answer_audits": "",
        "answer_sites": "",
        "evidence_soc2": "",
        "pricing_model": "",
        "rate": "",
        "setup_fee": "",
        "monthly_fee": "",
        "action": "save",
    }
    data.update(fields)
    return data


FULL = answers(
    answer_timezone="Full overlap: Monterrey works 07:00–22:00 CT",
    answer_language="C1 Spanish and English; 80 % bilingual",
    answer_attrition="31.5",
    answer_audits="Yearly SOC 2, quarterly PCI scans",
    answer_sites="Monterrey, Bogotá",
    knockout_soc2="yes",
    evidence_soc2="SOC 2 Type II report dated 2026-05",
    pricing_model="per_hour",
    rate="16.5",
    setup_fee="25000",
    monthly_fee="2000",
)


def audit(world: Any, action: str) -> list[m.AuditEvent]:
    with world.db.transaction() as s:
        return list(s.scalars(select(m.AuditEvent).where(m.AuditEvent.action == action)))


def test_a_vendor_sees_the_public_scope_and_its_questions(client, world):
    token = world.link("alpha")
    page = client.get(f"/portal/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for shown in (
        "Test evaluation",
        "Alpha CX",
        "Mon-Fri 08:00-20:00 US Central",
        "SOC 2, PCI-DSS",
        "Time zone overlap",
        "Annual agent attrition",
        "SOC 2 Type II",
        "Pricing",
    ):
        assert shown in html
    for hidden in ("Beta Support", "Weight", "weight", "Ana Ruiz", "Raj Patel"):
        assert hidden not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_the_portal_layout_has_no_way_into_the_app(client, world):
    token = world.link("alpha")
    html = client.get(f"/portal/{token}").get_data(as_text=True)
    targets = re.findall(r'(?:href|action)="([^"]*)"', html)
    assert targets
    assert all(t.startswith((f"/portal/{token}", "/static/")) for t in targets), targets


def test_a_saved_draft_is_stored_and_shown_again(client, world):
    token = world.link("alpha")
    saved = client.post(f"/portal/{token}", data=FULL)
    assert saved.status_code == 302
    stored = world.response("alpha")
    assert stored["status"] == "draft"
    assert stored["answers"] == {
        "timezone": "Full overlap: Monterrey works 07:00–22:00 CT",
        "language": "C1 Spanish and English; 80 % bilingual",
        "audits": "Yearly SOC 2, quarterly PCI scans",
        "sites": "Monterrey, Bogotá",
    }
    assert stored["numbers"] == {"attrition": 31.5}
    assert stored["knockouts"] == {"soc2": True}
    assert stored["evidence"] == {"soc2": "SOC 2 Type II report dated 2026-05"}
    assert stored["pricing"] == {
        "model": "per_hour",
        "rate": 16.5,
        "setup_fee": 25000,
        "monthly_fee": 2000,
    }
    again = client.get(f"/portal/{token}").get_data(as_text=True)
    assert "Full overlap: Monterrey works 07:00–22:00 CT" in again
    assert 'value="31.5"' in again
    # 5 of 5 questions, 1 of 1 knockout, a price: complete.
    assert "5 / 5" in again and "1 / 1" in again


def test_bad_values_are_refused_by_field_and_nothing_is_written(client, world):
    token = world.link("alpha")
    client.post(f"/portal/{token}", data=FULL)
    before = world.snapshot()
    refused = client.post(
        f"/portal/{token}",
        data={
            **FULL,
            "answer_attrition": "about 30",
            "rate": "-2",
            "knockout_soc2": "perhaps",
            "answer_timezone": "changed",
        },
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Must be a number." in html
    assert "Must be 0 or more." in html
    assert "Choose yes or no." in html
    assert world.snapshot() == before


def test_submitting_needs_the_confirmation(client, world):
    token = world.link("alpha")
    refused = client.post(f"/portal/{token}", data={**FULL, "action": "submit"})
    assert refused.status_code == 422
    assert "Tick the confirmation to submit." in refused.get_data(as_text=True)
    assert world.response("alpha")["status"] == "not_started"


def test_a_submitted_response_is_read_only_and_audited_with_its_time(client, world):
    token = world.link("alpha")
    before = utcnow()
    done = client.post(f"/portal/{token}", data={**FULL, "action": "submit", "confirm": "y"})
    assert done.status_code == 302
    assert world.response("alpha")["status"] == "submitted"
    [event] = audit(world, "response.submitted")
    assert event.actor == "vendor portal: alpha"
    assert event.new["status"] == "submitted"
    assert before.isoformat() <= event.new["submitted_at"] <= utcnow().isoformat()
    with world.db.transaction() as s:
        response = s.get(m.VendorResponse, world.vendors["alpha"])
        assert response.submitted_at.isoformat() == event.new["submitted_at"]

    page = client.get(f"/portal/{token}").get_data(as_text=True)
    assert "Read-only." in page
    assert "<textarea" not in page and 'action="/portal/' + token + '/upload"' not in page
    stored = world.snapshot()
    late = client.post(f"/portal/{token}", data={**FULL, "answer_timezone": "changed"})
    assert late.status_code == 302
    assert world.snapshot() == stored


def test_the_lead_reopens_a_submitted_response_and_the_vendor_edits_again(client, auth, world):
    token = world.link("alpha")
    client.post(f"/portal/{token}", data={**FULL, "action": "submit", "confirm": "y"})
    auth.login("lena")
    reopened = client.post(
        f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors['alpha']}/reopen",
        data={"reason": "Pricing sheet missing the Spanish line"},
    )
    assert reopened.status_code == 302
    auth.logout()
    assert world.response("alpha")["status"] == "draft"
    [event] = audit(world, "response.reopened")
    assert event.reason == "Pricing sheet missing the Spanish line"
    assert event.old["status"] == "submitted" and event.old["submitted_at"]

    page = client.get(f"/portal/{token}").get_data(as_text=True)
    assert "Read-only." not in page and "<textarea" in page
    client.post(f"/portal/{token}", data={**FULL, "rate": "15.9"})
    assert world.response("alpha")["pricing"]["rate"] == 15.9


def test_after_the_deadline_the_link_no_longer_opens_anything(client, world):
    token = world.link("alpha")
    client.post(f"/portal/{token}", data=FULL)
    past = utcnow() - timedelta(minutes=1)
    with world.db.transaction() as s:
        s.get(m.Evaluation, world.evaluation).deadline = past
        for link in s.scalars(select(m.VendorLink)):
            link.expires_at = past
    before = world.snapshot()
    assert client.get(f"/portal/{token}").status_code == 404
    assert client.post(f"/portal/{token}", data={**FULL, "rate": "1"}).status_code == 404
    assert client.get(f"/portal/{token}/questionnaire.xlsx").status_code == 404
    assert world.snapshot() == before


def test_a_deadline_brought_forward_makes_the_response_read_only(client, world):
    token = world.link("alpha")  # made while the deadline was a week away
    client.post(f"/portal/{token}", data=FULL)
    world.set(deadline=utcnow() - timedelta(minutes=1))
    page = client.get(f"/portal/{token}")
    assert page.status_code == 200
    assert "The response deadline has passed." in page.get_data(as_text=True)
    before = world.snapshot()
    assert client.post(f"/portal/{token}", data={**FULL, "rate": "1"}).status_code == 302
    assert world.snapshot() == before


def test_an_extended_deadline_keeps_the_link_working(client, world):
    token = world.link("alpha")
    with world.db.transaction() as s:
        s.get(m.Evaluation, world.evaluation).deadline = utcnow() + timedelta(days=30)
        for link in s.scalars(select(m.VendorLink)):
            link.expires_at = utcnow() - timedelta(minutes=1)  # the old deadline, passed
    assert client.get(f"/portal/{token}").status_code == 200


@pytest.mark.parametrize("stage", ["scoring", "consensus"])
def test_once_scoring_opens_the_portal_is_read_only(client, world, stage):
    token = world.link("alpha")
    client.post(f"/portal/{token}", data=FULL)
    world.set(stage=stage)
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    assert "Responses are closed" in page
    before = world.snapshot()
    client.post(f"/portal/{token}", data={**FULL, "rate": "1"})
    assert world.snapshot() == before


def test_the_vendor_downloads_its_questionnaire_filled_with_its_draft(client, world):
    import io

    import openpyxl

    token = world.link("alpha")
    client.post(f"/portal/{token}", data=FULL)
    download = client.get(f"/portal/{token}/questionnaire.xlsx")
    assert download.status_code == 200
    assert download.mimetype.endswith("spreadsheetml.sheet")
    wb = openpyxl.load_workbook(io.BytesIO(download.data))
    assert wb["Questions"]["E3"].value == "Full overlap: Monterrey works 07:00–22:00 CT"
    assert wb["Pricing"]["C4"].value == 16.5


def test_each_use_of_the_link_is_recorded_as_last_used(client, world):
    token = world.link("alpha")
    with world.db.transaction() as s:
        assert s.scalar(select(m.VendorLink.last_used_at)) is None
    client.get(f"/portal/{token}")
    with world.db.transaction() as s:
        assert s.scalar(select(m.VendorLink.last_used_at)) is not None


def test_the_lead_cannot_read_a_portal_response_before_scoring(client, auth, world):
    """Issue 5: until scoring, the lead sees a vendor's own submission as a status only,
    on the vendor page as on the intake page; the typed-in response form refuses it."""
    token = world.link("alpha")
    client.post(f"/portal/{token}", data=answers(answer_timezone="SEALED-ANSWER-XYZ"))
    assert world.response("alpha")["answers"] == {"timezone": "SEALED-ANSWER-XYZ"}
    auth.login("lena")
    page = f"/evaluations/{world.evaluation}/vendors/{world.vendors['alpha']}"
    shown = client.get(page)
    assert shown.status_code == 200
    assert b"SEALED-ANSWER-XYZ" not in shown.data
    assert b"Response sealed" in shown.data
    assert client.get(page + "/response").status_code == 409
    with world.db.transaction() as s:
        s.get(m.Evaluation, world.evaluation).stage = "scoring"
    assert b"SEALED-ANSWER-XYZ" in client.get(page).data
