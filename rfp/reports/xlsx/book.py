"""The workbook as XlsxWriter writes it: in constant memory, each sheet top to bottom.

In constant-memory mode XlsxWriter sends a row to disk as soon as a later row is begun,
so memory stays flat however many scores there are, and a sheet must be written in row
order. `Sheet` keeps that rule (a write above the current row raises instead of being
dropped) and speaks the sheets' language: rows and columns counted from 1 like the A1
addresses in the formulas, user text always written as text (never as a formula), styles
as `Style`, and every formula with the value it has on the inputs as written, so that a
reader that does not recalculate shows the engine's figures.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rfp.reports.xlsx.cells import (
    HEADER,
    INPUT,
    NOTE,
    PLAIN,
    TITLE,
    Style,
    footer_text,
    number_format,
    prepared_text,
    wrapped_height,
)

FormulaValue = float | int | str

_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


class RowOrderError(RuntimeError):
    """A cell written above a row already sent to disk (it would be lost)."""


def quote_sheetname(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def absolute(ref: str) -> str:
    """ "E5:H5" -> "$E$5:$H$5"."""
    return _CELL.sub(r"$\1$\2", ref)


class Book:
    """The XlsxWriter workbook, its formats (one per style) and its names."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._formats: dict[tuple[Style, bool], Format | None] = {}
        self._highlights: dict[Style, Format] = {}

    def add_sheet(self, title: str) -> Sheet:
        return Sheet(self, self.workbook.add_worksheet(title))

    def format(self, style: Style, quoted: bool = False) -> Format | None:
        """The cell format of a style; `quoted` sets the quote prefix (text stays text)."""
        key = (style, quoted)
        found = self._formats.get(key, False)
        if found is not False:
            return found
        properties = style.as_dict()
        if quoted:
            properties["quote_prefix"] = True
        made = self.workbook.add_format(properties) if properties else None
        self._formats[key] = made
        return made

    def highlight(self, style: Style) -> Format:
        """A format for conditional formatting (a differential format of its own)."""
        if style not in self._highlights:
            self._highlights[style] = self.workbook.add_format(style.as_dict())
        return self._highlights[style]

    def define_name(self, name: str, sheet: Sheet, ref: str) -> str:
        """A workbook-level name for a cell or range, so that formulas read in words."""
        target = f"{sheet.quoted_title}!{absolute(ref)}"
        self.workbook.define_name(name, f"={target}")
        return target

    def add_chart(self, options: dict[str, Any]) -> Chart:
        chart = self.workbook.add_chart(options)
        assert chart is not None, options  # XlsxWriter warns and returns None on a bad type
        return chart


