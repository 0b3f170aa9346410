"""Reading a filled questionnaire back: `parse_questionnaire(data, spec) -> ResponseContent`.

The workbook is checked as a whole and every problem is reported at once, each naming
its sheet, cell and what is wrong; nothing is returned unless everything is right.
Values are read as they were written, never evaluated: an answer a vendor typed as
`=foo` (which Excel stores as a formula) comes back as the text "=foo".

The Rate lines and Volume tiers tables are checked by the scenario file's rules
(rfp.scenario.pricing.check_lines and check_tiers), their messages named by cell
("Rate lines!C7: rate must be a number >= 0 and <= 1,000,000"); empty rows are
skipped. A questionnaire of format 1 has no such tables: `read_questionnaire` says so,
and the import keeps the rate lines and tiers the response already has.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from rfp.areas.intake.content import (
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
    Pricing,
    QuestionnaireSpec,
    ResponseContent,
    clean_text,
)
from rfp.areas.intake.questionnaire import (
    ANSWER_COLUMN,
    EVIDENCE_COLUMN,
    FIRST_ROW,
    FORMAT_NAME,
    FORMAT_VERSION,
    KNOCKOUTS,
    LINE_COLUMNS,
    META,
    PRICE_COLUMN,
    PRICE_LINES_SINCE,
    PRICING,
    PRICING_ROWS,
    QUESTIONS,
    RATE_LINES,
    READABLE_VERSIONS,
    TABLE_FIRST_ROW,
    TIER_COLUMNS,
    VOLUME_TIERS,
)
from rfp.core.upload_safety import MAX_ROWS, MAX_SHEETS, UploadRefused, check_upload
from rfp.domain.bounds import BOUNDS
from rfp.domain.control_characters import control_problem
from rfp.domain.vocabulary import PricingModel
from rfp.scenario.checks import Checker
from rfp.scenario.pricing import any_word, check_lines, check_tiers

MAX_ERRORS = 50
_COLUMNS = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6}
YES = ("yes", "y", "true")
NO = ("no", "n", "false")


class QuestionnaireError(ValueError):
    """The workbook was refused; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.cells: list[tuple[str, str | None, str]] = []

    def add(self, sheet: str, cell: str | None, problem: str) -> None:
        where = f"{sheet}!{cell}" if cell else sheet
        self.items.append(f"{where}: {problem}")
        self.cells.append((sheet, cell, problem))

    def add_by_row(self, other: _Errors) -> None:
        """`other`'s problems (one table's) in reading order, by row then column, the
        first one of each cell only (a missing number is not also "not a number")."""
        seen: set[str | None] = set()
        for sheet, cell, problem in sorted(other.cells, key=lambda e: _reading_order(e[1])):
            if cell is None or cell not in seen:
                seen.add(cell)
                self.add(sheet, cell, problem)


