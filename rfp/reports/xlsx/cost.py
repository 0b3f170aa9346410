"""The Cost sheet: scope inputs, and each vendor's hours, monthly charge, TCO, cost per
contact and savings as formulas over them, with the seeds' rate ranges beside each quote."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, INHOUSE_RATE_RANGE
from rfp.reports.xlsx.cells import (
    BOLD,
    FLAG_FILL,
    INTEGER,
    MONEY,
    MONEY_2,
    NOTE_FONT,
    PERCENT,
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
from rfp.reports.xlsx.context import WorkbookContext, define_name, status_of

# (label, scope field, defined name, number format, note)
SCOPE_INPUTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Contacts per month", "contacts_per_month", "ContactsPerMonth", INTEGER, ""),
    ("Average handle time (minutes)", "aht_minutes", "AHTMinutes", "0.0", ""),
    ("Occupancy", "occupancy", "Occupancy", PERCENT, "share of paid agent time on contacts"),
    ("FTE hours per month", "fte_hours_per_month", "FTEHoursPerMonth", INTEGER, ""),
    ("Contract term (months)", "term_months", "TermMonths", INTEGER, ""),
    ("Governance overhead (%)", "governance_overhead_pct", "GovernanceOverheadPct", "0.0", ""),
    ("In-house rate ($/agent-hour)", "inhouse_rate", "InhouseRate", MONEY_2, ""),
)


def write_cost(wb: Workbook, ctx: WorkbookContext) -> None:
    """Scope inputs, and each vendor's hours, charge, TCO, cost per contact and savings as
    formulas over them; the seeds' rate ranges beside each quote."""
    ws = wb.create_sheet("Cost")
    scope = ctx.doc["evaluation"]["scope"]
    lo_cpc, hi_cpc = COST_PER_CONTACT_RANGE
    lo_in, hi_in = INHOUSE_RATE_RANGE
    next_row = write_title(
        ws,
        "Cost and total cost of ownership",
        [
            "Agent hours a month = contacts × AHT / 60 / occupancy. Monthly charge by pricing "
            "model: per hour × hours, per contact × contacts, per FTE-month × hours / FTE hours.",
            "TCO = setup fee + term × (monthly charge + monthly fee) × (1 + governance overhead). "
            "Savings = in-house TCO (term × hours × in-house rate) − TCO. Yellow cells are inputs.",
        ],
    )
    scope_header = next_row + 1
    write_header(ws, scope_header, ["Scope", "Value", "Note"])
    row = scope_header
    for label, key, name, fmt, note in SCOPE_INPUTS:
        row += 1
        ws.cell(row=row, column=1, value=label)
        write_input(ws, row, 2, scope.get(key), fmt)
        define_name(wb, name, ws, f"B{row}")
        if note:
            ws.cell(row=row, column=3, value=note).font = NOTE_FONT
    ws.cell(
        row=row,
        column=3,
        value=(
            f"=IF(ISNUMBER(InhouseRate),IF(OR(InhouseRate<{lo_in:g},InhouseRate>{hi_in:g}),"
            f'"outside","within")&" the seeds\' in-house benchmark ${lo_in:g}-{hi_in:g}","")'
        ),
    ).font = NOTE_FONT
    row += 1
    ws.cell(row=row, column=1, value="Agent hours a month").font = BOLD
    hours = ws.cell(row=row, column=2, value="=ContactsPerMonth*AHTMinutes/60/Occupancy")
    hours.number_format = "#,##0.0"
    hours.font = BOLD
    define_name(wb, "AgentHoursPerMonth", ws, f"B{row}")
    row += 1
    ws.cell(row=row, column=1, value="In-house TCO over the term").font = BOLD
    inhouse = ws.cell(
        row=row,
        column=2,
        value='=IF(ISNUMBER(InhouseRate),TermMonths*AgentHoursPerMonth*InhouseRate,"")',
    )
    inhouse.number_format = MONEY
    inhouse.font = BOLD
    define_name(wb, "InhouseTCO", ws, f"B{row}")

    header_row = row + 2
    labels = [
        "Vendor",
        "Delivery model",
        "Status",
        "Pricing model",
        "Rate",
        "Setup fee",
        "Monthly fee",
        "Monthly charge",
        "Effective rate ($/agent-hour)",
        "Benchmark low",
        "Benchmark high",
        "Rate check",
        "TCO",
        "Cost per contact",
        f"Per-contact check (${lo_cpc:g}-{hi_cpc:g})",
        "Savings vs in-house",
        "Cost score (0-100)",
        "Flags",
    ]
    write_header(ws, header_row, labels)
    ws.row_dimensions[header_row].height = 45
    first = header_row + 1
    widths = ColumnWidths(maximum=40)
    row = header_row
    for vendor in ctx.vendors:
        row += 1
        vendor_doc = ctx.vendor_doc(vendor.key)
        write_text(ws, row, 1, vendor.name)
        widths.see(1, vendor.name)
        if vendor_doc["model"]:
            write_text(ws, row, 2, vendor_doc["model"])
        ws.cell(row=row, column=3, value=status_of(vendor))
        pricing = vendor_doc["pricing"]
        if pricing is None:
            ws.cell(row=row, column=4, value="no price").font = NOTE_FONT
            continue
        ws.cell(row=row, column=4, value=pricing["model"])
        rate_format = MONEY_2 if pricing["model"] != "per_fte_month" else MONEY
        for column, value, fmt in (
            (5, pricing["rate"], rate_format),
            (6, pricing["setup_fee"], MONEY),
            (7, pricing["monthly_fee"], MONEY),
        ):
            ws.cell(row=row, column=column, value=value).number_format = fmt
        if vendor.cost is None:
            continue
        _cost_formulas(ws, row)
        if vendor.cost.rate_range is not None:
            low, high = vendor.cost.rate_range
            ws.cell(row=row, column=10, value=low).number_format = MONEY
            ws.cell(row=row, column=11, value=high).number_format = MONEY
        ws.cell(row=row, column=17, value=vendor.cost.score).number_format = SCORE
        messages = [
            f.message
            for f in vendor.flags
            if f.kind in ("price_range", "cost_per_contact_range", "abnormally_low")
        ]
        if messages:
            write_text(ws, row, 18, "\n".join(messages)).alignment = WRAP
            grow_row(ws, row, "\n".join(messages), 60)
    last = max(row, first)
    for column in (12, 15):
        letter = get_column_letter(column)
        ws.conditional_formatting.add(
            f"{letter}{first}:{letter}{last}",
            FormulaRule(
                formula=[f'AND({letter}{first}<>"",LEFT({letter}{first},6)<>"within")'],
                fill=FLAG_FILL,
            ),
        )
    widths.fix(2, 13)
    widths.fix(3, 12)
    widths.fix(4, 14)
    for column in range(5, 18):
        widths.fix(column, 13)
    widths.fix(18, 60)
    widths.apply(ws)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 30)
    ws.freeze_panes = f"B{first}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(labels))}{last}"
    print_setup(ws, f"{header_row}:{header_row}", ctx.title)


