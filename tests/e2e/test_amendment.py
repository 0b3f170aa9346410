"""End to end in a real browser: an amendment after unsealing, found wherever the result is.

The demo evaluation is in consensus: the responses were unsealed long ago and are frozen.
Valle Claro quotes $2.35 per contact and fails the PCI-DSS knockout. The lead opens its
vendor page, amends the price to $1.95 and turns the knockout to pass, each with a reason
and a confirmation. The results page then marks Valle Claro in the ranking and lists both
amendments in the product's words; the PDF the lead generates says them on page 1, in its
exceptions box, and never that no vendor failed a knockout.

Screenshots (vendor page, amendment form, results, PDF page 1) land in the test's
temporary folder.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from rfp.demo import load_demo
from tests.fixtures.browser import LiveServer, log_in

pytestmark = pytest.mark.e2e

PRICE_REASON = "Arithmetic error in the rate card, confirmed in writing on 3 Oct"
KNOCKOUT_REASON = "PCI-DSS AOC dated 2026-09-30 received from the QSA"
PRICE = (
    f"Price amended by the lead after unsealing: $2.35 → $1.95 per contact, reason: {PRICE_REASON}"
)
KNOCKOUT = (
    "Knockout “PCI-DSS attestation for card-handling agents” amended by the lead after "
    f"unsealing: fail → pass, reason: {KNOCKOUT_REASON}"
)


@pytest.fixture
def demo(live_server: LiveServer) -> dict[str, Any]:
    with live_server.db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        ids = {"evaluation": evaluation.id}
        ids.update({v.key: v.id for v in evaluation.vendors})
    return ids


def _amend(page: Any, link: str, value: str, reason: str, *, select: bool = False) -> None:
    page.click(link)
    page.wait_for_selector("form.card textarea[name=reason]")
    if select:
        page.select_option("select[name=new]", value)
    else:
        page.fill("input[name=new]", value)
    page.fill("textarea[name=reason]", reason)
    page.check("input[name=confirm]")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#amendments")


def test_an_amendment_after_unsealing_shows_on_the_results_and_in_the_pdf(
    live_server, browser, demo, tmp_path: Path
):
    base, ev = live_server.base, demo["evaluation"]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    log_in(page, base, "morgan")

    page.goto(f"{base}/evaluations/{ev}/vendors/{demo['valle_claro']}")
    assert page.locator("a.button", has_text="Edit the response").count() == 0  # frozen
    page.click("text=Amend the response")
    page.wait_for_selector("text=Part of the response")
    page.screenshot(path=str(shots / "1-choose.png"), full_page=True)

    _amend(page, "a[href*='field=rate']", "1.95", PRICE_REASON)
    page.goto(f"{base}/evaluations/{ev}/vendors/{demo['valle_claro']}/amend")
    page.click("a[href*='field=knockout'][href*='question=pci']")
    page.wait_for_selector("select[name=new]")
    page.screenshot(path=str(shots / "2-amend-knockout.png"), full_page=True)
    page.go_back()
    _amend(
        page,
        "a[href*='field=knockout'][href*='question=pci']",
        "pass",
        KNOCKOUT_REASON,
        select=True,
    )
    vendor_page = page.inner_text("main")
    assert "As submitted" in vendor_page and "$1.95" in vendor_page
    page.screenshot(path=str(shots / "3-vendor-page.png"), full_page=True)

    page.goto(f"{base}/evaluations/{ev}/results")
    row = page.locator("table.ranking tr[data-vendor=valle_claro]")
    assert "amended after unsealing" in row.inner_text()
    assert row.locator(".rank").inner_text().strip() == "1"  # qualified, and first
    amendments = page.inner_text("#amendments")
    assert PRICE in amendments and KNOCKOUT in amendments
    assert "qualifies only because a knockout it failed as submitted" in page.inner_text(
        ".recommendation"
    )
    page.screenshot(path=str(shots / "4-results.png"), full_page=True)

    page.goto(f"{base}/evaluations/{ev}/reports")
    page.click("text=Generate PDF summary")
    page.wait_for_selector(".reports-table a[href*='/reports/']")
    with page.expect_download() as download:
        page.click(".reports-table a[href*='/reports/']")
    pdf_path = tmp_path / "summary.pdf"
    download.value.save_as(pdf_path)
    pages = [
        re.sub(r"\s+", " ", p.extract_text())
        for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages
    ]
    assert "Process exceptions" in pages[0]
    assert f"Valle Claro Soluciones: {KNOCKOUT}" in pages[0]
    assert f"Valle Claro Soluciones: {PRICE}" in pages[0]
    assert "No vendor failed a knockout." not in " ".join(pages)
    # poppler's pdftotext reads the same text, where it is installed.
    try:
        text = subprocess.run(
            ["pdftotext", "-l", "1", str(pdf_path), "-"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except FileNotFoundError:
        return
    assert "Process exceptions" in text and "fail → pass" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-l", "1", str(pdf_path), str(shots / "5-pdf")],
        check=True,
        timeout=60,
    )
