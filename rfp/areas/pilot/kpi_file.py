"""Reading weekly KPI figures from a helpdesk export: `parse_kpi_file(data, spec)`.

A CSV (comma, semicolon or tab separated; UTF-8) or an .xlsx workbook (its first sheet),
one row per vendor and week:

    vendor,week,fcr_pct,csat_pct,aht_minutes
    Puente Norte CX,2026-11-02,74.5,86,9.8

`vendor` is the vendor's name or key; `week` the pilot week's number (1, 2, ...) or any
date inside it; then one column per KPI of the success criteria, named as the scope's
targets are (fcr_pct, csat_pct, aht_minutes, attrition_pct, service_level_pct,
qa_score_pct, cost_per_contact). Percentages are written 74.5 or "74.5 %" (a cell
formatted as a percentage in Excel is read as one), handle time in minutes, cost in USD.

The file is checked as a whole and every problem is reported at once, each naming its
row and column; nothing is returned unless everything is right. Empty cells are no
figure (they change nothing); a row with no figure at all is skipped. An xlsx upload
goes through the intake area's safety checks (size, zip bomb, encryption, macros, DTDs)
before openpyxl reads it, in read-only mode, values as written (formulas refused).
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rfp.core.upload_safety import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    OLE2_MAGIC,
    ZIP_MAGIC,
    UploadRefused,
    check_upload,
)
from rfp.domain.kpis import KPI_SPECS, figure_problem, kpi_name
from rfp.domain.pilot import first_day, week_of
from rfp.domain.vocabulary import Kpi

MAX_ERRORS = 50
MAX_COLUMNS = 30
MAX_CELL_CHARS = 200
VENDOR, WEEK = "vendor", "week"
# Percentages where a figure of 1 or less is surely a fraction written as such (0.76 for
# 76 %); attrition a year can truly be below 1 %.
FRACTION_SUSPECTS = (Kpi.FCR, Kpi.CSAT, Kpi.SERVICE_LEVEL, Kpi.QA_SCORE)
# Handle time beyond an hour in a customer-service export is seconds written as minutes.
AHT_SECONDS_SUSPECT = 60.0
_NUMBER = re.compile(
    r"^(?P<pre>\$|usd)?\s*(?P<number>[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)\s*"
    r"(?P<unit>%|\$|usd|mins?|minutes?|s|secs?|seconds?|h|hrs?|hours?|€|eur|£|gbp)?$",
    re.IGNORECASE,
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(\D|$))")
UNIT_WORDS = {
    "%": "%",
    "$": "USD",
    "usd": "USD",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
}


class KpiFileError(ValueError):
    """The file was refused; `errors` lists every problem found, row and column first."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class KpiFileSpec:
    """What a file for this pilot may hold."""

    vendors: Mapping[str, str]  # vendor key -> name, the shortlist
    kpis: tuple[str, ...]  # the KPIs of the success criteria
    start: date
    weeks: int

    @property
    def end(self) -> date:
        return self.start + timedelta(days=7 * self.weeks - 1)


@dataclass(frozen=True)
class FileFigure:
    vendor: str  # key
    week: int
    kpi: str
    value: float
    row: int


@dataclass(frozen=True)
class Cell:
    value: Any  # str, int, float, date, datetime or None
    percent_format: bool = False  # an Excel cell formatted as a percentage
    formula: bool = False


Row = tuple[int, Sequence[Cell]]  # (row number in the file, cells from column A)


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.items.append(f"{where}: {problem}")


def _where(row: int, column: int, header: str | None = None) -> str:
    name = f" ({header})" if header else ""
    return f"row {row}, column {get_column_letter(column)}{name}"


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


# -- reading the rows -------------------------------------------------------------------


