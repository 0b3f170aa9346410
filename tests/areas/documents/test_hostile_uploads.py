"""Hostile uploads through the vendor portal: a renamed executable, a PDF with
JavaScript, a zip bomb, an oversized file and a path-traversal name. Each is refused
with a message that says why, and nothing is stored: no file in the document store's
folder (not even a temporary one), no row, no audit event."""

from __future__ import annotations

import pytest

from tests.fixtures import documents as files
from tests.fixtures.sourcing_world import MB, upload

HOSTILE = [
    pytest.param(
        files.windows_executable(),
        "SOC2 report.pdf",
        "The file is a Windows program (.exe or .dll), not a PDF, Word, Excel, PNG or JPEG file.",
        id="renamed-executable",
    ),
    pytest.param(
        files.pdf_with_javascript(),
        "SOC2 report.pdf",
        "The PDF is refused: it contains JavaScript. Print or export it again as a plain PDF "
        "and upload that.",
        id="pdf-with-javascript",
    ),
    pytest.param(
        files.pdf_with_hidden_javascript(),
        "SOC2 report.pdf",
        "The PDF is refused: it contains JavaScript.",
        id="pdf-with-javascript-in-an-object-stream",
    ),
    pytest.param(
        files.docx_bomb(250),
        "proposal.docx",
        "(a zip bomb?)",
        id="zip-bomb",
    ),
    pytest.param(
        files.plain_pdf() + b"%" + b"x" * (2 * MB),
        "big.pdf",
        "The file is too large: the limit is 2 MB.",
        id="oversized",
    ),
    pytest.param(
        files.plain_pdf(),
        "../../../../etc/cron.d/report.pdf",
        "The file name must be a plain name, without folders (such as ../): rename the file.",
        id="path-traversal-name",
    ),
]


@pytest.mark.parametrize(("data", "name", "message"), HOSTILE)
def test_a_hostile_upload_is_refused_with_a_clear_message_and_nothing_stored(
    client, world, data, name, message
):
    slot = world.slot("Proposal", kinds=("pdf", "docx"), max_bytes=2 * MB)
    token = world.link("alpha")
    before = world.counts()
    response = upload(client, token, slot, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert world.stored_files() == []
    assert world.counts() == before
    assert world.audit("document.uploaded") == []


def test_a_file_beyond_the_request_limit_is_refused_before_it_is_read(client, app, world):
    slot = world.slot("Proposal")
    token = world.link("alpha")
    limit = app.config["MAX_CONTENT_LENGTH"]  # 10 MB by default
    response = upload(client, token, slot, b"%PDF-1.7\n" + b"0" * limit, "huge.pdf")
    assert response.status_code == 413
    assert "The file is too large: a request may carry at most 10.0 MB." in response.get_data(
        as_text=True
    )
    assert world.stored_files() == [] and world.document_count() == 0


def test_after_the_refusals_a_real_pdf_goes_through(client, world):
    """The refusals above are about the files, not the slot or the link."""
    slot = world.slot("Proposal", kinds=("pdf", "docx"), max_bytes=2 * MB)
    token = world.link("alpha")
    for param in HOSTILE:
        data, name, _message = param.values
        assert upload(client, token, slot, data, name).status_code == 422
    assert upload(client, token, slot, files.plain_pdf(), "proposal.pdf").status_code == 302
    assert len(world.stored_files()) == 1 and world.document_count() == 1
