"""End to end in a real browser: the lead asks for the workbook, the page answers at once
with the report being built, and lists the file by itself when the app's worker thread
(RFP_JOBS=thread, the default the live server runs with) has built it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core import jobs
from rfp.demo import load_demo
from tests.fixtures.browser import LiveServer, log_in

pytestmark = pytest.mark.e2e


def test_the_reports_page_follows_the_report_being_built_then_lists_it(
    live_server: LiveServer, browser: Any, tmp_path
):
    assert isinstance(live_server.app.extensions["rfp.jobs"], jobs.ThreadDispatcher)
    with live_server.db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        evaluation_id = evaluation.id
    page = browser.new_page()
    log_in(page, live_server.base, "morgan")
    page.goto(f"{live_server.base}/evaluations/{evaluation_id}/reports")
    page.click("button:has-text('Generate Excel workbook')")

    # The POST answered at once: the page says the workbook is being built...
    page.wait_for_selector("text=is being built")
    assert page.locator(".job-list .job").count() == 1
    page.screenshot(path=str(tmp_path / "reports-being-built.png"), full_page=True)

    # ... and, once the worker thread is done, the script reloads it with the file listed.
    page.wait_for_selector(".reports-table td a[download]", timeout=60_000)
    page.screenshot(path=str(tmp_path / "reports-ready.png"), full_page=True)
    with live_server.db.transaction() as s:
        (report,) = s.scalars(select(m.GeneratedReport)).all()
        filename = report.filename
    assert page.locator(".reports-table").inner_text().count(filename) == 1
    assert page.locator(".job-list").count() == 0
    worker = live_server.app.extensions["rfp.jobs"]
    worker.stop()
