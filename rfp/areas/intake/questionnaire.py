"""The Excel questionnaire a vendor fills in: `build_questionnaire(spec, response) -> bytes`.

Sheets: Instructions (the public scope and the deadline), Questions (criterion,
question, guidance, answer), Knockouts (yes/no drop-down and evidence), Pricing (model
list, numbers >= 0), and a very hidden sheet of stable keys (format, version,
evaluation, vendor) so that the file can be matched back. Every question row carries
its key in the hidden column A. Sheets and the workbook structure are protected; only
answer cells are unlocked. Text is always written as text, never as a formula.
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
from rfp.domain.vocabulary import PricingModel

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_NAME = "rfp-questionnaire"
FORMAT_VERSION = 1

INSTRUCTIONS = "Instructions"
QUESTIONS = "Questions"
KNOCKOUTS = "Knockouts"
PRICING = "Pricing"
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
    ("rate", "Rate (USD)", "The price per unit of the pricing model chosen above."),
    ("setup_fee", "Setup fee (USD, once)", "Transition, training and setup, charged once."),
    ("monthly_fee", "Monthly fee (USD)", "Fixed monthly charges on top of the rate."),
)
META_ROWS = ("format", "version", "evaluation", "vendor")

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
    _meta(wb.create_sheet(META), spec)
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