def _csv_rows(data: bytes) -> tuple[list[Row], str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise KpiFileError(["The file is not UTF-8 text (it is UTF-16): save the CSV as UTF-8."])
    if b"\x00" in data:
        raise KpiFileError(
            ["The file holds NUL bytes: it is not a CSV text file (export it as CSV or .xlsx)."]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KpiFileError(
            [f"The file is not UTF-8 text (byte {exc.start + 1}): save the CSV as UTF-8."]
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise KpiFileError([f"The file has more than {MAX_ROWS:,} rows."])
            rows.append((number, [Cell(v) for v in values[: MAX_COLUMNS + 1]]))
    except csv.Error as exc:
        raise KpiFileError([f"row {reader.line_num}: the CSV cannot be read ({exc})."]) from exc
    return rows, delimiter


def _xlsx_rows(data: bytes) -> list[Row]:
    try:
        check_upload(data)
    except UploadRefused as exc:
        raise KpiFileError([str(exc)]) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # features openpyxl drops: not our concern
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                ws = wb.worksheets[0]
                if isinstance(ws.max_row, int) and ws.max_row > MAX_ROWS + 1:
                    raise KpiFileError(
                        [f"The sheet has {ws.max_row:,} rows; the limit is {MAX_ROWS:,}."]
                    )
                rows: list[Row] = []
                for number, cells in enumerate(
                    ws.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1), start=1
                ):
                    if number > MAX_ROWS + 1:
                        raise KpiFileError([f"The sheet has more than {MAX_ROWS:,} rows."])
                    rows.append((number, [_xlsx_cell(c) for c in cells]))
            finally:
                wb.close()
    except KpiFileError:
        raise
    except Exception as exc:  # a hostile or damaged file may fail anywhere inside openpyxl
        raise KpiFileError(
            ["The workbook could not be read: it is damaged or was not saved by a spreadsheet."]
        ) from exc
    return rows


def _xlsx_cell(cell: Any) -> Cell:
    value = getattr(cell, "value", None)
    formula = getattr(cell, "data_type", None) == "f"
    if value is not None and not isinstance(value, str | int | float | bool | date | datetime):
        value, formula = str(value), True  # array formulas and the like
    number_format = getattr(cell, "number_format", "") or ""
    return Cell(value, percent_format="%" in number_format, formula=formula)


# -- reading the values -----------------------------------------------------------------


def _blank(cell: Cell | None) -> bool:
    return (
        cell is None
        or cell.value is None
        or (isinstance(cell.value, str) and not cell.value.strip())
    )


def _header(rows: list[Row], spec: KpiFileSpec, errors: _Errors) -> tuple[int, dict[int, str]]:
    """The header row's number and its columns (1-based column -> vendor, week or a KPI)."""
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        columns: dict[int, str] = {}
        known = [VENDOR, WEEK, *spec.kpis]
        for index, cell in enumerate(cells, start=1):
            if _blank(cell):
                continue
            name = str(cell.value).strip().lower()
            where = _where(number, index)
            if index > MAX_COLUMNS:
                errors.add(where, f"the file has more than {MAX_COLUMNS} columns")
                break
            if name in columns.values():
                errors.add(where, f"column {name!r} appears twice")
            elif name in (VENDOR, WEEK) or name in spec.kpis:
                columns[index] = name
            elif name in Kpi.values():
                errors.add(
                    where,
                    f"{name!r}: the pilot has no success criterion for "
                    f"{kpi_name(name)}; remove the column or add the criterion",
                )
            else:
                errors.add(
                    where, f"unknown column {_shown(name)}; the columns are {', '.join(known)}"
                )
        for required in (VENDOR, WEEK):
            if required not in columns.values():
                errors.add(f"row {number}", f"the header has no {required!r} column")
        return number, columns
    raise KpiFileError(["The file is empty: it has no header row."])


def _vendor(cell: Cell, where: str, spec: KpiFileSpec, errors: _Errors) -> str | None:
    if _blank(cell):
        errors.add(where, "no vendor")
        return None
    text = str(cell.value).strip().lower()
    # A name the template wrote with a quote in front (so that "=Acme" stays text).
    candidates = {text, text[1:]} if text.startswith("'") else {text}
    for key, name in spec.vendors.items():
        if candidates & {key.lower(), name.strip().lower()}:
            return key
    errors.add(
        where,
        f"unknown vendor {_shown(cell.value)}; the shortlist is "
        + ", ".join(spec.vendors.values()),
    )
    return None


def _week(cell: Cell, where: str, spec: KpiFileSpec, errors: _Errors) -> int | None:
    value = cell.value
    if _blank(cell):
        errors.add(where, "no week")
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text[:10]) if len(text) >= 10 else int(text)
        except ValueError:
            errors.add(where, f"{_shown(text)} is neither a week number nor a date (YYYY-MM-DD)")
            return None
    if isinstance(value, bool):
        errors.add(where, "the week must be a number or a date")
        return None
    if isinstance(value, date):
        if not spec.start <= value <= spec.end:
            errors.add(
                where,
                f"{value.isoformat()} is outside the pilot ({spec.start.isoformat()} to "
                f"{spec.end.isoformat()})",
            )
            return None
        return week_of(spec.start, value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= spec.weeks:
        errors.add(where, f"week {_shown(value)} is not a week of the pilot (1 to {spec.weeks})")
        return None
    return value


def _figure(
    cell: Cell, kpi: str, where: str, errors: _Errors, *, decimal_comma: bool
) -> float | None:
    """A KPI figure from a cell, in the KPI's unit, or None (with the error noted)."""
    spec = KPI_SPECS[Kpi(kpi)]
    if cell.formula:
        errors.add(where, f"a formula ({_shown(cell.value)}): paste the figures as values")
        return None
    value, unit = cell.value, None
    if isinstance(value, bool | date | datetime):
        errors.add(where, f"{_shown(value)} is not a number")
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_CELL_CHARS:
            errors.add(where, "is not a number (too long)")
            return None
        text = text.replace(",", ".") if decimal_comma else _THOUSANDS.sub("", text)
        found = _NUMBER.match(text)
        if found is None:
            errors.add(where, f"{_shown(value)} is not a number")
            return None
        number = float(found["number"])
        marks = [m for m in (found["pre"], found["unit"]) if m]
        unit = UNIT_WORDS[marks[0].lower()] if marks else None
    else:
        number = float(value)
        if cell.percent_format:
            number, unit = number * 100, "%"
    if unit is not None and unit != spec.unit:
        errors.add(where, _wrong_unit(kpi, unit, number))
        return None
    if not math.isfinite(number):
        errors.add(where, "is not a number")
        return None
    if Kpi(kpi) in FRACTION_SUSPECTS and unit is None and 0 < number <= 1:
        errors.add(
            where,
            f"{number:g} looks like a fraction; write percentages as {number * 100:g} "
            f"(or {number * 100:g} %)",
        )
        return None
    if Kpi(kpi) == Kpi.AHT and unit is None and number >= AHT_SECONDS_SUSPECT:
        errors.add(
            where,
            f"{number:g} minutes is an hour or more: handle time is in minutes "
            f"({number:g} s would be {number / 60:.1f} min)",
        )
        return None
    problem = figure_problem(kpi, number)
    if problem is not None:
        errors.add(where, f"{number:g} {problem}")
        return None
    return number


def _wrong_unit(kpi: str, unit: str, number: float) -> str:
    spec = KPI_SPECS[Kpi(kpi)]
    wanted = {"%": "a percentage", "min": "minutes", "USD": "US dollars"}[spec.unit]
    hint = ""
    if spec.unit == "min" and unit == "s":
        hint = f" ({number:g} s is {number / 60:.2f} min)"
    elif spec.unit == "min" and unit == "h":
        hint = f" ({number:g} h is {number * 60:g} min)"
    return f"wrong unit: {kpi_name(kpi)} is in {wanted}, not {unit}{hint}"


def parse_kpi_file(data: bytes, spec: KpiFileSpec) -> list[FileFigure]:
    """The figures of a KPI file, or KpiFileError listing every problem."""
    if not data:
        raise KpiFileError(["The file is empty."])
    if len(data) > MAX_UPLOAD_BYTES:
        raise KpiFileError(
            [f"The file is too large: the limit is {MAX_UPLOAD_BYTES // 1024 // 1024} MB."]
        )
    decimal_comma = False
    if data.startswith((ZIP_MAGIC, OLE2_MAGIC)):
        rows = _xlsx_rows(data)
    else:
        rows, delimiter = _csv_rows(data)
        decimal_comma = delimiter == ";"  # a semicolon CSV is the decimal-comma locales'
    errors = _Errors()
    header_row, columns = _header(rows, spec, errors)
    figures: list[FileFigure] = []
    first_seen: dict[tuple[str, int], int] = {}
    vendor_column = next((c for c, n in columns.items() if n == VENDOR), None)
    week_column = next((c for c, n in columns.items() if n == WEEK), None)
    for number, cells in rows:
        if number <= header_row or all(_blank(c) for c in cells):
            continue
        for index, cell in enumerate(cells, start=1):
            if index not in columns and not _blank(cell) and index <= MAX_COLUMNS:
                errors.add(_where(number, index), "a figure in a column without a header")

        def cell_at(column: int, cells: Sequence[Cell] = cells) -> Cell:
            return cells[column - 1] if column - 1 < len(cells) else Cell(None)

        if vendor_column is None or week_column is None:
            continue
        vendor = _vendor(
            cell_at(vendor_column), _where(number, vendor_column, VENDOR), spec, errors
        )
        week = _week(cell_at(week_column), _where(number, week_column, WEEK), spec, errors)
        row_figures = []
        for column, kpi in columns.items():
            if kpi in (VENDOR, WEEK) or _blank(cell_at(column)):
                continue
            value = _figure(
                cell_at(column),
                kpi,
                _where(number, column, kpi),
                errors,
                decimal_comma=decimal_comma,
            )
            if value is not None and vendor is not None and week is not None:
                row_figures.append(FileFigure(vendor, week, kpi, value, number))
        if vendor is None or week is None:
            continue
        key = (vendor, week)
        if key in first_seen:
            errors.add(
                _where(number, week_column, WEEK),
                f"week {week} of {spec.vendors[vendor]} appears twice (first in row "
                f"{first_seen[key]})",
            )
            continue
        first_seen[key] = number
        figures.extend(row_figures)
    if errors.items:
        items = errors.items[:MAX_ERRORS]
        if len(errors.items) > MAX_ERRORS:
            items.append(f"... and {len(errors.items) - MAX_ERRORS} more problems")
        raise KpiFileError(items)
    if not figures:
        raise KpiFileError(["The file has no figures: every row below the header is empty."])
    return figures


def template_csv(spec: KpiFileSpec) -> str:
    """A CSV to fill in: the header and a row per vendor and week (the week's first day)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([VENDOR, WEEK, *spec.kpis])
    for name in spec.vendors.values():
        for week in range(1, spec.weeks + 1):
            day = first_day(spec.start, week)
            writer.writerow([_csv_safe(name), day.isoformat(), *[""] * len(spec.kpis)])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """A name as CSV text a spreadsheet will not read as a formula."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
