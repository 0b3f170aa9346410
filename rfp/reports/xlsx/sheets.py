"""The detail sheets: every score with its comment, consensus, reference calls, cost."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from rfp.reports.xlsx.cells import (
    DATE,
    FLAG_FILL,
    WRAP,
    ColumnWidths,
    grow_row,
    print_setup,
    text_value,
    write_header,
    write_text,
    write_title,
)
from rfp.reports.xlsx.context import WorkbookContext, scored_by_bands

LONG_TEXT = 60  # characters: longer comments wrap inside their cell
REFERENCE_TEXT_WIDTH = 40
QUESTION_WIDTH = 48
TOP = Alignment(vertical="top")


def _question_order(ctx: WorkbookContext) -> dict[str, int]:
    return {q["key"]: i for i, (c, q) in enumerate(_questions(ctx))}


def _questions(ctx: WorkbookContext) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(c, q) for c in ctx.criteria for q in c["questions"]]


def write_scores(wb: Workbook, ctx: WorkbookContext) -> None:
    """Every evaluator score with its comment, one row each, filterable."""
    ws = wb.create_sheet("Scores")
    scale = ctx.scale_text()
    header_row = (
        write_title(
            ws,
            "Evaluator scores and comments",
            [
                f"Raw scores on the {scale} scale. Rows shaded orange belong to a (vendor, "
                "question) whose evaluators' scores spread at or beyond the dispersion "
                "threshold: they need calibration.",
            ],
        )
        + 1
    )
    labels = [
        "Evaluator",
        "Vendor",
        "Criterion",
        "Question",
        f"Score ({scale})",
        "Comment",
        "Dispersion",
        "Not counted because",
    ]
    write_header(ws, header_row, labels)
    vendor_order = {v.key: i for i, v in enumerate(ctx.vendors)}
    question_order = _question_order(ctx)
    evaluators = {e["key"]: e for e in ctx.doc["evaluators"]}
    evaluator_order = {key: i for i, key in enumerate(evaluators)}
    conflicts = {(d["evaluator"], d["vendor"]) for d in ctx.doc["conflicts"]}
    flagged = {(d.vendor, d.question): d for d in ctx.result.dispersion if d.flagged}
    scores = sorted(
        ctx.doc["scores"],
        key=lambda s: (
            vendor_order.get(s["vendor"], len(vendor_order)),
            question_order.get(s["question"], 0),
            evaluator_order.get(s["evaluator"], 0),
        ),
    )
    widths = ColumnWidths()
    for column, values in (
        (1, (e["name"] for e in ctx.doc["evaluators"])),
        (2, (v["name"] for v in ctx.doc["vendors"])),
        (3, (c["name"] for c in ctx.criteria)),
    ):
        for value in values:
            widths.see(column, value)
    widths.fix(4, QUESTION_WIDTH)
    widths.fix(5, 10)
    widths.fix(6, LONG_TEXT)
    widths.fix(7, 24)
    widths.fix(8, 22)

    row = header_row
    for s in scores:
        row += 1
        found = ctx.question(s["question"])
        criterion, question = (
            found if found else ({"name": ""}, {"text": s["question"], "kind": ""})
        )
        evaluator = evaluators.get(s["evaluator"])
        comment = s["comment"]
        values: list[Any] = [
            text_value(ws, evaluator["name"] if evaluator else s["evaluator"]),
            text_value(ws, ctx.vendor_name(s["vendor"])),
            text_value(ws, criterion["name"]),
            text_value(ws, question["text"]),
            s["score"],
            text_value(ws, comment) if comment else None,
        ]
        dispersion = flagged.get((s["vendor"], s["question"]))
        if dispersion is not None:
            state = "consensus recorded" if dispersion.resolved else "open"
            values.append(f"range {dispersion.spread:g} ({state})")
        else:
            values.append(None)
        if scored_by_bands(question):
            values.append("scored from the vendor's number")
        elif evaluator is not None and not evaluator["active"]:
            values.append("evaluator removed")
        elif (s["evaluator"], s["vendor"]) in conflicts:
            values.append("conflict of interest")
        else:
            values.append(None)
        ws.append(values)
        long_question = len(question["text"]) > QUESTION_WIDTH
        long_comment = bool(comment) and len(comment) > LONG_TEXT
        if long_question or long_comment:
            # A tall row: wrap its long texts and align every cell to the top.
            for column in range(1, len(labels) + 1):
                ws.cell(row=row, column=column).alignment = WRAP
            grow_row(ws, row, question["text"], QUESTION_WIDTH)
            if comment:
                grow_row(ws, row, comment, LONG_TEXT)

    widths.apply(ws)
    last_letter = get_column_letter(len(labels))
    if row > header_row:
        # One rule rather than a fill per cell: on a large evaluation most rows may be flagged.
        ws.conditional_formatting.add(
            f"A{header_row + 1}:{last_letter}{row}",
            FormulaRule(formula=[f'$G{header_row + 1}<>""'], fill=FLAG_FILL),
        )
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_letter}{max(row, header_row)}"
    print_setup(ws, f"{header_row}:{header_row}", ctx.title)


def write_consensus(wb: Workbook, ctx: WorkbookContext) -> None:
    """Consensus scores recorded by the lead, with their rationale (only when there are)."""
    if not ctx.doc["consensus"]:
        return
    ws = wb.create_sheet("Consensus")
    header_row = (
        write_title(
            ws,
            "Consensus scores",
            ["A consensus score replaces the evaluators' scores on that question."],
        )
        + 1
    )
    scale = ctx.scale_text()
    labels = ["Vendor", "Criterion", "Question", f"Score ({scale})", "Rationale"]
    write_header(ws, header_row, labels)
    row = header_row
    for c in ctx.doc["consensus"]:
        row += 1
        found = ctx.question(c["question"])
        write_text(ws, row, 1, ctx.vendor_name(c["vendor"]))
        if found:
            write_text(ws, row, 2, found[0]["name"])
            write_text(ws, row, 3, found[1]["text"]).alignment = WRAP
            grow_row(ws, row, found[1]["text"], 48)
        ws.cell(row=row, column=4, value=c["score"]).alignment = TOP
        if c["rationale"]:
            write_text(ws, row, 5, c["rationale"]).alignment = WRAP
            grow_row(ws, row, c["rationale"], 70)
    for column, width in zip(range(1, 6), (28, 20, 48, 10, 70), strict=True):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:E{max(row, header_row)}"
    print_setup(ws, f"{header_row}:{header_row}", ctx.title)


def write_references(wb: Workbook, ctx: WorkbookContext) -> None:
    """Every reference call, every field."""
    ws = wb.create_sheet("References")
    header_row = (
        write_title(
            ws,
            "Reference calls",
            [
                "Rows shaded orange: the reference would not sign this contract again. "
                "The seeds ask for three calls per vendor with customers in similar businesses.",
            ],
        )
        + 1
    )
    scale = ctx.scale_text()
    labels = [
        "Vendor",
        "Caller",
        "Reference company",
        "Contact",
        "Date",
        "Similar business",
        f"Rating ({scale})",
        "Would sign again",
        "What surprised negatively",
        "What would you do differently",
        "Notes",
    ]
    write_header(ws, header_row, labels)
    ws.row_dimensions[header_row].height = 32
    vendor_order = {v.key: i for i, v in enumerate(ctx.vendors)}
    calls = sorted(
        enumerate(ctx.doc["references"]),
        key=lambda item: (vendor_order.get(item[1]["vendor"], len(vendor_order)), item[0]),
    )
    widths = ColumnWidths(maximum=36)
    row = header_row
    for _, call in calls:
        row += 1
        name = ctx.vendor_name(call["vendor"])
        caller = ctx.evaluator_name(call["caller"]) if call["caller"] else ""
        for column, text in ((1, name), (2, caller), (3, call["company"]), (4, call["contact"])):
            if text:
                write_text(ws, row, column, text)
                widths.see(column, text)
        if call["date"]:
            ws.cell(row=row, column=5, value=date.fromisoformat(call["date"])).number_format = DATE
        similar = call["similar_business"]
        ws.cell(row=row, column=6, value="–" if similar is None else "yes" if similar else "no")
        ws.cell(row=row, column=7, value=call["rating"])
        ws.cell(row=row, column=8, value=call["would_sign_again"])
        for column, field in (
            (9, "surprised_negatively"),
            (10, "do_differently"),
            (11, "notes"),
        ):
            if call[field]:
                write_text(ws, row, column, call[field]).alignment = WRAP
                grow_row(ws, row, call[field], REFERENCE_TEXT_WIDTH)
        if call["would_sign_again"] == "no":
            for column in range(1, len(labels) + 1):
                ws.cell(row=row, column=column).fill = FLAG_FILL
    widths.fix(5, 11)
    widths.fix(6, 10)
    widths.fix(7, 9)
    widths.fix(8, 10)
    for column in (9, 10, 11):
        widths.fix(column, REFERENCE_TEXT_WIDTH)
    widths.apply(ws)
    ws.freeze_panes = f"B{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(labels))}{max(row, header_row)}"
    print_setup(ws, f"{header_row}:{header_row}", ctx.title)