def _reading_order(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (0, 0)
    column, row = coordinate_from_string(cell.partition(":")[0])
    return (row, column_index_from_string(column))


def _raw(cell: Any) -> tuple[Any, bool]:
    """(value, is_formula) of a read-only cell; a formula's value is its text."""
    if cell is None:
        return None, False
    value = cell.value
    is_formula = getattr(cell, "data_type", None) == "f"
    if value is not None and not isinstance(
        value, str | int | float | bool | datetime | date | time
    ):
        value = getattr(value, "text", None) or str(value)  # array formulas and the like
        is_formula = True
    if is_formula and isinstance(value, str) and not value.startswith("="):
        value = "=" + value
    return value, is_formula


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return clean_text(str(value))


def _text_value(errors: _Errors, sheet: str, cell: str, value: Any, what: str) -> str:
    problem = control_problem(value) if isinstance(value, str) else None
    if problem:
        errors.add(sheet, cell, f"{what} {problem}")
        return ""
    text = _as_text(value)
    if len(text) > MAX_TEXT_LENGTH:
        errors.add(
            sheet,
            cell,
            f"{what} is {len(text):,} characters long; the limit is {MAX_TEXT_LENGTH:,}",
        )
        return ""
    return text


def _number_value(
    errors: _Errors,
    sheet: str,
    cell: str,
    value: Any,
    is_formula: bool,
    what: str,
    *,
    minimum: float | None = None,
    bound: str = "answer_number",
) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if is_formula:
        errors.add(sheet, cell, f"{what}: type the number itself, not a formula ({value})")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors.add(sheet, cell, f"{what} must be a number")
        return None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            shown = value if len(value) <= 40 else value[:40] + "…"
            errors.add(sheet, cell, f"{what} must be a number, not text ({shown!r})")
            return None
    else:
        number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        errors.add(sheet, cell, f"{what} is out of range")
        return None
    if minimum is not None and number < minimum:
        errors.add(sheet, cell, f"{what} must be a number >= {minimum:g} (got {number:g})")
        return None
    if problem := BOUNDS[bound].problem(number):
        errors.add(sheet, cell, f"{what} {problem} (got {number:,g})")
        return None
    return number


def _rows(
    ws: Any, sheet: str, errors: _Errors, columns: int, first: int = FIRST_ROW
) -> list[tuple[int, tuple]] | None:
    """The sheet's rows from `first`, refusing a sheet longer than MAX_ROWS
    (by its declared dimension first, then by stopping to read past the limit)."""
    declared = ws.max_row
    if isinstance(declared, int) and declared > MAX_ROWS:
        errors.add(sheet, None, f"the sheet has {declared:,} rows; the limit is {MAX_ROWS:,}")
        return None
    out = []
    for i, row in enumerate(
        ws.iter_rows(min_row=first, max_row=MAX_ROWS + 1, max_col=columns),
        start=first,
    ):
        if i > MAX_ROWS:
            errors.add(sheet, None, f"the sheet has more than {MAX_ROWS:,} rows")
            return None
        out.append((i, row))
    return out


def _keyed_rows(
    ws: Any, sheet: str, errors: _Errors, columns: int, expected: dict[str, str]
) -> dict[str, tuple[int, tuple]]:
    """Rows by their key in column A; unknown, duplicate and missing keys are errors."""
    found: dict[str, tuple[int, tuple]] = {}
    rows = _rows(ws, sheet, errors, columns)
    if rows is None:  # refused as a whole: its keys are not worth listing
        return found
    for i, row in rows:
        key, _ = _raw(row[0] if row else None)
        if key is None or (isinstance(key, str) and not key.strip()):
            if any(_raw(c)[0] not in (None, "") for c in row[1:]):
                errors.add(
                    sheet,
                    f"A{i}",
                    "a row without its question key (rows must not be added "
                    "or moved): download a fresh questionnaire",
                )
            continue
        key = str(key).strip()
        if key not in expected:
            errors.add(sheet, f"A{i}", f"unknown question key {key!r} (was the row edited?)")
        elif key in found:
            errors.add(sheet, f"A{i}", f"question {key!r} appears twice")
        else:
            found[key] = (i, row)
    for key, text in expected.items():
        if key not in found:
            shown = text if len(text) <= 60 else text[:60] + "…"
            errors.add(sheet, None, f"{key!r} ({shown}) is missing: its row was deleted")
    return found


def _cell(row: tuple, column: str) -> Any:
    index = _COLUMNS[column] - 1
    return row[index] if index < len(row) else None


def _check_meta(wb: Any, spec: QuestionnaireSpec, errors: _Errors) -> int | None:
    """The questionnaire's format version, or None when it is not this vendor's."""
    if META not in wb.sheetnames:
        errors.add(
            "workbook",
            None,
            "this is not an rfp questionnaire (its hidden keys are missing): "
            "download the questionnaire and fill that in",
        )
        return None
    values: dict[str, Any] = {}
    for row in wb[META].iter_rows(min_row=1, max_row=10, max_col=2, values_only=True):
        if row and row[0] is not None:
            values[str(row[0])] = row[1] if len(row) > 1 else None
    if values.get("format") != FORMAT_NAME:
        errors.add(META, "B1", "this is not an rfp questionnaire")
        return None
    version = values.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        errors.add(
            META,
            "B2",
            f"questionnaire format {version!r} is not supported "
            f"(expected {FORMAT_VERSION}): download a fresh questionnaire",
        )
        return None
    ok = True
    if values.get("evaluation") != spec.evaluation_id:
        errors.add(META, "B3", "this questionnaire belongs to another evaluation")
        ok = False
    if values.get("vendor") != spec.vendor_key:
        errors.add(META, "B4", "this questionnaire was made for another vendor")
        ok = False
    return int(version) if ok else None


def _read(wb: Any, spec: QuestionnaireSpec, errors: _Errors, version: int) -> ResponseContent:
    sheets = [QUESTIONS, KNOCKOUTS, PRICING]
    if version >= PRICE_LINES_SINCE:
        sheets += [RATE_LINES, VOLUME_TIERS]
    for name in sheets:
        if name not in wb.sheetnames:
            errors.add(name, None, "the sheet is missing")
    if errors.items:
        return ResponseContent()
    answers: dict[str, str] = {}
    numbers: dict[str, float] = {}
    questions = {q.key: q for q in spec.answerable}
    rows = _keyed_rows(
        wb[QUESTIONS], QUESTIONS, errors, 5, {k: q.text for k, q in questions.items()}
    )
    for key, (i, row) in rows.items():
        value, is_formula = _raw(_cell(row, ANSWER_COLUMN))
        where = f"{ANSWER_COLUMN}{i}"
        if questions[key].is_number:
            number = _number_value(
                errors, QUESTIONS, where, value, is_formula, f"the answer to {key!r}"
            )
            if number is not None:
                numbers[key] = number
        else:
            text = _text_value(errors, QUESTIONS, where, value, f"the answer to {key!r}")
            if text:
                answers[key] = text

    knockouts: dict[str, bool] = {}
    evidence: dict[str, str] = {}
    rows = _keyed_rows(wb[KNOCKOUTS], KNOCKOUTS, errors, 6, {q.key: q.text for q in spec.knockouts})
    for key, (i, row) in rows.items():
        value, _ = _raw(_cell(row, ANSWER_COLUMN))
        met = _as_text(value).strip().lower()
        if met in YES:
            knockouts[key] = True
        elif met in NO:
            knockouts[key] = False
        elif met:
            shown = met if len(met) <= 40 else met[:40] + "…"
            errors.add(KNOCKOUTS, f"{ANSWER_COLUMN}{i}", f"{shown!r} is neither yes nor no")
        note, _ = _raw(_cell(row, EVIDENCE_COLUMN))
        text = _text_value(errors, KNOCKOUTS, f"{EVIDENCE_COLUMN}{i}", note, "the evidence")
        if text:
            evidence[key] = text

    pricing = _read_pricing(wb[PRICING], errors)
    if version >= PRICE_LINES_SINCE:
        lines, has_lines = _read_lines(wb[RATE_LINES], errors)
        tiers = _read_tiers(wb[VOLUME_TIERS], errors, pricing.rate, has_lines=has_lines)
        pricing = replace(pricing, lines=tuple(lines), tiers=tuple(tiers))
    return ResponseContent(
        answers=answers,
        numbers=numbers,
        knockouts=knockouts,
        evidence=evidence,
        pricing=pricing,
    )


def _read_pricing(ws: Any, errors: _Errors) -> Pricing:
    labels = {key: label for key, label, _note in PRICING_ROWS}
    rows = _keyed_rows(ws, PRICING, errors, 4, labels)
    values: dict[str, Any] = {}
    for key, (i, row) in rows.items():
        value, is_formula = _raw(_cell(row, PRICE_COLUMN))
        where = f"{PRICE_COLUMN}{i}"
        if key == "pricing_model":
            model = _as_text(value).strip().lower().replace(" ", "_")
            if model and model not in PricingModel.values():
                errors.add(
                    PRICING,
                    where,
                    f"pricing model {_as_text(value)[:40]!r} is not one of "
                    f"{', '.join(PricingModel.values())}",
                )
                model = ""
            values[key] = PricingModel(model) if model else None
        else:
            values[key] = _number_value(
                errors,
                PRICING,
                where,
                value,
                is_formula,
                labels[key].split(" (")[0].lower(),
                minimum=0,
                bound=key,
            )
    return Pricing(
        model=values.get("pricing_model"),
        rate=values.get("rate"),
        setup_fee=values.get("setup_fee"),
        monthly_fee=values.get("monthly_fee"),
    )


# -- the Rate lines and Volume tiers tables ----------------------------------------------

_ROW_REFERENCE = re.compile(r"\bof row (\d+)\b")


def _plain(number: float) -> float:
    """A whole number as an int (20000, not 20000.0), as the forms keep it."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        return int(number)
    return number


def _table_number(
    errors: _Errors, sheet: str, where: str, cell: Any, what: str, *, percent: bool = False
) -> Any:
    """A table's number cell, for the scenario rules to check: None when empty, a number
    as typed (text that reads as one converted), other text as it is (the rule refuses
    it). A formula is refused here. A cell shown as a percentage (a vendor who typed
    "5%" into Discount) is read as the percentage it shows."""
    value, is_formula = _raw(cell)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if is_formula:
        errors.add(sheet, where, f"{what}: type the number itself, not a formula ({value})")
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if percent and "%" in str(getattr(cell, "number_format", "") or ""):
            value = round(value * 100, 9)
        return _plain(value)
    return value


def _table_text(errors: _Errors, sheet: str, where: str, cell: Any, what: str) -> str | None:
    """A channel or a language: None when empty or "any" (as on the forms)."""
    value, _ = _raw(cell)
    text = _text_value(errors, sheet, where, value, what).strip()
    return any_word(text)


def _table_rows(ws: Any, sheet: str, errors: _Errors) -> list[tuple[int, tuple]]:
    """The table's rows that have something in them, with their row numbers."""
    rows = _rows(ws, sheet, errors, 3, first=TABLE_FIRST_ROW) or []
    return [(i, row) for i, row in rows if any(_as_text(_raw(c)[0]).strip() for c in row)]


def _by_cell(
    checker: Checker,
    errors: _Errors,
    sheet: str,
    rows: list[int],
    columns: dict[str, str],
    whole: Callable[[int], str],
    noun: str,
) -> None:
    """The scenario checker's errors ("lines[2].rate: must be ...") by cell
    ("Rate lines!C7: rate must be ..."); `rows[i]` is the sheet row of item i."""
    for error in checker.errors:
        where, _, message = error.partition(": ")
        index, _, field = where.partition("]")
        item = int(index.rpartition("[")[2])
        message = _ROW_REFERENCE.sub(lambda m: f"of row {rows[int(m[1]) - 1]}", message)
        message = message.replace("_", " ")
        field = field.removeprefix(".")
        if field in columns:
            # As the forms word it: "rate must be ...", but "with rate lines, give ...".
            named = message.startswith(("must ", "is ", "repeats "))
            words = f"{field.replace('_', ' ')} {message}" if named else message
            errors.add(sheet, f"{columns[field]}{rows[item]}", words)
        else:
            errors.add(sheet, whole(rows[item]), f"the {noun} {message}")


def _read_lines(ws: Any, found: _Errors) -> tuple[list[dict[str, Any]], bool]:
    """The Rate lines table as the scenario file writes it (check_lines' rules), and
    whether it has any row at all."""
    errors = _Errors()
    given: list[dict[str, Any]] = []
    rows: list[int] = []
    table = _table_rows(ws, RATE_LINES, errors)
    for i, row in table:
        before = len(errors.items)
        line: dict[str, Any] = {}
        for field, column in LINE_COLUMNS.items():
            where, cell = f"{column}{i}", _cell(row, column)
            if field == "rate":
                value = _table_number(errors, RATE_LINES, where, cell, "rate")
            else:
                value = _table_text(errors, RATE_LINES, where, cell, f"the {field}")
            if value is not None or field != "rate":
                line[field] = value
        if len(errors.items) == before:  # a cell refused already: the row is not checked
            given.append(line)
            rows.append(i)
    checker = Checker()
    lines = check_lines(checker, given, "lines")
    _by_cell(checker, errors, RATE_LINES, rows, LINE_COLUMNS, lambda r: f"A{r}:B{r}", "line")
    found.add_by_row(errors)
    return lines, bool(table)


def _read_tiers(
    ws: Any, found: _Errors, single_rate: float | None, *, has_lines: bool
) -> list[dict[str, Any]]:
    """The Volume tiers table as the scenario file writes it (check_tiers' rules: against
    the single rate on the Pricing sheet, and whether there are rate lines)."""
    errors = _Errors()
    given: list[dict[str, Any]] = []
    rows: list[int] = []
    for i, row in _table_rows(ws, VOLUME_TIERS, errors):
        before = len(errors.items)
        tier: dict[str, Any] = {}
        for field, column in TIER_COLUMNS.items():
            value = _table_number(
                errors,
                VOLUME_TIERS,
                f"{column}{i}",
                _cell(row, column),
                field.replace("_", " "),
                percent=field == "discount_pct",
            )
            if value is not None:
                tier[field] = value
        if len(errors.items) == before:
            given.append(tier)
            rows.append(i)
    checker = Checker()
    tiers = check_tiers(checker, given, "tiers", single_rate, has_lines)
    _by_cell(checker, errors, VOLUME_TIERS, rows, TIER_COLUMNS, lambda r: f"B{r}:C{r}", "tier")
    found.add_by_row(errors)
    return tiers


@dataclass(frozen=True)
class ParsedQuestionnaire:
    content: ResponseContent
    # False for a questionnaire of format 1, which has no Rate lines and Volume tiers
    # sheets: it says nothing of them (content.pricing has none).
    has_price_lines: bool


def read_questionnaire(data: bytes, spec: QuestionnaireSpec) -> ParsedQuestionnaire:
    """The response in a filled questionnaire and its format, or QuestionnaireError
    listing every problem."""
    try:
        check_upload(data)
    except UploadRefused as exc:
        raise QuestionnaireError([str(exc)]) from exc
    errors = _Errors()
    content: ResponseContent | None = None
    version: int | None = None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, styles): not our concern.
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                if len(wb.sheetnames) > MAX_SHEETS:
                    raise QuestionnaireError(
                        [f"the workbook has {len(wb.sheetnames)} sheets; the limit is {MAX_SHEETS}"]
                    )
                version = _check_meta(wb, spec, errors)
                if version is not None:
                    content = _read(wb, spec, errors, version)
            finally:
                wb.close()
    except QuestionnaireError:
        raise
    except Exception as exc:  # a hostile or damaged file may fail anywhere inside openpyxl
        raise QuestionnaireError(
            [
                "The workbook could not be read: it is damaged or was not saved by a "
                "spreadsheet program. Download the questionnaire again and fill that in."
            ]
        ) from exc
    if errors.items or content is None or version is None:
        items = errors.items[:MAX_ERRORS]
        if len(errors.items) > MAX_ERRORS:
            items.append(f"... and {len(errors.items) - MAX_ERRORS} more problems")
        raise QuestionnaireError(items)
    return ParsedQuestionnaire(content, has_price_lines=version >= PRICE_LINES_SINCE)


def parse_questionnaire(data: bytes, spec: QuestionnaireSpec) -> ResponseContent:
    """The response in a filled questionnaire, or QuestionnaireError listing every problem."""
    return read_questionnaire(data, spec).content
