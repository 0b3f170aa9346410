"""The Excel questionnaire a vendor fills in: `build_questionnaire(spec, response) -> bytes`.

Sheets: Instructions (the public scope and the deadline), Questions (criterion,
question, guidance, answer), Knockouts (yes/no drop-down and evidence), Pricing (model
list, numbers >= 0), Rate lines (channel, language, rate: a table of empty rows) and
Volume tiers (above contacts a month, discount % or rate), and a very hidden sheet of
stable keys (format, version, evaluation, vendor) so that the file can be matched
back. Every question row carries its key in the hidden column A; the rows of the two
tables are read by position. Sheets and the workbook structure are protected; only
answer cells are unlocked. Text is always written as text, never as a formula.

Format 2 added the Rate lines and Volume tiers sheets; a questionnaire of format 1 (the
same cells otherwise) still reads, and says nothing of rate lines and tiers.
"""

from __future__ import annotations

import io
import math
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rfp.areas.intake.content import (
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
    QuestionnaireSpec,
    ResponseContent,
    clean_text,
)
from rfp.domain.bounds import BOUNDS
from rfp.domain.vocabulary import PricingModel

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_NAME = "rfp-questionnaire"
FORMAT_VERSION = 2
# Versions still read: 1 has no Rate lines and Volume tiers sheets.
READABLE_VERSIONS = (1, 2)
PRICE_LINES_SINCE = 2

INSTRUCTIONS = "Instructions"
QUESTIONS = "Questions"
KNOCKOUTS = "Knockouts"
PRICING = "Pricing"
RATE_LINES = "Rate lines"
VOLUME_TIERS = "Volume tiers"
META = "rfp_keys"

HEADER_ROW = 2
FIRST_ROW = 3  # the first question row on Questions, Knockouts and Pricing
KEY_COLUMN = "A"
ANSWER_COLUMN = "E"  # Questions: the answer; Knockouts: yes/no
EVIDENCE_COLUMN = "F"  # Knockouts
PRICE_COLUMN = "C"  # Pricing
PRICING_ROWS: tuple[tuple[str, str, str], ...] = (
    (
        "pricing_model",
        "Pricing model",
        "One of: " + "; ".join(f"{model} ({model.label})" for model in PricingModel),
    ),
    (
        "rate",
        "Rate (USD)",
        "The price per unit of the pricing model chosen above. With rate lines (the Rate "
        "lines sheet) it prices the part of the volume that no line covers; volume tiers "
        "(the Volume tiers sheet) lower it above a number of contacts a month.",
    ),
    ("setup_fee", "Setup fee (USD, once)", "Transition, training and setup, charged once."),
    ("monthly_fee", "Monthly fee (USD)", "Fixed monthly charges on top of the rate."),
)
META_ROWS = ("format", "version", "evaluation", "vendor")

# The Rate lines and Volume tiers sheets: a title, what to do, the table's header, then
# its rows (at least LINE_ROWS and TIER_ROWS, and room beyond what is prefilled).
TABLE_NOTE_ROW = 2
TABLE_HEADER_ROW = 3
TABLE_FIRST_ROW = 4
LINE_ROWS = 30
TIER_ROWS = 10
SPARE_ROWS = 10
# Columns by the scenario file's field names (rfp.scenario.pricing).
LINE_COLUMNS = {"channel": "A", "language": "B", "rate": "C"}
TIER_COLUMNS = {"above_contacts": "A", "discount_pct": "B", "rate": "C"}
_MODELS = ", ".join(model.label for model in PricingModel)
LINES_NOTE = (
    "Optional: give these only if your rate differs by channel or by language. One line a "
    "row: a channel, a language, or both, and the rate in USD per unit of your pricing "
    f"model on the Pricing sheet ({_MODELS}). Leave Channel or Language empty for any. "
    "Where several lines fit a part of the volume, the most specific one prices it "
    "(channel and language, then channel, then language); what no line covers is "
    "charged at the single rate on the Pricing sheet. Each channel and language once; "
    "empty rows are skipped. For example: {channel}, {language}, 14.20."
)
TIERS_NOTE = (
    "Optional: a lower price for the contacts above a number of contacts a month. Like "
    "tax brackets, the contacts up to that number keep their price. One tier a row: the "
    "number of contacts, then either a discount in % off every rate, or a rate in USD "
    "in place of the single rate (only without rate lines, and at most the single "
    "rate); not both. Each number once; empty rows are skipped. For example: 20,000 "
    "and a discount of 5 takes 5 % off the contacts above 20,000 a month."
)

