"""What an upload is comes from its bytes: real PDFs, Office files and images pass;
renamed executables, PDFs that act when opened, zip bombs, damaged or oversized files
and names with folders in them are refused with a message that says why."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from rfp.areas.documents.inspection import (
    UploadRefused,
    clean_filename,
    inspect_upload,
    megabytes,
)
from rfp.domain.vocabulary import DocumentKind
from tests.fixtures import documents as files

EVERY_KIND = tuple(DocumentKind)
MB = 1024 * 1024


def inspect(data: bytes, name: str = "file", kinds=EVERY_KIND, limit: int = 10 * MB):
    return inspect_upload(data, name, kinds, limit)


def refusal(data: bytes, name: str = "file", kinds=EVERY_KIND, limit: int = 10 * MB) -> str:
    with pytest.raises(UploadRefused) as refused:
        inspect(data, name, kinds, limit)
    return str(refused.value)


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [
        (files.plain_pdf, "SOC 2 report.pdf", DocumentKind.PDF),
        (files.pdf_opening_at_page_one, "opens at page 1.pdf", DocumentKind.PDF),
        (files.docx, "Proposal.docx", DocumentKind.DOCX),
        (files.xlsx, "Pricing.xlsx", DocumentKind.XLSX),
        (files.png, "org chart.png", DocumentKind.PNG),
        (files.jpeg, "site photo.jpeg", DocumentKind.JPG),
        (files.jpeg, "site photo.JPG", DocumentKind.JPG),
    ],
)
def test_real_files_pass_as_what_their_content_is(make, name, kind):
    data = make()
    inspected = inspect(data, name)
    assert inspected.kind is kind
    assert inspected.filename == name
    assert inspected.size == len(data)
    assert inspected.sha256 == hashlib.sha256(data).hexdigest()


def test_a_name_without_an_extension_gets_the_one_of_its_content():
    assert inspect(files.plain_pdf(), "SOC2 report").filename == "SOC2 report.pdf"


def test_a_renamed_executable_is_refused_for_what_it_is():
    message = refusal(files.windows_executable(), "SOC2 report.pdf")
    assert (
        message
        == "The file is a Windows program (.exe or .dll), not a PDF, Word, Excel, PNG or JPEG file."
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "a Linux program"),
        (b"#!/bin/sh\nrm -rf /\n", "a script"),
        (b"<!DOCTYPE html><html><script>alert(1)</script>", "a web page or XML file"),
        (b"GIF89a" + b"\x00" * 20, "a GIF image"),
        (b"just some text", "of a kind that is not accepted"),
    ],
)
def test_other_content_is_named_when_it_is_refused(data, words):
    assert refusal(data, "report.pdf").startswith(f"The file is {words}, not a PDF")


def test_a_file_whose_name_contradicts_its_content_is_refused():
    message = refusal(files.png(), "SOC2 report.pdf")
    assert message == (
        "The file is named .pdf but its content is a PNG image: rename it or upload the right file."
    )


def test_a_type_the_slot_does_not_take_is_refused_naming_what_it_takes():
    message = refusal(files.docx(), "Proposal.docx", kinds=(DocumentKind.PDF, DocumentKind.XLSX))
    assert message == (
        "The file is a Word document (.docx); this document must be a PDF or Excel "
        "workbook (.xlsx)."
    )


@pytest.mark.parametrize(
    ("make", "found"),
    [
        (files.pdf_with_javascript, "JavaScript"),
        (files.pdf_with_escaped_javascript, "JavaScript"),
        (files.pdf_with_launch, "a Launch action (it starts a program) and automatic actions"),
    ],
)
def test_a_pdf_that_acts_when_opened_is_refused(make, found):
    assert refusal(make(), "report.pdf") == (
        f"The PDF is refused: it contains {found}. Print or export it again as a plain PDF "
        "and upload that."
    )


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    data = files.pdf_with_hidden_javascript()
    assert b"JavaScript" not in data  # a plain scan of the bytes would miss it
    assert "it contains JavaScript" in refusal(data, "report.pdf")


def test_an_open_action_that_is_not_a_plain_destination_is_refused():
    data = files.handmade_pdf(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>")
    assert "it runs an action when it is opened (OpenAction)" in refusal(data, "x.pdf")


def test_an_encrypted_pdf_is_refused_as_impossible_to_check():
    data = files.handmade_pdf(b"").replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 9 0 R")
    assert "The PDF is encrypted" in refusal(data, "x.pdf")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n1 0 obj << >> endobj\n", "it has no end marker"),
        (b"%PDF-x.y\n%%EOF", "its header is not a PDF version"),
        (b"%PDF-1.4\n%%EOF\n", "it holds no objects"),
    ],
)
def test_a_damaged_pdf_is_refused(data, message):
    assert message in refusal(data, "x.pdf")


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    # 250 MB of spaces compress to about 250 kB: over 1,000 times.
    message = refusal(files.docx_bomb(250), "proposal.docx")
    assert message.startswith("The document is refused: its part word/document.xml would inflate")
    assert "(a zip bomb?)" in message


def test_a_macro_enabled_office_file_is_refused():
    out = io.BytesIO()
    data = files.docx()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\x00" * 64)
    assert refusal(out.getvalue(), "proposal.docx").startswith(
        "Macro-enabled files are not accepted"
    )


def test_a_zip_that_is_no_office_file_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("payload.exe", b"MZ")
    assert refusal(out.getvalue(), "proposal.docx") == (
        "The file is a zip archive, not a Word (.docx) or Excel (.xlsx) document."
    )


def test_an_image_claiming_a_huge_size_is_refused():
    # 100,000 x 100,000 = 10,000,000,000 pixels, 100 times the 100,000,000 allowed.
    assert "100,000 x 100,000 pixels" in refusal(files.png_claiming(100_000, 100_000), "a.png")


def test_an_image_with_data_after_its_end_is_refused():
    assert "after the end of the image" in refusal(
        files.png() + b"<?php system($_GET[1]);", "a.png"
    )
    assert "after the end of the image" in refusal(files.jpeg() + b"PK\x03\x04 payload", "a.jpg")


def test_a_cut_short_image_is_refused():
    data = files.png()
    assert "damaged or cut short" in refusal(data[: len(data) // 2], "a.png")
    assert "damaged" in refusal(files.jpeg()[:100], "a.jpg")


def test_an_empty_or_oversized_file_is_refused():
    assert refusal(b"", "a.pdf") == "The file is empty."
    data = files.plain_pdf()
    assert refusal(data, "a.pdf", limit=len(data) - 1) == (
        f"The file is too large: the limit is {megabytes(len(data) - 1)}."
    )
    assert inspect(data, "a.pdf", limit=len(data)).size == len(data)


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\boot.ini", "reports/soc2.pdf", "..", "C:\\temp\\a.pdf"],
)
def test_a_name_with_folders_in_it_is_refused(name):
    assert refusal(files.plain_pdf(), name) == (
        "The file name must be a plain name, without folders (such as ../): rename the file."
    )


@pytest.mark.parametrize("name", ["soc2\x00.exe.pdf", "soc2\u202eFDP.exe", "a\nb.pdf"])
def test_a_name_with_control_characters_is_refused(name):
    assert "control characters" in refusal(files.plain_pdf(), name)


def test_names_are_kept_readable_and_safe():
    assert clean_filename("Propuesta Valle Claro – 2026.pdf") == "Propuesta Valle Claro _ 2026.pdf"
    assert clean_filename('Report "final"; v2.pdf') == "Report _final__ v2.pdf"
    assert clean_filename("  .hidden.pdf") == "hidden.pdf"
    assert clean_filename("Ünïcödé café.pdf") == "Ünïcödé café.pdf"
    long = "x" * 300 + ".pdf"
    assert clean_filename(long) == "x" * 146 + ".pdf"
