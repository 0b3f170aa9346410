"""Cells, styles and page set-up shared by every sheet of the workbook.

The one rule that matters most lives here: text that came from a user (names, answers,
comments, notes, titles) goes through `set_text`, which makes it a text cell whatever it
starts with. openpyxl turns any string beginning with "=" into a formula, and a
spreadsheet would evaluate `=HYPERLINK(...)` typed into a vendor's name; a text cell with
the quote prefix set stays text even when a reader edits it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Leading characters that a spreadsheet (or a CSV import of it) may read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell

# Number formats: scores with one decimal like the web page (score_text), money in USD.
SCORE = "0.0"
PERCENT = "0%"
PERCENT_1 = "0.0%"
MONEY = '"$"#,##0'
MONEY_2 = '"$"#,##0.00'
HOURS = "#,##0"
INTEGER = "#,##0"
DATE = "yyyy-mm-dd"

BRAND = "1F3B57"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=BRAND)
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
TITLE_FONT = Font(bold=True, size=15, color=BRAND)
NOTE_FONT = Font(italic=True, color="5F6B7A")
BOLD = Font(bold=True)
GROUP_FILL = PatternFill("solid", fgColor="E8EEF5")
# Inputs follow the financial-modelling convention: blue figures on a pale yellow fill.
INPUT_FONT = Font(bold=True, color="1F4E9E")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="C9A227")
INPUT_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
DISQUALIFIED_FILL = PatternFill("solid", fgColor="F4DEDE")
FLAG_FILL = PatternFill("solid", fgColor="FCE4C4")
WRAP = Alignment(wrap_text=True, vertical="top")


# OOXML's own escape for characters XML cannot carry as they are: a carriage return in
# cell text would come back as a line feed (XML end-of-line handling), so it is written as
# _x000D_, and a literal "_xHHHH_" in user text gets its underscore escaped (_x005F_).
_OOXML_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def clean_text(text: Any) -> str:
    """Text a cell can hold: no XML-illegal control characters, at most Excel's length."""
    value = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return value[:MAX_CELL_TEXT]


def ooxml_text(text: str) -> str:
    """User text in the form a spreadsheet reads back as the same characters."""
    if "_x" in text:
        text = _OOXML_ESCAPED.sub("_x005F_", text)
    return text.replace("\r", "_x000D_")


@lru_cache(maxsize=8192)
def prepared_text(text: str) -> tuple[str, bool]:
    """(the text as a cell holds it, whether a spreadsheet could read it as a formula).
    Cached: names and question texts repeat on every row of the large sheets."""
    value = clean_text(text)
    # openpyxl also turns "#N/A" and the other error literals into error cells.
    return ooxml_text(value), value.startswith(FORMULA_TRIGGERS) or value in ERROR_CODES


def set_text(cell: Cell, text: Any) -> Cell:
    """Put user text in a cell as text, never as a formula, whatever it starts with."""
    value, formula_like = prepared_text(str(text))
    cell.value = value
    cell.data_type = "s"  # openpyxl made it "f" if it starts with "="
    if formula_like:
        cell.quotePrefix = True  # the reader's spreadsheet keeps it text when edited
    return cell


def text_cell(ws: Worksheet, text: Any) -> Cell:
    """A detached text cell for `ws.append(...)`."""
    return set_text(Cell(ws), text)


def text_value(ws: Worksheet, text: Any) -> str | Cell:
    """User text for `ws.append(...)` on the large sheets: the plain string where openpyxl
    keeps it text by itself (no formula-like start), else a text cell from `set_text`."""
    value, formula_like = prepared_text(str(text))
    return text_cell(ws, text) if formula_like else value


def write_text(ws: Worksheet, row: int, column: int, text: Any) -> Cell:
    return set_text(ws.cell(row=row, column=column), text)


def write_input(ws: Worksheet, row: int, column: int, value: float | None, fmt: str) -> Cell:
    """A number the reader may change; formulas elsewhere read it."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.font = INPUT_FONT
    cell.fill = INPUT_FILL
    cell.border = INPUT_BORDER
    cell.number_format = fmt
    return cell


def write_header(ws: Worksheet, row: int, labels: Iterable[str], first_column: int = 1) -> None:
    """A table header; labels may be user text (criterion and vendor names)."""
    for offset, label in enumerate(labels):
        cell = write_text(ws, row, first_column + offset, label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN


def write_title(ws: Worksheet, title: str, notes: Iterable[str] = ()) -> int:
    """Title in A1 and notes below it; returns the next free row."""
    write_text(ws, 1, 1, title).font = TITLE_FONT
    row = 2
    for note in notes:
        write_text(ws, row, 1, note).font = NOTE_FONT
        row += 1
    return row


LINE_HEIGHT = 15.0  # points per line of 11-point text


def grow_row(ws: Worksheet, row: int, text: str, width: float, *, bold: bool = False) -> None:
    """Make a row tall enough for `text` wrapped in a column `width` characters wide.

    Spreadsheets do not re-fit the row heights of a file they open, so without this a
    wrapped comment shows only its first line. The estimate wraps at word boundaries
    like the spreadsheet does; bold text is wider.
    """
    per_line = max(1, int(width * (1.0 if bold else 1.15)))
    lines = sum(len(textwrap.wrap(part, per_line)) or 1 for part in text.split("\n"))
    if lines > 1:
        dimension = ws.row_dimensions[row]
        dimension.height = max(dimension.height or LINE_HEIGHT, min(409.0, LINE_HEIGHT * lines))


class ColumnWidths:
    """Column widths: fitted to the text seen (within bounds), or fixed."""

    def __init__(self, minimum: float = 6, maximum: float = 60) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.fitted: dict[int, float] = {}
        self.fixed: dict[int, float] = {}

    def see(self, column: int, text: str | None, padding: float = 2) -> None:
        if not text:
            return
        longest = max(len(line) for line in text.splitlines()) if text.strip() else 0
        self.fitted[column] = max(self.fitted.get(column, 0), longest + padding)

    def fix(self, column: int, width: float) -> None:
        self.fixed[column] = width

    def apply(self, ws: Worksheet) -> None:
        for column, width in self.fitted.items():
            if column not in self.fixed:
                clamped = min(self.maximum, max(self.minimum, width))
                ws.column_dimensions[get_column_letter(column)].width = clamped
        for column, width in self.fixed.items():
            ws.column_dimensions[get_column_letter(column)].width = width


def footer_text(text: str) -> str:
    """Header/footer text: '&' starts a control code there, so it is doubled."""
    return clean_text(text).replace("&", "&&")[:200]


def print_setup(ws: Worksheet, title_rows: str, evaluation_title: str) -> None:
    """Landscape, fit to one page wide, header rows repeated, footer with page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = footer_text(evaluation_title)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.right.size = 8