BRAND = "1F4E79"
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor=BRAND)
_TITLE_FONT = Font(bold=True, size=14, color=BRAND)
_ANSWER_FILL = PatternFill("solid", fgColor="FFF8DC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_THIN = Side(style="thin", color="B9C2CE")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
LINE_HEIGHT = 15  # points, for the default 11-point font


def _text(cell: Cell, value: str) -> Cell:
    """Write `value` as text: a leading '=' stays text, never becomes a formula."""
    cell.value = clean_text(value)
    cell.data_type = "s"
    if cell.value.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True
    return cell


def _answer_cell(cell: Cell, *, text: bool) -> Cell:
    cell.protection = _UNLOCKED
    cell.fill = _ANSWER_FILL
    cell.border = _BOX
    cell.alignment = _WRAP
    if text:
        cell.number_format = "@"
    return cell


def _fit_rows(ws: Worksheet, *, answer_lines: int = 1) -> None:
    """Row heights for wrapped text (spreadsheets do not grow rows written by a program),
    and room to type in answer rows."""
    for row in ws.iter_rows():
        number = row[0].row
        lines = answer_lines if number >= FIRST_ROW else 1
        for cell in row:
            dimension = ws.column_dimensions[cell.column_letter]
            if cell.value is not None and cell.alignment.vertical is None:
                cell.alignment = Alignment(
                    horizontal=cell.alignment.horizontal,
                    wrap_text=cell.alignment.wrap_text,
                    vertical="top",
                )
            if not isinstance(cell.value, str) or dimension.hidden:
                continue
            per_line = max(int(dimension.width or 10), 1)
            needed = sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[number].height = min(409, LINE_HEIGHT * lines)


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    # Vendors may widen columns and rows to read long answers; nothing else.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    # Printed: landscape, one page wide.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _headers(ws: Worksheet, titles: list[str], widths: list[int], title: str) -> None:
    _text(ws.cell(row=1, column=2), title).font = _TITLE_FONT
    for i, (head, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = _text(ws.cell(row=HEADER_ROW, column=i), head)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.alignment = _WRAP
        ws.column_dimensions[cell.column_letter].width = width
    ws.column_dimensions[KEY_COLUMN].hidden = True
    ws.freeze_panes = f"B{FIRST_ROW}"


def _instructions(ws: Worksheet, spec: QuestionnaireSpec) -> None:
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 90
    _text(ws["A1"], spec.title).font = _TITLE_FONT
    _text(ws["A2"], "Questionnaire for")
    _text(ws["B2"], spec.vendor_name).font = Font(bold=True)
    _text(ws["A3"], "Response deadline")
    deadline = spec.deadline.strftime("%Y-%m-%d %H:%M UTC") if spec.deadline else "not set"
    _text(ws["B3"], deadline).font = Font(bold=True)
    row = 5
    _text(ws.cell(row=row, column=1), "How to answer").font = Font(bold=True, color=BRAND)
    steps = (
        "Answer every question on the Questions sheet in the shaded cells of column E. "
        "Questions that ask for a number take a number only.",
        "On the Knockouts sheet, choose yes or no for every requirement and give the "
        "evidence (a certificate, an audit report, a policy) in column F.",
        "On the Pricing sheet, choose the pricing model and give the rate, the setup fee "
        "and the monthly fee in USD (0 when there is none).",
        "If your rate differs by channel or by language, give the rates on the Rate lines "
        "sheet; if your price falls above a number of contacts a month, give the tiers on "
        "the Volume tiers sheet. Both are optional; each sheet says how to fill it in.",
        "Do not add, delete, move or rename rows or sheets: each row is matched back to "
        "its question. Only the shaded cells can be edited.",
        f"An answer may be up to {MAX_TEXT_LENGTH:,} characters. Upload the filled "
        "workbook through your response link (or send it to the procurement lead) before "
        "the deadline; uploading again replaces the earlier upload.",
    )
    for i, step in enumerate(steps, start=1):
        row += 1
        _text(ws.cell(row=row, column=1), f"{i}.").alignment = Alignment(horizontal="right")
        _text(ws.cell(row=row, column=2), step).alignment = _WRAP
    row += 2
    _text(ws.cell(row=row, column=1), "Scope").font = Font(bold=True, color=BRAND)
    for label, value in spec.scope:
        row += 1
        _text(ws.cell(row=row, column=1), label).alignment = _WRAP
        _text(ws.cell(row=row, column=2), value).alignment = _WRAP
    _fit_rows(ws)
    _protect(ws)


def _questions(ws: Worksheet, spec: QuestionnaireSpec, response: ResponseContent) -> None:
    _headers(
        ws,
        ["Key", "Criterion", "Question", "Guidance", "Your answer"],
        [12, 22, 48, 42, 70],
        "Questions: answer in column E",
    )
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1=str(-MAX_NUMBER),
        formula2=str(MAX_NUMBER),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="A number",
        error="This question takes a number only.",
    )
    lengths = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_TEXT_LENGTH),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Too long",
        error=f"An answer may be up to {MAX_TEXT_LENGTH:,} characters.",
    )
    ws.add_data_validation(numbers)
    ws.add_data_validation(lengths)
    for row, q in enumerate(spec.answerable, start=FIRST_ROW):
        _text(ws.cell(row=row, column=1), q.key)
        for column, value in ((2, q.criterion), (3, q.text), (4, q.guidance)):
            _text(ws.cell(row=row, column=column), value).alignment = _WRAP
        answer = _answer_cell(ws[f"{ANSWER_COLUMN}{row}"], text=not q.is_number)
        if q.is_number:
            numbers.add(answer.coordinate)
            if q.key in response.numbers:
                answer.value = response.numbers[q.key]
        else:
            lengths.add(answer.coordinate)
            if response.answers.get(q.key):
                _text(answer, response.answers[q.key])
    _fit_rows(ws, answer_lines=3)
    _protect(ws)


