"""Documents: the lead's slots, vendors' uploads through the portal, the RFP's own files,
and who opens what when: a vendor's file is sealed like its answers until scoring (from
the lead too), and then goes out only as an attachment with safe headers."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures import documents as files
from tests.fixtures.sourcing_world import MB, download, post_file, upload

SUBMIT = {
    "answer_timezone": "Full overlap",
    "answer_language": "C1",
    "answer_attrition": "30",
    "answer_audits": "Yearly",
    "answer_sites": "Monterrey",
    "knockout_soc2": "yes",
    "evidence_soc2": "Report attached",
    "pricing_model": "per_hour",
    "rate": "16.5",
    "setup_fee": "0",
    "monthly_fee": "0",
    "confirm": "y",
    "action": "submit",
}


def _url(world: Any, path: str = "") -> str:
    return f"/evaluations/{world.evaluation}/documents{path}"


def _status(world: Any, vendor: str) -> str:
    with world.db.transaction() as s:
        response = s.get(m.Vendor, world.vendors[vendor]).response
        return response.status if response else "not_started"


# -- slots -------------------------------------------------------------------------------


def test_the_lead_asks_vendors_for_a_document_proving_a_knockout(client, auth, world):
    auth.login("lena")
    response = client.post(
        _url(world, "/slots"),
        data={
            "name": "SOC 2 Type II report",
            "description": "Period ending in the last 12 months",
            "required": "y",
            "kinds": ["pdf"],
            "max_megabytes": "5",
            "question_id": str(_question(world, "soc2")),
        },
    )
    assert response.status_code == 302
    with world.db.transaction() as s:
        slot = s.scalar(select(m.DocumentSlot))
        assert (slot.key, slot.name, slot.required, slot.kinds) == (
            "soc_2_type_ii_report",
            "SOC 2 Type II report",
            True,
            ["pdf"],
        )
        assert slot.max_bytes == 5 * MB
        assert slot.question.key == "soc2"
    [event] = world.audit("document_slot.added")
    assert event.new["knockout"] == "soc2" and event.new["max_bytes"] == 5 * MB
    page = client.get(_url(world)).get_data(as_text=True)
    assert "SOC 2 Type II report" in page and "the knockout “SOC 2 Type II”" in page


def _question(world: Any, key: str) -> int:
    with world.db.transaction() as s:
        return s.scalar(select(m.Question.id).filter_by(evaluation_id=world.evaluation, key=key))


def test_a_slot_is_refused_without_a_type_beyond_the_size_limit_or_on_a_scored_question(
    client, auth, world
):
    auth.login("lena")
    base = {"name": "Proposal", "kinds": ["pdf"], "max_megabytes": "5", "question_id": ""}
    cases = [
        ({"kinds": []}, "Choose at least one type of file."),
        ({"max_megabytes": "11"}, "Must be more than 0 and at most 10 MB."),
        ({"max_megabytes": "0"}, "Give a size in MB."),
        ({"max_megabytes": "1e308"}, "Must be more than 0 and at most 10 MB."),
        ({"question_id": str(_question(world, "timezone"))}, "Not a valid choice"),
        ({"name": ""}, "Give the document a name."),
        ({"kinds": ["exe"]}, "not a valid choice"),
    ]
    for change, message in cases:
        response = client.post(_url(world, "/slots"), data={**base, **change})
        assert response.status_code == 422, change
        assert message.lower() in response.get_data(as_text=True).lower(), change
    assert world.audit("document_slot.added") == []


def test_one_document_at_most_proves_a_knockout(client, auth, world):
    world.slot("SOC 2 report", knockout="soc2")
    auth.login("lena")
    response = client.post(
        _url(world, "/slots"),
        data={
            "name": "SOC 2 bridge letter",
            "kinds": ["pdf"],
            "max_megabytes": "2",
            "question_id": str(_question(world, "soc2")),
        },
    )
    assert response.status_code == 422
    assert "“SOC 2 report” already proves this knockout" in response.get_data(as_text=True)


def test_the_lead_changes_a_slot_and_the_change_is_audited(client, auth, world):
    slot = world.slot("Proposal", kinds=("pdf",))
    auth.login("lena")
    page = client.get(_url(world, f"/slots/{slot}"))
    assert page.status_code == 200 and 'value="Proposal"' in page.get_data(as_text=True)
    response = client.post(
        _url(world, f"/slots/{slot}"),
        data={"name": "Proposal", "kinds": ["pdf", "docx"], "max_megabytes": "2", "required": "y"},
    )
    assert response.status_code == 302
    [event] = world.audit("document_slot.changed")
    assert event.old == {"required": False, "kinds": ["pdf"], "max_bytes": MB}
    assert event.new == {"required": True, "kinds": ["pdf", "docx"], "max_bytes": 2 * MB}


def test_a_slot_that_holds_uploads_stays(client, auth, world):
    slot = world.slot("Proposal")
    upload(client, world.link("alpha"), slot, files.plain_pdf(), "proposal.pdf")
    auth.login("lena")
    response = client.post(_url(world, f"/slots/{slot}/remove"), follow_redirects=True)
    assert "Vendors have uploaded into “Proposal” (1 files): it stays" in response.get_data(
        as_text=True
    )
    with world.db.transaction() as s:
        assert s.get(m.DocumentSlot, slot) is not None


def test_slots_are_set_in_draft_and_open_only(client, auth, world):
    slot = world.slot("Proposal")
    world.unseal()
    auth.login("lena")
    response = client.post(_url(world, f"/slots/{slot}/remove"), follow_redirects=True)
    assert "responses are closed now" in response.get_data(as_text=True)


# -- vendors' uploads ----------------------------------------------------------------------


def test_a_vendor_uploads_a_pdf_kept_under_its_sha256(client, world):
    slot = world.slot("SOC 2 report", knockout="soc2")
    token = world.link("alpha")
    data = files.plain_pdf("Alpha CX SOC 2 Type II")
    response = upload(client, token, slot, data, "Alpha SOC2 2026.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Alpha SOC2 2026.pdf is uploaded as your “SOC 2 report”." in page
    sha = hashlib.sha256(data).hexdigest()
    assert world.stored_files() == [world.folder / sha[:2] / sha]
    assert (world.folder / sha[:2] / sha).read_bytes() == data
    [document] = world.documents()
    assert (document.vendor_id, document.slot_id, document.kind, document.size) == (
        world.vendors["alpha"],
        slot,
        "pdf",
        len(data),
    )
    [event] = world.audit("document.uploaded")
    assert event.actor == "vendor portal: alpha"
    assert event.target == "Alpha CX: SOC 2 report"
    assert event.new["sha256"] == sha


def test_a_new_upload_replaces_the_old_one_which_stays_on_the_record(client, world):
    slot = world.slot("Proposal")
    token = world.link("alpha")
    upload(client, token, slot, files.plain_pdf("first"), "first.pdf")
    upload(client, token, slot, files.plain_pdf("second"), "second.pdf")
    client.get(f"/portal/{token}/documents")  # shows (and so clears) the two notices
    first, second = world.documents()
    assert first.superseded_at is not None and second.superseded_at is None
    assert len(world.stored_files()) == 2  # nothing is deleted
    [event] = world.audit("document.replaced")
    assert (event.old["file"], event.new["file"]) == ("first.pdf", "second.pdf")
    page = client.get(f"/portal/{token}/documents").get_data(as_text=True)
    assert "second.pdf" in page and "first.pdf" not in page


def test_a_vendor_takes_its_upload_back(client, world):
    slot = world.slot("Proposal")
    token = world.link("alpha")
    upload(client, token, slot, files.plain_pdf(), "proposal.pdf")
    [document] = world.documents()
    response = client.post(f"/portal/{token}/documents/{document.id}/remove")
    assert response.status_code == 302
    [document] = world.documents()
    assert document.superseded_at is not None
    assert world.audit("document.removed")[0].actor == "vendor portal: alpha"


def test_uploads_stop_once_the_response_is_submitted(client, world):
    slot = world.slot("Proposal")
    token = world.link("alpha")
    assert client.post(f"/portal/{token}", data=SUBMIT).status_code == 302
    assert _status(world, "alpha") == "submitted"
    response = upload(client, token, slot, files.plain_pdf(), "late.pdf")
    assert response.status_code == 422
    assert "Your response has been submitted" in response.get_data(as_text=True)
    assert world.document_count() == 0 and world.stored_files() == []


def test_a_required_document_missing_blocks_the_submission_on_the_server(client, world):
    slot = world.slot("SOC 2 report", required=True, knockout="soc2")
    token = world.link("alpha")
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    assert "Upload the required “SOC 2 report” before you submit." in page
    response = client.post(f"/portal/{token}", data=SUBMIT, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Your draft is saved, but it cannot be submitted yet" in body
    assert _status(world, "alpha") == "draft"  # saved, not submitted
    upload(client, token, slot, files.plain_pdf(), "soc2.pdf")
    assert client.post(f"/portal/{token}", data=SUBMIT).status_code == 302
    assert _status(world, "alpha") == "submitted"


def test_the_submit_operation_itself_refuses_without_the_required_documents(world):
    from rfp.areas.intake.operations import submit_response
    from rfp.core.refusal import Refused

    world.slot("SOC 2 report", required=True)
    with world.db.transaction() as s:
        vendor = s.get(m.Vendor, world.vendors["alpha"])
        vendor.response = m.VendorResponse(status="draft", source="portal")
    with world.db.session() as s:
        vendor = s.get(m.Vendor, world.vendors["alpha"])
        try:
            submit_response(s, vendor)
        except Refused as refused:
            assert refused.message == "Upload the required “SOC 2 report” before you submit."
        else:
            raise AssertionError("submitted without the required document")


# -- who opens what --------------------------------------------------------------------------


def _uploaded(client: Any, world: Any, vendor: str = "alpha", **slot: Any) -> tuple[int, bytes]:
    slot_id = world.slot(slot.pop("name", "SOC 2 report"), **slot)
    data = files.plain_pdf(f"{vendor} report")
    response = upload(client, world.link(vendor), slot_id, data, f"{vendor} report.pdf")
    assert response.status_code == 302
    client.get(response.headers["Location"])  # the notice is shown, not left for later
    document = next(d for d in world.documents() if d.vendor_id == world.vendors[vendor])
    return document.id, data


def test_a_vendor_document_is_sealed_until_scoring_from_the_lead_and_the_panel(client, auth, world):
    document, data = _uploaded(client, world)
    url = _url(world, f"/{document}")
    for user in ("lena", "ana", "vic"):
        auth.login(user)
        response = download(client, url)
        assert response.status_code == 409, user
        assert data not in response.data
        assert "sealed until scoring starts" in response.get_data(as_text=True)
        page = client.get(_url(world)).get_data(as_text=True)
        assert "alpha report.pdf" not in page  # not even its name
        auth.logout()
    world.unseal()
    auth.login("ana")
    response = download(client, url)
    assert response.status_code == 200
    assert response.data == data


def test_a_document_goes_out_as_an_attachment_with_safe_headers(client, auth, world):
    document, data = _uploaded(client, world)
    world.unseal()
    auth.login("ana")
    response = download(client, _url(world, f"/{document}"))
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="alpha report.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_non_ascii_name_goes_out_encoded(client, auth, world):
    slot = world.slot("Proposal")
    upload(client, world.link("alpha"), slot, files.plain_pdf(), "Propuesta Bogotá ñ.pdf")
    [document] = world.documents()
    world.unseal()
    auth.login("lena")
    disposition = download(client, _url(world, f"/{document.id}")).headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Propuesta%20Bogot%C3%A1%20%C3%B1.pdf" in disposition


def test_an_evaluator_with_a_conflict_does_not_open_the_vendor_document(client, auth, world):
    document, data = _uploaded(client, world)
    with world.db.transaction() as s:
        ana = s.scalar(select(m.Membership).filter_by(evaluation_id=world.evaluation, key="ana"))
        s.add(m.ConflictDeclaration(membership_id=ana.id, vendor_id=world.vendors["alpha"]))
    world.unseal()
    auth.login("ana")
    response = download(client, _url(world, f"/{document}"))
    assert response.status_code == 403 and data not in response.data


def test_under_two_envelopes_the_pricing_workbook_waits_for_the_quality_scores(client, auth, world):
    slot = world.slot("Pricing workbook", kinds=("xlsx",), price_envelope=True)
    upload(client, world.link("alpha"), slot, files.xlsx(), "rates.xlsx")
    [document] = world.documents()
    world.set(two_envelope=True)
    world.unseal()
    auth.login("ana")
    assert download(client, _url(world, f"/{document.id}")).status_code == 403
    with world.db.transaction() as s:
        ana = s.scalar(select(m.Membership).filter_by(evaluation_id=world.evaluation, key="ana"))
        ana.coi_declared_at = ana.submitted_at = utcnow()
    response = download(client, _url(world, f"/{document.id}"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")


def test_under_blind_scoring_the_evaluator_sees_the_slot_not_the_file_name(client, auth, world):
    document, _data = _uploaded(client, world)
    world.set(blind_scoring=True)
    world.unseal()
    auth.login("ana")
    page = client.get(_url(world)).get_data(as_text=True)
    assert "alpha report.pdf" not in page and "Alpha CX" not in page
    disposition = download(client, _url(world, f"/{document}")).headers["Content-Disposition"]
    assert disposition == 'attachment; filename="SOC 2 report - Vendor A.pdf"'


def test_the_scorecard_and_the_vendor_page_show_the_documents_beside_the_answers(
    client, auth, world
):
    document, _data = _uploaded(client, world, knockout="soc2")
    world.unseal()
    with world.db.transaction() as s:
        ana = s.scalar(select(m.Membership).filter_by(evaluation_id=world.evaluation, key="ana"))
        ana.coi_declared_at = utcnow()
    auth.login("ana")
    link = f'href="{_url(world, f"/{document}")}"'
    for path in (
        f"/evaluations/{world.evaluation}/scorecards/{world.vendors['alpha']}",
        f"/evaluations/{world.evaluation}/vendors/{world.vendors['alpha']}",
    ):
        page = client.get(path).get_data(as_text=True)
        assert link in page, path
        assert "Proves the knockout “SOC 2 Type II”." in page
    beta = client.get(f"/evaluations/{world.evaluation}/vendors/{world.vendors['beta']}")
    assert "not uploaded" in beta.get_data(as_text=True)


def test_a_file_missing_from_the_store_answers_404_with_a_reason(client, auth, world):
    document, _data = _uploaded(client, world)
    for path in world.stored_files():
        path.unlink()
    world.unseal()
    auth.login("lena")
    response = download(client, _url(world, f"/{document}"))
    assert response.status_code == 404


# -- the RFP's own documents -----------------------------------------------------------------


def test_the_lead_attaches_rfp_documents_in_draft_and_every_vendor_downloads_them(
    client, auth, world
):
    world.set(stage="draft")
    auth.login("lena")
    data = files.plain_pdf("Statement of work")
    response = post_file(client, _url(world, "/rfp"), data, "Statement of work.pdf")
    assert response.status_code == 302
    [document] = world.documents()
    assert document.vendor_id is None
    world.set(stage="open")
    for vendor in ("alpha", "beta"):
        token = world.link(vendor)
        page = client.get(f"/portal/{token}/documents").get_data(as_text=True)
        assert "Statement of work.pdf" in page
        assert download(client, f"/portal/{token}/documents/{document.id}").data == data
    auth.login("ana")
    assert download(client, _url(world, f"/{document.id}")).data == data  # sealed it is not


def test_once_open_an_rfp_document_goes_out_with_an_addendum(client, auth, world):
    auth.login("lena")
    response = post_file(client, _url(world, "/rfp"), files.plain_pdf(), "late.pdf")
    assert response.status_code == 409
    assert "publish the document with an addendum" in response.get_data(as_text=True)
    assert world.stored_files() == []


def test_a_vendor_opens_its_own_and_the_rfp_documents_but_never_another_vendors(client, world):
    document, _data = _uploaded(client, world, "beta")
    alpha = world.link("alpha")
    assert download(client, f"/portal/{alpha}/documents/{document}").status_code == 404
    page = client.get(f"/portal/{alpha}/documents").get_data(as_text=True)
    assert "beta report.pdf" not in page
    assert client.post(f"/portal/{alpha}/documents/{document}/remove").status_code == 404
    beta = world.tokens["beta"]
    response = download(client, f"/portal/{beta}/documents/{document}")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert re.match(r"attachment; filename=", response.headers["Content-Disposition"])