def _cost_formulas(ws: Any, row: int) -> None:
    r = row
    formulas = (
        (
            8,
            f'=IF(D{r}="per_hour",AgentHoursPerMonth*E{r},IF(D{r}="per_contact",'
            f'ContactsPerMonth*E{r},IF(D{r}="per_fte_month",'
            f'AgentHoursPerMonth/FTEHoursPerMonth*E{r},"")))',
            MONEY,
        ),
        (9, f"=IF(AgentHoursPerMonth>0,H{r}/AgentHoursPerMonth,0)", MONEY_2),
        (
            12,
            f'=IF(ISNUMBER(J{r}),IF(I{r}<J{r},"below range",IF(I{r}>K{r},"above range",'
            f'"within range")),"")',
            None,
        ),
        (13, f"=F{r}+TermMonths*(H{r}+G{r})*(1+GovernanceOverheadPct/100)", MONEY),
        (14, f"=M{r}/(TermMonths*ContactsPerMonth)", MONEY_2),
        (
            15,
            f'=IF(N{r}<{COST_PER_CONTACT_RANGE[0]:g},"below",IF(N{r}>'
            f'{COST_PER_CONTACT_RANGE[1]:g},"above","within"))',
            None,
        ),
        (16, f'=IF(ISNUMBER(InhouseTCO),InhouseTCO-M{r},"")', MONEY),
    )
    for column, formula, fmt in formulas:
        cell = ws.cell(row=row, column=column, value=formula)
        if fmt:
            cell.number_format = fmt