def _knockouts(ws: Worksheet, spec: QuestionnaireSpec, response: ResponseContent) -> None:
    _headers(
        ws,
        ["Key", "Criterion", "Requirement", "Guidance", "Met? (yes / no)", "Evidence"],
        [12, 22, 48, 36, 16, 60],
        "Knockouts: must-have requirements. Choose yes or no, and give the evidence",
    )
    yes_no = DataValidation(
        type="list",
        formula1='"yes,no"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="yes or no",
        error="Choose yes or no.",
    )
    ws.add_data_validation(yes_no)
    for row, q in enumerate(spec.knockouts, start=FIRST_ROW):
        _text(ws.cell(row=row, column=1), q.key)
        for column, value in ((2, q.criterion), (3, q.text), (4, q.guidance)):
            _text(ws.cell(row=row, column=column), value).alignment = _WRAP
        met = _answer_cell(ws[f"{ANSWER_COLUMN}{row}"], text=True)
        yes_no.add(met.coordinate)
        if q.key in response.knockouts:
            _text(met, "yes" if response.knockouts[q.key] else "no")
        evidence = _answer_cell(ws[f"{EVIDENCE_COLUMN}{row}"], text=True)
        if response.evidence.get(q.key):
            _text(evidence, response.evidence[q.key])
    _fit_rows(ws, answer_lines=2)
    _protect(ws)


