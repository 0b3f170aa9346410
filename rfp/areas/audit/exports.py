"""The audit trail as a file: CSV and Excel, one row per changed field (an event with
no field change is one row), in the product's words as on the page. Pure functions
returning bytes; the view only sends them.

Every value came from somebody's typing (names, answers, reasons), so none may become a
formula: the workbook writes each cell with XlsxWriter's write_string (text, whatever it
starts with), and the CSV prefixes a value a spreadsheet would read as a formula with an
apostrophe (the OWASP advice for CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

import xlsxwriter

from rfp.areas.audit.pages import AuditRow
from rfp.domain.formatting import when
from rfp.reports.xlsx.cells import ERROR_LITERALS, FORMULA_TRIGGERS, clean_text

HEADER = ("Event", "When (UTC)", "Who", "Action", "Target", "Field", "Old value", "New value",
          "Reason")  # fmt: skip
WIDTHS = (8, 18, 22, 30, 36, 30, 40, 40, 40)


def _lines(rows: Sequence[AuditRow]) -> Iterator[tuple[str, ...]]:
    for row in rows:
        changes = row.lines or (("", None, None),)
        for field, old, new in changes:
            yield (
                str(row.id),
                when(row.at).removesuffix(" UTC"),
                row.who,
                row.action_label,
                row.target,
                field,
                "" if old is None else old,
                "" if new is None else new,
                row.reason,
            )


def _defused(value: str) -> str:
    """A CSV cell a spreadsheet will not run: "=HYPERLINK(..)" becomes "'=HYPERLINK(..)"."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) or value in ERROR_LITERALS else value


def audit_csv(rows: Sequence[AuditRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for line in _lines(rows):
        writer.writerow([_defused(value) for value in line])
    # A byte order mark, so that Excel opens the UTF-8 file with its accents.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def audit_workbook(rows: Sequence[AuditRow], title: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": clean_text(f"Audit trail · {title}"), "author": "rfp"})
    head = book.add_format({"bold": True, "bg_color": "#1F3B57", "font_color": "#FFFFFF"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Audit trail")
    for column, (name, width) in enumerate(zip(HEADER, WIDTHS, strict=True)):
        sheet.write_string(0, column, name, head)
        sheet.set_column(column, column, width)
    count = 0
    for count, line in enumerate(_lines(rows), start=1):
        for column, value in enumerate(line):
            sheet.write_string(count, column, clean_text(value), wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(HEADER) - 1)
    book.close()
    return out.getvalue()
