"""The Reports tab: generate, list, download; who may, and which files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.areas.reports.operations import generate_report, keep_report
from rfp.core.jobs import run_pending
from rfp.core.refusal import INVALID, Refused
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reports_url(evaluation_id: int) -> str:
    return f"/evaluations/{evaluation_id}/reports"


def built(db) -> int:
    """Run the report jobs the requests queued (the tests' app runs none by itself)."""
    return run_pending(db)


def kept(db) -> list[m.GeneratedReport]:
    with db.transaction() as s:
        rows = s.scalars(select(m.GeneratedReport).order_by(m.GeneratedReport.id)).all()
        s.expunge_all()
    return list(rows)


def test_lead_generates_a_workbook_and_finds_it_listed_and_downloadable(
    app, client, auth, demo, db
):
    auth.login("morgan")
    url = reports_url(demo["evaluation"])
    response = client.post(url, data={"kind": "xlsx"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url)
    assert kept(db) == []  # queued: the request did not build it
    assert "Being built" in client.get(url).get_data(as_text=True)

    assert built(db) == 1
    (report,) = kept(db)
    assert report.kind == "xlsx"
    assert report.created_by_name == "Morgan Avery"
    assert re.fullmatch(
        r"\d{8}T\d{6}Z-eval-\d+-customer-service-outsourcing-2027\.xlsx", report.filename
    )
    on_disk = (Path(app.config["EXPORT_DIR"]) / report.filename).read_bytes()
    assert report.size == len(on_disk)
    assert report.sha256 == hashlib.sha256(on_disk).hexdigest()

    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert report.filename in html
    assert report.sha256 in html
    assert "Morgan Avery" in html
    assert f"{report.size:,} bytes" in html

    with client.get(f"{url}/{report.id}") as download:
        assert download.status_code == 200
        assert download.mimetype == XLSX
        assert report.filename in download.headers["Content-Disposition"]
        assert hashlib.sha256(download.data).hexdigest() == report.sha256


def test_generate_then_download_fetches_the_new_pdf_once_ready(client, auth, demo, db):
    auth.login("morgan")
    url = reports_url(demo["evaluation"])
    response = client.post(url, data={"kind": "pdf", "then": "download"})
    (job_id,) = re.findall(r"download=(\d+)", response.headers["Location"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'/jobs/{job_id}" data-download="1"' in page  # the script fetches it when ready
    built(db)
    status = client.get(f"{url}/jobs/{job_id}").get_json()
    (report,) = kept(db)
    assert status["report"]["url"].endswith(f"{url}/{report.id}")
    with client.get(status["report"]["url"]) as pdf:
        assert pdf.mimetype == "application/pdf"
        assert pdf.data.startswith(b"%PDF")


def test_viewer_lists_generates_and_downloads(client, auth, demo, db):
    auth.login("elena")
    url = reports_url(demo["evaluation"])
    assert client.get(url).status_code == 200
    assert client.post(url, data={"kind": "pdf"}).status_code == 302
    built(db)
    (report,) = kept(db)
    assert report.created_by_name == "Elena Brooks (CFO)"
    with client.get(f"{url}/{report.id}") as download:
        assert download.status_code == 200


def test_evaluator_may_not_see_generate_or_download_reports(client, auth, demo, db):
    auth.login("morgan")
    url = reports_url(demo["evaluation"])
    client.post(url, data={"kind": "xlsx"})
    built(db)
    (report,) = kept(db)
    auth.logout()
    auth.login("dana")
    assert client.get(url).status_code == 403
    assert client.post(url, data={"kind": "pdf"}).status_code == 403
    assert client.get(f"{url}/{report.id}").status_code == 403
    assert built(db) == 0
    assert len(kept(db)) == 1


def test_report_of_another_evaluation_is_not_found(app, client, auth, demo, db, make_scenario):
    with db.transaction() as s:
        morgan = s.scalar(select(m.User).where(m.User.username == "morgan"))
        other = import_scenario(s, normalise_scenario(make_scenario()), lead=morgan)
        foreign = keep_report(
            s,
            other,
            "pdf",
            b"%PDF-1.4 other evaluation",
            export_dir=app.config["EXPORT_DIR"],
            generated_at=other.created_at,
            user=morgan,
        )
        foreign_id, other_id = foreign.id, other.id
    auth.login("morgan")
    assert client.get(f"{reports_url(demo['evaluation'])}/{foreign_id}").status_code == 404
    with client.get(f"{reports_url(other_id)}/{foreign_id}") as download:
        assert download.status_code == 200
    assert client.get(f"{reports_url(demo['evaluation'])}/999999").status_code == 404


def test_a_file_name_that_leaves_the_export_folder_is_never_served(
    app, client, auth, demo, db, tmp_path
):
    secret = tmp_path / "secret.txt"
    secret.write_text("not a report")
    with db.transaction() as s:
        s.add(
            m.GeneratedReport(
                evaluation_id=demo["evaluation"],
                kind="pdf",
                filename="../secret.txt",
                size=12,
                sha256="0" * 64,
            )
        )
    (row,) = kept(db)
    auth.login("morgan")
    response = client.get(f"{reports_url(demo['evaluation'])}/{row.id}")
    assert response.status_code == 404
    assert b"not a report" not in response.data


def test_a_kept_file_gone_from_disk_is_not_found(app, client, auth, demo, db):
    auth.login("morgan")
    url = reports_url(demo["evaluation"])
    client.post(url, data={"kind": "xlsx"})
    built(db)
    (report,) = kept(db)
    (Path(app.config["EXPORT_DIR"]) / report.filename).unlink()
    assert client.get(f"{url}/{report.id}").status_code == 404


def test_an_unknown_kind_is_refused_with_a_message_and_nothing_kept(client, auth, demo, db):
    auth.login("morgan")
    url = reports_url(demo["evaluation"])
    for kind, message in (
        ("docx", "Report: must be xlsx (workbook) or pdf (summary)."),
        ("../../etc/passwd", "Report: must be xlsx (workbook) or pdf (summary)."),
        ("", "Choose the report to generate."),
    ):
        response = client.post(url, data={"kind": kind}, follow_redirects=True)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert built(db) == 0
    assert kept(db) == []


def test_generating_works_with_csrf_protection_on(app, client, auth, demo, db):
    auth.login("morgan")
    app.config["WTF_CSRF_ENABLED"] = True
    url = reports_url(demo["evaluation"])
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post(url, data={"kind": "pdf"}).status_code == 400  # no token
    response = client.post(url, data={"kind": "pdf", "csrf_token": token})
    assert response.status_code == 302
    assert built(db) == 1
    assert len(kept(db)) == 1


def test_viewer_waits_for_consensus_before_reports_with_panel_scores(client, auth, demo, db):
    """The files name each evaluator's scores: a viewer has them from consensus on."""
    auth.login("morgan")
    url = reports_url(demo["evaluation"])
    client.post(url, data={"kind": "pdf"})
    built(db)
    (report,) = kept(db)
    with db.transaction() as s:
        s.get(m.Evaluation, demo["evaluation"]).stage = "scoring"
    auth.logout()
    auth.login("elena")
    page = client.get(url)
    assert page.status_code == 200
    assert "they open to viewers when the evaluation reaches consensus" in page.get_data(
        as_text=True
    )
    assert client.post(url, data={"kind": "pdf"}).status_code == 409
    assert client.get(f"{url}/{report.id}").status_code == 409
    auth.logout()
    auth.login("morgan")  # the lead always may
    with client.get(f"{url}/{report.id}") as download:
        assert download.status_code == 200


def test_the_operation_refuses_a_kind_it_does_not_make_and_keeps_nothing(app, demo, db):
    with pytest.raises(Refused) as refused, db.transaction() as s:
        evaluation = s.get(m.Evaluation, demo["evaluation"])
        generate_report(s, evaluation, "docx", export_dir=app.config["EXPORT_DIR"])
    assert (refused.value.field, refused.value.kind) == ("kind", INVALID)
    assert kept(db) == []