def _pricing(ws: Worksheet, response: ResponseContent) -> None:
    _headers(
        ws,
        ["Key", "Item", "Your answer", "Notes"],
        [12, 26, 22, 80],
        "Pricing: in USD, numbers of 0 or more",
    )
    model = DataValidation(
        type="list",
        formula1='"' + ",".join(PricingModel.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Pricing model",
        error="Choose one of the pricing models in the list.",
    )
    money = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(MAX_NUMBER),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="A number of 0 or more",
        error="Give a number of 0 or more, in USD.",
    )
    ws.add_data_validation(model)
    ws.add_data_validation(money)
    pricing = response.pricing
    values: dict[str, Any] = {
        "pricing_model": pricing.model,
        "rate": pricing.rate,
        "setup_fee": pricing.setup_fee,
        "monthly_fee": pricing.monthly_fee,
    }
    for row, (key, label, note) in enumerate(PRICING_ROWS, start=FIRST_ROW):
        _text(ws.cell(row=row, column=1), key)
        _text(ws.cell(row=row, column=2), label).font = Font(bold=True)
        _text(ws.cell(row=row, column=4), note).alignment = _WRAP
        cell = _answer_cell(ws[f"{PRICE_COLUMN}{row}"], text=key == "pricing_model")
        if key == "pricing_model":
            model.add(cell.coordinate)
            if values[key]:
                _text(cell, values[key])
        else:
            money.add(cell.coordinate)
            cell.number_format = "#,##0.00"
            cell.value = values[key]
    _fit_rows(ws)
    _protect(ws)


def _literal(number: float) -> str:
    """A number as a formula writes it: 1000000, not 1e+06."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def _number_rule(low: float, high: float, title: str, error: str) -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="between",
        formula1=_literal(low),
        formula2=_literal(high),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
    )


def _choice_rule(names: tuple[str, ...], what: str) -> DataValidation:
    """A drop-down of the scope's channels (languages), or, when the scope lists none or
    a name cannot stand in Excel's inline list (a comma, a quote, 255 characters in all),
    at most 80 characters. A name never reaches the formula unquoted."""
    listed = ",".join(names)
    listable = all(
        name and name == name.strip() and name.isprintable() and not set(name) & set(',"')
        for name in names
    )
    if names and listable and len(listed) <= 255:
        return DataValidation(
            type="list",
            formula1=f'"{listed}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"A {what} of the scope",
            error=f"Choose one of the scope's {what}s, or leave it empty for any.",
        )
    return DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1="80",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Too long",
        error=f"A {what} may be up to 80 characters.",
    )


def _table(
    ws: Worksheet, title: str, note: str, heads: list[tuple[str, int]], rows: int
) -> list[int]:
    """A table sheet's title, note and header; returns the numbers of its answer rows."""
    _text(ws["A1"], title).font = _TITLE_FONT
    width = 0
    for i, (head, chars) in enumerate(heads, start=1):
        cell = _text(ws.cell(row=TABLE_HEADER_ROW, column=i), head)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.alignment = _WRAP
        ws.column_dimensions[cell.column_letter].width = chars
        width += chars
    _text(ws.cell(row=TABLE_NOTE_ROW, column=1), note).alignment = _WRAP
    ws.merge_cells(
        start_row=TABLE_NOTE_ROW, start_column=1, end_row=TABLE_NOTE_ROW, end_column=len(heads)
    )
    # Spreadsheets do not grow a merged row to fit: give the note its lines.
    # (Prose fits about 1.1 characters a unit of column width.)
    ws.row_dimensions[TABLE_NOTE_ROW].height = LINE_HEIGHT * (
        math.ceil(len(note) / width / 1.1) + 1
    )
    ws.row_dimensions[TABLE_HEADER_ROW].height = LINE_HEIGHT * 2
    ws.freeze_panes = f"A{TABLE_FIRST_ROW}"
    ws.print_title_rows = f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}"
    return list(range(TABLE_FIRST_ROW, TABLE_FIRST_ROW + rows))


def _rate_rule() -> DataValidation:
    high = BOUNDS["rate"].high
    return _number_rule(0, high, "A rate", f"Give a number from 0 to {high:,.0f}.")


