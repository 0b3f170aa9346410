"""The Summary and Matrix sheets: the ranking with live weights, and the question scores.

The Summary's weight cells are the workbook's inputs (named `CriterionWeights`); its
totals and ranks, and the Matrix's criterion subtotals and totals, are formulas over
them and over the engine's scores, so that they move when a reader changes a weight.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from rfp.domain.formatting import when
from rfp.domain.scoring.ranking import TIE_TOLERANCE
from rfp.reports.xlsx.cells import (
    BOLD,
    DISQUALIFIED_FILL,
    GROUP_FILL,
    NOTE_FONT,
    PERCENT_1,
    SCORE,
    WRAP,
    ColumnWidths,
    grow_row,
    print_setup,
    write_header,
    write_input,
    write_text,
    write_title,
)
from rfp.reports.xlsx.context import (
    DISQUALIFIED,
    WEIGHTS_NAME,
    WorkbookContext,
    define_name,
    score_scale,
    scored_by_bands,
    status_of,
    vendor_notes,
)

CENTER = Alignment(horizontal="center")
CONSENSUS_FONT = Font(italic=True, color="1F3B57")
CRITERION_WIDTH = 13
NOTES_WIDTH = 50
QUESTION_WIDTH = 56
VENDOR_WIDTH = 14


def write_summary(wb: Workbook, ctx: WorkbookContext) -> None:
    ws = wb.create_sheet("Summary")
    ev = ctx.doc["evaluation"]
    result = ctx.result
    notes = [
        f"Stage: {ev['stage']} · generated {when(ctx.generated_at)} · scale {ctx.scale_text()}"
        f", criterion scores on 0-100 · {ev['aggregation']} of evaluators · price formula "
        f"{ev['price_formula']}",
        "Yellow cells are inputs: change a criterion weight and the totals and ranks "
        "recalculate (the evaluation's official weights do not change).",
    ]
    incomplete = [v for v in result.vendors if not v.complete]
    if incomplete:
        notes.append(
            f"Provisional: {len(incomplete)} of {len(result.vendors)} vendors have incomplete "
            "data; their figures will change as scores come in."
        )
    weight_row = write_title(ws, ctx.title, notes) + 1
    share_row, header_row = weight_row + 1, weight_row + 2
    first, last = header_row + 1, header_row + len(ctx.vendors)
    n = len(ctx.criteria)
    crit_col = 5
    total_col = crit_col + n
    data_col, notes_col = total_col + 1, total_col + 2
    widths = ColumnWidths()
    widths.fix(1, 7)
    widths.fix(3, 14)
    widths.fix(4, 13)

    first_weight = f"{get_column_letter(crit_col)}{weight_row}"
    last_weight = f"{get_column_letter(total_col - 1)}{weight_row}"
    define_name(wb, WEIGHTS_NAME, ws, f"{first_weight}:{last_weight}")
    write_text(ws, weight_row, 2, "Criterion weight (input)").font = BOLD
    write_text(ws, share_row, 2, "Share of the total").font = NOTE_FONT
    for i, criterion in enumerate(ctx.criteria):
        column = crit_col + i
        letter = get_column_letter(column)
        write_input(ws, weight_row, column, criterion["weight"], "General")
        ctx.weight_cells[criterion["key"]] = f"{quote_sheetname(ws.title)}!${letter}${weight_row}"
        share = ws.cell(
            row=share_row,
            column=column,
            value=f"=IF(SUM({WEIGHTS_NAME})=0,0,{letter}{weight_row}/SUM({WEIGHTS_NAME}))",
        )
        share.number_format = PERCENT_1
        share.font = NOTE_FONT
        widths.fix(column, CRITERION_WIDTH)

    labels = ["Rank", "Vendor", "Delivery model", "Status"]
    labels += [c["name"] for c in ctx.criteria] + ["Total", "Data", "Notes"]
    write_header(ws, header_row, labels)
    for criterion in ctx.criteria:
        grow_row(ws, header_row, criterion["name"], CRITERION_WIDTH - 1, bold=True)

    total_letter = get_column_letter(total_col)
    status_range = f"$D${first}:$D${last}"
    total_range = f"${total_letter}${first}:${total_letter}${last}"
    scores_first = get_column_letter(crit_col)
    scores_last = get_column_letter(total_col - 1)
    for i, vendor in enumerate(ctx.vendors):
        row = first + i
        ctx.summary_rows[vendor.key] = row
        ws.cell(
            row=row,
            column=1,
            value=(
                f'=IF($D{row}="{DISQUALIFIED}","–",SUMPRODUCT(({status_range}<>"{DISQUALIFIED}")'
                f"*({total_range}>${total_letter}{row}+{TIE_TOLERANCE:.0E}))+1)"
            ),
        ).alignment = CENTER
        write_text(ws, row, 2, vendor.name)
        widths.see(2, vendor.name)
        model = ctx.vendor_doc(vendor.key)["model"]
        if model:
            write_text(ws, row, 3, model)
        ws.cell(row=row, column=4, value=status_of(vendor))
        for j, criterion in enumerate(ctx.criteria):
            cell = ws.cell(row=row, column=crit_col + j, value=vendor.criteria[criterion["key"]])
            cell.number_format = SCORE
        total = ws.cell(
            row=row,
            column=total_col,
            value=(
                f"=IF(SUM({WEIGHTS_NAME})=0,0,SUMPRODUCT({scores_first}{row}:{scores_last}{row},"
                f"{WEIGHTS_NAME})/SUM({WEIGHTS_NAME}))"
            ),
        )
        total.number_format = SCORE
        total.font = BOLD
        ws.cell(row=row, column=data_col, value="complete" if vendor.complete else "provisional")
        note = vendor_notes(vendor, ctx)
        if note:
            write_text(ws, row, notes_col, note).alignment = WRAP
            grow_row(ws, row, note, NOTES_WIDTH)
        if vendor.disqualified:
            for column in range(1, notes_col + 1):
                ws.cell(row=row, column=column).fill = DISQUALIFIED_FILL

    widths.fix(total_col, 10)
    widths.fix(data_col, 12)
    widths.fix(notes_col, NOTES_WIDTH)
    widths.apply(ws)
    ws.conditional_formatting.add(f"{scores_first}{first}:{total_letter}{last}", score_scale())
    ws.freeze_panes = f"C{first}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(notes_col)}{last}"
    print_setup(ws, f"{weight_row}:{header_row}", ctx.title)
    _totals_chart(ws, header_row, first, last, total_col, len(ctx.vendors))


def _totals_chart(
    ws: Worksheet, header_row: int, first: int, last: int, total_col: int, count: int
) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "Total score (live: follows the weights above)"
    chart.add_data(
        Reference(ws, min_col=total_col, min_row=header_row, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
    chart.legend = None
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.numFmt = "0"
    chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = False
    chart.dataLabels.showCatName = False
    chart.dataLabels.showLegendKey = False
    chart.dataLabels.numFmt = "0.0"
    chart.width = 20
    chart.height = max(7.5, 0.6 * count + 2.5)
    ws.add_chart(chart, f"B{last + 3}")


def write_matrix(wb: Workbook, ctx: WorkbookContext) -> None:
    ws = wb.create_sheet("Matrix")
    ev = ctx.doc["evaluation"]
    header_row = (
        write_title(
            ws,
            "Question scores by vendor (0-100)",
            [
                f"Question score: the {ev['aggregation']} of the evaluators' scores on the "
                f"{ctx.scale_text()} scale, normalised to 0-100; a consensus score (in italics) "
                "replaces it.",
                "Criterion score (shaded rows, live formula): the weighted mean of its question "
                "scores, the weights normalised over the questions that have a score.",
            ],
        )
        + 1
    )
    vendors = ctx.vendors
    first_vendor_col = 4
    last_col = first_vendor_col + len(vendors) - 1
    last_letter = get_column_letter(last_col)
    write_header(ws, header_row, ["Criterion", "Question", "Weight", *(v.name for v in vendors)])
    for vendor in vendors:
        grow_row(ws, header_row, vendor.name, VENDOR_WIDTH - 1, bold=True)
    total_row, rank_row, status_row = header_row + 1, header_row + 2, header_row + 3
    for label, row in (("Total", total_row), ("Rank", rank_row), ("Status", status_row)):
        ws.cell(row=row, column=1, value=label).font = BOLD
    name_width = min(30, max([14, *(len(c["name"]) + 2 for c in ctx.criteria)]))

    consensus = {(c["vendor"], c["question"]) for c in ctx.doc["consensus"]}
    criterion_rows: dict[str, int] = {}
    row = status_row + 1
    for criterion in ctx.criteria:
        group = row
        criterion_rows[criterion["key"]] = group
        write_text(ws, group, 1, criterion["name"]).font = BOLD
        ws.cell(row=group, column=3, value=f"={ctx.weight_cells[criterion['key']]}").font = BOLD
        for column in range(1, last_col + 1):
            ws.cell(row=group, column=column).fill = GROUP_FILL
        row += 1
        if criterion["kind"] != "scored":
            how = (
                f"From the TCO by the {ev['price_formula']} price formula (Cost sheet)"
                if criterion["kind"] == "cost"
                else "Mean reference-call rating on 0-100 (References sheet)"
            )
            ws.cell(row=group, column=2, value=how).font = NOTE_FONT
            for j, vendor in enumerate(vendors):
                cell = ws.cell(
                    row=group, column=first_vendor_col + j, value=vendor.criteria[criterion["key"]]
                )
                cell.number_format = SCORE
                cell.font = BOLD
            continue
        ws.cell(row=group, column=2, value="Criterion score").font = BOLD
        scored = [q for q in criterion["questions"] if q["kind"] == "scored"]
        q_first, q_last = row, row + len(scored) - 1
        for q in scored:
            text = q["text"] + (" (scored from the vendor's number)" if scored_by_bands(q) else "")
            write_text(ws, row, 2, text).alignment = WRAP
            grow_row(ws, row, text, QUESTION_WIDTH)
            ws.cell(row=row, column=3, value=q["weight"])
            for j, vendor in enumerate(vendors):
                value = vendor.questions.get(q["key"])
                if value is None:
                    continue
                cell = ws.cell(row=row, column=first_vendor_col + j, value=value)
                cell.number_format = SCORE
                if (vendor.key, q["key"]) in consensus:
                    cell.font = CONSENSUS_FONT
            ws.row_dimensions[row].outlineLevel = 1
            row += 1
        for j in range(len(vendors)):
            letter = get_column_letter(first_vendor_col + j)
            scores = f"{letter}{q_first}:{letter}{q_last}"
            weights = f"$C${q_first}:$C${q_last}"
            answered = f"SUMPRODUCT(ISNUMBER({scores})*{weights})"
            cell = ws.cell(
                row=group,
                column=first_vendor_col + j,
                value=f"=IF({answered}=0,0,SUMPRODUCT({scores},{weights})/{answered})",
            )
            cell.number_format = SCORE
            cell.font = BOLD
        ws.conditional_formatting.add(f"D{group}:{last_letter}{q_last}", score_scale())
        for q in criterion["questions"]:
            if q["kind"] != "knockout":
                continue
            text = f"Knockout (pass/fail): {q['text']}"
            write_text(ws, row, 2, text).alignment = WRAP
            grow_row(ws, row, text, QUESTION_WIDTH)
            for j, vendor in enumerate(vendors):
                passed = ctx.vendor_doc(vendor.key)["knockouts"].get(q["key"])
                cell = ws.cell(
                    row=row,
                    column=first_vendor_col + j,
                    value="–" if passed is None else "Pass" if passed else "Fail",
                )
                cell.alignment = CENTER
                if passed is False:
                    cell.fill = DISQUALIFIED_FILL
            ws.row_dimensions[row].outlineLevel = 1
            row += 1

    for j, vendor in enumerate(vendors):
        letter = get_column_letter(first_vendor_col + j)
        terms = "+".join(
            f"{letter}{criterion_rows[c['key']]}*{ctx.weight_cells[c['key']]}" for c in ctx.criteria
        )
        total = ws.cell(
            row=total_row,
            column=first_vendor_col + j,
            value=f"=IF(SUM({WEIGHTS_NAME})=0,0,({terms})/SUM({WEIGHTS_NAME}))",
        )
        total.number_format = SCORE
        total.font = BOLD
        summary_row = ctx.summary_rows.get(vendor.key)
        if summary_row is not None:
            ws.cell(
                row=rank_row, column=first_vendor_col + j, value=f"=Summary!$A${summary_row}"
            ).alignment = CENTER
        ws.cell(
            row=status_row, column=first_vendor_col + j, value=status_of(vendor)
        ).alignment = CENTER
        ws.column_dimensions[letter].width = VENDOR_WIDTH
    computed = [criterion_rows[c["key"]] for c in ctx.criteria if c["kind"] != "scored"]
    for target in [total_row, *computed]:
        ws.conditional_formatting.add(f"D{target}:{last_letter}{target}", score_scale())

    ws.sheet_properties.outlinePr.summaryBelow = False  # criterion rows sit above their questions
    ws.column_dimensions["A"].width = name_width
    ws.column_dimensions["B"].width = QUESTION_WIDTH
    ws.column_dimensions["C"].width = 8
    ws.freeze_panes = f"D{status_row + 1}"
    print_setup(ws, f"{header_row}:{status_row}", ctx.title)
