"""Filling questionnaires as a vendor would (openpyxl), and making hostile files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl

from rfp.areas.intake.questionnaire import FIRST_ROW


def rows_by_key(ws: Any) -> dict[str, int]:
    """Row number of each key in the hidden column A."""
    return {
        ws.cell(row=r, column=1).value: r
        for r in range(FIRST_ROW, ws.max_row + 1)
        if ws.cell(row=r, column=1).value
    }


def fill(
    data: bytes,
    *,
    answers: dict[str, Any] | None = None,
    knockouts: dict[str, Any] | None = None,
    evidence: dict[str, str] | None = None,
    pricing: dict[str, Any] | None = None,
    edit: Callable[[openpyxl.Workbook], None] | None = None,
) -> bytes:
    """Type answers into the shaded cells, as a vendor does in Excel, and save."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    questions, knockout_ws, pricing_ws = wb["Questions"], wb["Knockouts"], wb["Pricing"]
    rows = rows_by_key(questions)
    for key, value in (answers or {}).items():
        questions[f"E{rows[key]}"] = value
    rows = rows_by_key(knockout_ws)
    for key, value in (knockouts or {}).items():
        knockout_ws[f"E{rows[key]}"] = value
    for key, value in (evidence or {}).items():
        knockout_ws[f"F{rows[key]}"] = value
    rows = rows_by_key(pricing_ws)
    for key, value in (pricing or {}).items():
        pricing_ws[f"C{rows[key]}"] = value
    if edit is not None:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def replace_part(data: bytes, name: str, content: Callable[[Any], None]) -> bytes:
    """Copy an xlsx, writing part `name` with `content(stream)` instead of its own."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename == name:
                with target.open(name, "w") as stream:
                    content(stream)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def long_sheet(rows: int, *, dimension: bool = True) -> Callable[[Any], None]:
    """A worksheet of `rows` rows, streamed straight into the zip (no openpyxl cells)."""

    def write(stream: Any) -> None:
        stream.write(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        if dimension:
            stream.write(f'<dimension ref="A1:E{rows}"/>'.encode())
        stream.write(b"<sheetData>")
        chunk = []
        for r in range(1, rows + 1):
            chunk.append(f'<row r="{r}"><c r="E{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>')
            if len(chunk) == 5000:
                stream.write("".join(chunk).encode())
                chunk = []
        stream.write("".join(chunk).encode())
        stream.write(b"</sheetData></worksheet>")

    return write


def zip_bomb(inflated_mb: int = 60) -> bytes:
    """A small zip with the parts of an xlsx, one of which inflates to `inflated_mb` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with z.open("xl/worksheets/sheet1.xml", "w") as stream:
            block = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                stream.write(block)
    return out.getvalue()


def encrypted(data: bytes, password: str = "secret-2027") -> bytes:  # noqa: S107
    """The workbook with a password to open (a real one when msoffcrypto-tool is there;
    otherwise an OLE2 compound file header, which is what such a file starts with)."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-not-found]
    except ImportError:
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + data[:1024]
    source = OOXMLFile(io.BytesIO(data))
    out = io.BytesIO()
    source.encrypt(password, out)
    return out.getvalue()