def _fill_table(
    ws: Worksheet,
    rows: list[int],
    items: tuple[dict[str, Any], ...],
    columns: dict[str, tuple[str, DataValidation, str]],
) -> None:
    """The table's answer cells, prefilled with `items` (one a row): each field in its
    column (letter, rule, number format; "@" for text, written as text)."""
    for column, rule, _format in columns.values():
        ws.add_data_validation(rule)
        rule.add(f"{column}{rows[0]}:{column}{rows[-1]}")
    for i, row in enumerate(rows):
        item = items[i] if i < len(items) else {}
        for field, (column, _rule, number_format) in columns.items():
            cell = _answer_cell(ws[f"{column}{row}"], text=number_format == "@")
            cell.number_format = number_format
            value = item.get(field)
            if isinstance(value, str):
                _text(cell, value)
            elif value is not None:
                cell.value = value


def _rate_lines(ws: Worksheet, spec: QuestionnaireSpec, response: ResponseContent) -> None:
    lines = response.pricing.lines
    example = {
        "channel": spec.channels[0] if spec.channels else "voice",
        "language": spec.languages[-1] if spec.languages else "es",
    }
    rows = _table(
        ws,
        "Rate lines (optional): a rate per channel, language, or channel in a language",
        LINES_NOTE.format(**example),
        [("Channel (empty: any)", 30), ("Language (empty: any)", 30), ("Rate (USD)", 18)],
        max(LINE_ROWS, len(lines) + SPARE_ROWS),
    )
    columns = {
        "channel": (LINE_COLUMNS["channel"], _choice_rule(spec.channels, "channel"), "@"),
        "language": (LINE_COLUMNS["language"], _choice_rule(spec.languages, "language"), "@"),
        "rate": (LINE_COLUMNS["rate"], _rate_rule(), "#,##0.00"),
    }
    _fill_table(ws, rows, lines, columns)
    _protect(ws)
    ws.page_setup.orientation = "portrait"  # a narrow table: one page, not two


def _volume_tiers(ws: Worksheet, response: ResponseContent) -> None:
    tiers = response.pricing.tiers
    rows = _table(
        ws,
        "Volume tiers (optional): a lower price above a number of contacts a month",
        TIERS_NOTE,
        [("Above (contacts a month)", 26), ("Discount (%)", 18), ("or Rate (USD)", 18)],
        max(TIER_ROWS, len(tiers) + SPARE_ROWS),
    )
    contacts = BOUNDS["tier_contacts"].high
    above = _number_rule(
        0, contacts, "Contacts a month", f"Give a number from 0 to {contacts:,.0f}."
    )
    # Not a percentage format: a cell shown as one is read as the percentage it shows.
    discount = _number_rule(0, 100, "A discount in %", "Give a discount from 0 to 100 (%).")
    columns = {
        "above_contacts": (TIER_COLUMNS["above_contacts"], above, "#,##0"),
        "discount_pct": (TIER_COLUMNS["discount_pct"], discount, "0.0#"),
        "rate": (TIER_COLUMNS["rate"], _rate_rule(), "#,##0.00"),
    }
    _fill_table(ws, rows, tiers, columns)
    _protect(ws)
    ws.page_setup.orientation = "portrait"


def _meta(ws: Worksheet, spec: QuestionnaireSpec) -> None:
    values = (FORMAT_NAME, FORMAT_VERSION, spec.evaluation_id, spec.vendor_key)
    for row, (name, value) in enumerate(zip(META_ROWS, values, strict=True), start=1):
        _text(ws.cell(row=row, column=1), name)
        cell = ws.cell(row=row, column=2)
        if isinstance(value, str):
            _text(cell, value)
        else:
            cell.value = value
    ws.sheet_state = "veryHidden"
    _protect(ws)


def build_questionnaire(spec: QuestionnaireSpec, response: ResponseContent | None = None) -> bytes:
    """The questionnaire workbook for one vendor, prefilled with `response` if given."""
    response = response or ResponseContent()
    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS
    _instructions(instructions, spec)
    _questions(wb.create_sheet(QUESTIONS), spec, response)
    _knockouts(wb.create_sheet(KNOCKOUTS), spec, response)
    _pricing(wb.create_sheet(PRICING), response)
    _rate_lines(wb.create_sheet(RATE_LINES), spec, response)
    _volume_tiers(wb.create_sheet(VOLUME_TIERS), response)
    _meta(wb.create_sheet(META), spec)
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
