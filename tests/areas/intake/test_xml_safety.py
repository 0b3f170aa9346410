"""Hostile XML inside an uploaded workbook: a document type or entity declaration in any
part of the zip (a sheet, the shared strings, the workbook, the content types, the
relationships, a custom part, whatever its name or encoding) is refused before openpyxl
opens the file, with a message that names the part; a real workbook still passes.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest

from rfp.core.upload_safety import UploadRefused, check_upload
from tests.areas.intake.test_questionnaire_upload import _download, _upload, _vendor_url

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)
PARAMETER_ENTITY = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE foo [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
)
PAYLOADS = {
    "billion laughs": (BILLION_LAUGHS, "&lol9;"),
    "external entity": (EXTERNAL_ENTITY, "&xxe;"),
    "parameter entity": (PARAMETER_ENTITY, ""),
}


def _workbook() -> bytes:
    """A real workbook with text cells (so it has shared strings)."""
    wb = openpyxl.Workbook()
    wb.active.title = "Questions"
    wb.active["A1"] = "timezone"
    wb.active["E1"] = "Full overlap"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _root_of(xml: bytes) -> str:
    text = xml.decode("utf-8")
    return text[text.index("<", text.index("?>") + 2 if "?>" in text else 0) :]


def _poison(data: bytes, part: str, payload: str, reference: str) -> bytes:
    """The workbook with `payload` (a prolog with a DTD) in front of `part`'s root
    element, and `reference` inside it; a part the workbook lacks is added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        for name in names:
            content = source.read(name)
            if name == part:
                root = _root_of(content)
                tag_end = root.index(">") + 1
                content = (payload + root[:tag_end] + reference + root[tag_end:]).encode()
            target.writestr(name, content)
        if part not in names:
            target.writestr(part, (payload + f"<item>{reference}</item>").encode())
    return out.getvalue()


PARTS = [
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "customXml/item1.xml",
    "customXml/item1.data",  # a custom part whose name does not say XML
]


def test_a_real_workbook_passes():
    check_upload(_workbook())


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize("part", PARTS)
def test_an_entity_declaration_in_any_part_is_refused_naming_the_part(part, payload):
    text, reference = PAYLOADS[payload]
    data = _poison(_workbook(), part, text, reference)
    with pytest.raises(UploadRefused) as refused:
        check_upload(data)
    message = str(refused.value)
    assert f"its part {part} declares a document type or XML entities" in message


def test_a_declaration_in_utf_16_is_refused_too():
    data = _workbook()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target, zipfile.ZipFile(io.BytesIO(data)) as source:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        xml = BILLION_LAUGHS.replace("UTF-8", "UTF-16") + "<item>&lol9;</item>"
        target.writestr("customXml/item2.xml", xml.encode("utf-16"))
    with pytest.raises(UploadRefused, match="customXml/item2.xml declares"):
        check_upload(out.getvalue())


def test_a_declaration_after_the_root_element_is_refused_too():
    """Not well-formed XML, but no business in a workbook either: refused by name."""
    data = _workbook()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target, zipfile.ZipFile(io.BytesIO(data)) as source:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<sheetData>", b'<sheetData><!ENTITY x "y">')
            target.writestr(name, content)
    with pytest.raises(UploadRefused, match="sheet1.xml declares"):
        check_upload(out.getvalue())


def test_the_lead_s_upload_of_a_billion_laughs_questionnaire_is_refused_and_writes_nothing(
    client: Any, auth: Any, world: Any
) -> None:
    auth.login("lena")
    good = _download(client, world)
    data = _poison(good, "xl/sharedStrings.xml", *PAYLOADS["billion laughs"])
    before = world.snapshot()
    refused = _upload(client, f"{_vendor_url(world)}/upload", data, received="y")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "xl/sharedStrings.xml declares a document type or XML entities" in page
    assert "The workbook was not imported; nothing was changed." in page
    assert world.snapshot() == before


def test_the_vendor_s_upload_of_an_external_entity_is_refused(client: Any, world: Any) -> None:
    token = world.link("alpha")
    good = client.get(f"/portal/{token}/questionnaire.xlsx").data
    data = _poison(good, "xl/worksheets/sheet2.xml", *PAYLOADS["external entity"])
    refused = _upload(client, f"/portal/{token}/upload", data)
    assert refused.status_code == 422
    assert "xl/worksheets/sheet2.xml declares" in refused.get_data(as_text=True)
    assert "root:" not in refused.get_data(as_text=True)  # /etc/passwd was never read