class Sheet:
    """One worksheet, written row by row; rows and columns count from 1."""

    def __init__(self, book: Book, worksheet: Worksheet) -> None:
        self.book = book
        self.worksheet = worksheet
        self.title: str = worksheet.name
        self.quoted_title = quote_sheetname(self.title)
        self._row = 0  # the row being written; the rows above it are on disk
        self._height: float | None = None
        self._level = 0

    def begin_row(self, row: int) -> int:
        """The 0-based row for XlsxWriter's own calls, after checking that it is not above
        the current one (for a large sheet's rows, written without the calls below)."""
        return self._at(row)

    def _at(self, row: int) -> int:
        """The 0-based row, after checking that it is not above the current one."""
        if row != self._row:
            if row < self._row:
                raise RowOrderError(f"{self.title}: row {row} written after row {self._row}")
            self._row, self._height, self._level = row, None, 0
        return row - 1

    # Cells ------------------------------------------------------------------------------

    def text(self, row: int, column: int, text: Any, style: Style = PLAIN) -> None:
        """Text as text, whatever it starts with: the quote prefix on formula-like text."""
        value, quoted = prepared_text(str(text))
        fmt = self.book.format(style, quoted)
        self.worksheet.write_string(self._at(row), column - 1, value, fmt)

    def number(self, row: int, column: int, value: float | None, style: Style = PLAIN) -> None:
        if value is None:
            self.blank(row, column, style)
            return
        self.worksheet.write_number(self._at(row), column - 1, value, self.book.format(style))

    def date(self, row: int, column: int, value: dt.date, style: Style) -> None:
        """A date; `style` must carry a date number format."""
        self.worksheet.write_datetime(self._at(row), column - 1, value, self.book.format(style))

    def formula(
        self, row: int, column: int, formula: str, value: FormulaValue, style: Style = PLAIN
    ) -> None:
        """A live formula and the value it gives on the inputs as written (shown by readers
        that do not recalculate; a spreadsheet recalculates on opening)."""
        fmt = self.book.format(style)
        self.worksheet.write_formula(self._at(row), column - 1, formula, fmt, value)

    def blank(self, row: int, column: int, style: Style) -> None:
        """An empty cell that shows its style (a fill); nothing without one."""
        fmt = self.book.format(style)
        if fmt is not None:
            self.worksheet.write_blank(self._at(row), column - 1, None, fmt)

    def value(self, row: int, column: int, value: Any, style: Style = PLAIN) -> None:
        """A value of any kind the sheets hold: text, number, date or nothing."""
        if isinstance(value, str):
            self.text(row, column, value, style)
        elif isinstance(value, dt.date):
            self.date(row, column, value, style)
        else:
            self.number(row, column, value, style)

    def merged_text(
        self, row: int, first_column: int, last_column: int, text: str, style: Style
    ) -> None:
        """Text across merged cells of one row."""
        r = self._at(row)
        fmt = self.book.format(style)
        self.worksheet.merge_range(r, first_column - 1, r, last_column - 1, "", fmt)
        self.text(row, first_column, text, style)

    def input(self, row: int, column: int, value: float | None, fmt: str) -> None:
        """A number the reader may change; formulas elsewhere read it."""
        self.number(row, column, value, INPUT + number_format(fmt))

    def choice_input(self, row: int, column: int, value: str | None, choices: list[str]) -> None:
        """A word the reader may change, picked from a list; formulas elsewhere read it."""
        if value is None:
            self.blank(row, column, INPUT)
        else:
            self.text(row, column, value, INPUT)
        self.worksheet.data_validation(
            row - 1,
            column - 1,
            row - 1,
            column - 1,
            {
                "validate": "list",
                "source": choices,
                "error_title": "Not one of the choices",
                "error_message": "Pick one of: " + ", ".join(choices) + ".",
            },
        )

    def header(self, row: int, labels: Iterable[str], first_column: int = 1) -> None:
        """A table header; labels may be user text (criterion and vendor names)."""
        for offset, label in enumerate(labels):
            self.text(row, first_column + offset, label, HEADER)

    def title_block(self, title: str, notes: Iterable[str] = ()) -> int:
        """Title in A1 and notes below it; returns the next free row."""
        self.text(1, 1, title, TITLE)
        row = 2
        for note in notes:
            self.text(row, 1, note, NOTE)
            row += 1
        return row

    # Rows -------------------------------------------------------------------------------

    def height(self, row: int, points: float) -> None:
        self._at(row)
        self._height = points
        self._set_row()

    def grow(self, row: int, text: str, width: float, *, bold: bool = False) -> None:
        """Make the row tall enough for `text` wrapped in a column `width` characters wide."""
        needed = wrapped_height(text, width, bold=bold)
        if needed is not None:
            self._at(row)
            self._height = max(self._height or 0.0, needed)
            self._set_row()

    def outline(self, row: int, level: int = 1) -> None:
        """Group the row under the one above it (the outline's level)."""
        self._at(row)
        self._level = level
        self._set_row()

    def _set_row(self) -> None:
        options = {"level": self._level} if self._level else None
        self.worksheet.set_row(self._row - 1, self._height, None, options)

    # The sheet as a whole (any time before the workbook closes) ------------------------

    def widths(self, widths: Mapping[int, float]) -> None:
        for column, width in sorted(widths.items()):
            self.worksheet.set_column(column - 1, column - 1, width)

    def hide_column(self, column: int, width: float) -> None:
        """A column that holds what another part of the sheet reads (a chart's labels)."""
        self.worksheet.set_column(column - 1, column - 1, width, None, {"hidden": True})

    def freeze(self, cell: str) -> None:
        """Freeze the rows above and the columns left of `cell` ("C5")."""
        self.worksheet.freeze_panes(cell)

    def autofilter(self, ref: str) -> None:
        self.worksheet.autofilter(ref)

    def conditional(self, ref: str, options: dict[str, Any]) -> None:
        self.worksheet.conditional_format(ref, options)

    def highlight_where(self, ref: str, formula: str, style: Style) -> None:
        """Fill the cells of `ref` where `formula` (relative to its first cell) is true."""
        self.conditional(
            ref, {"type": "formula", "criteria": formula, "format": self.book.highlight(style)}
        )

    def summary_rows_above(self) -> None:
        """Outline groups open below their summary row (criterion above its questions)."""
        self.worksheet.outline_settings(True, False, True, False)

    def protect(self) -> None:
        """Lock every cell but the inputs, without a password: a reader cannot overwrite a
        formula by accident, and can still unprotect the sheet (Review > Unprotect Sheet)
        to change it on purpose. Filters and column widths keep working."""
        self.worksheet.protect(
            "",
            {
                "autofilter": True,
                "format_columns": True,
                "format_rows": True,
                "select_locked_cells": True,
                "select_unlocked_cells": True,
            },
        )

    def insert_chart(self, cell: str, chart: Chart) -> None:
        self.worksheet.insert_chart(cell, chart)

    def print_setup(self, first_title_row: int, last_title_row: int, evaluation_title: str) -> None:
        """Landscape, fit to one page wide, title rows repeated, footer with page numbers."""
        ws = self.worksheet
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(first_title_row - 1, last_title_row - 1)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer(f"&L&8{footer_text(evaluation_title)}&R&8Page &P of &N")
