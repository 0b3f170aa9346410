"""The Cost sheet: scope inputs, and each vendor's hours, monthly charge, TCO, cost per
contact and savings as formulas over them, with the seeds' rate ranges beside each quote."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, INHOUSE_RATE_RANGE
from rfp.domain.scoring.result import CostResult
from rfp.domain.vocabulary import PricingModel
from rfp.reports.xlsx.book import Book, FormulaValue, Sheet
from rfp.reports.xlsx.cells import (
    BOLD,
    FLAG_FILL,
    INTEGER,
    MONEY,
    MONEY_2,
    NOTE,
    PERCENT,
    PLAIN,
    SCORE,
    WRAP,
    ColumnWidths,
    number_format,
)
from rfp.reports.xlsx.context import WorkbookContext, status_of

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
LABELS = (
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
    "Per-contact check (${low:g}-{high:g})",
    "Savings vs in-house",
    "Cost score (0-100)",
    "Flags",
)
COST_FLAGS = ("price_range", "cost_per_contact_range", "abnormally_low")
DIV_ZERO = "#DIV/0!"
MONEY_STYLE = number_format(MONEY)
MONEY_2_STYLE = number_format(MONEY_2)


@dataclass(frozen=True)
class CostLayout:
    scope_rows: Mapping[str, int]  # scope field -> row of its input (column B)
    hours_row: int
    inhouse_row: int
    rows: Mapping[str, int]  # vendor key -> row

    @property
    def scope_header(self) -> int:
        return min(self.scope_rows.values()) - 1

    @property
    def header_row(self) -> int:
        return self.inhouse_row + 2


def cost_layout(ctx: WorkbookContext) -> CostLayout:
    scope_header = 2 + len(_notes()) + 1
    scope_rows = {field: scope_header + 1 + i for i, (_l, field, *_r) in enumerate(SCOPE_INPUTS)}
    hours_row = scope_header + len(SCOPE_INPUTS) + 1
    header_row = hours_row + 3
    return CostLayout(
        scope_rows=scope_rows,
        hours_row=hours_row,
        inhouse_row=hours_row + 1,
        rows={v.key: header_row + 1 + i for i, v in enumerate(ctx.vendors)},
    )


def _notes() -> list[str]:
    return [
        "Agent hours a month = contacts × AHT / 60 / occupancy. Monthly charge by pricing "
        "model: per hour × hours, per contact × contacts, per FTE-month × hours / FTE hours.",
        "TCO = setup fee + term × (monthly charge + monthly fee) × (1 + governance overhead). "
        "Savings = in-house TCO (term × hours × in-house rate) − TCO. Yellow cells are inputs.",
    ]


def write_cost(book: Book, ctx: WorkbookContext) -> None:
    """Scope inputs, and each vendor's hours, charge, TCO, cost per contact and savings as
    formulas over them; the seeds' rate ranges beside each quote."""
    sheet = book.add_sheet("Cost")
    layout = ctx.layout(cost_layout)
    sheet.title_block("Cost and total cost of ownership", _notes())
    _scope(book, sheet, layout, ctx.doc["evaluation"]["scope"])

    header_row = layout.header_row
    lo_cpc, hi_cpc = COST_PER_CONTACT_RANGE
    sheet.header(header_row, [label.format(low=lo_cpc, high=hi_cpc) for label in LABELS])
    sheet.height(header_row, 45)
    widths = ColumnWidths(maximum=40)
    for vendor in ctx.vendors:
        row = layout.rows[vendor.key]
        vendor_doc = ctx.vendor_doc(vendor.key)
        sheet.text(row, 1, vendor.name)
        widths.see(1, vendor.name)
        if vendor_doc["model"]:
            sheet.text(row, 2, vendor_doc["model"])
        sheet.text(row, 3, status_of(vendor))
        pricing = vendor_doc["pricing"]
        if pricing is None:
            sheet.text(row, 4, "no price", NOTE)
            continue
        sheet.text(row, 4, pricing["model"])
        rate_format = MONEY if pricing["model"] == PricingModel.PER_FTE_MONTH else MONEY_2
        sheet.number(row, 5, pricing["rate"], number_format(rate_format))
        sheet.number(row, 6, pricing["setup_fee"], MONEY_STYLE)
        sheet.number(row, 7, pricing["monthly_fee"], MONEY_STYLE)
        if vendor.cost is None:
            continue
        _cost_formulas(sheet, row, vendor.cost)
        sheet.number(row, 17, vendor.cost.score, number_format(SCORE))
        messages = "\n".join(f.message for f in vendor.flags if f.kind in COST_FLAGS)
        if messages:
            sheet.text(row, 18, messages, WRAP)
            sheet.grow(row, messages, 60)

    first, last = header_row + 1, max(header_row + len(ctx.vendors), header_row + 1)
    for column in (12, 15):
        letter = xl_col_to_name(column - 1)
        sheet.highlight_where(
            f"{letter}{first}:{letter}{last}",
            f'AND({letter}{first}<>"",LEFT({letter}{first},6)<>"within")',
            FLAG_FILL,
        )
    for column, width in ((2, 13), (3, 12), (4, 14), *((c, 13) for c in range(5, 18)), (18, 60)):
        widths.fix(column, width)
    column_widths = widths.widths()
    column_widths[1] = max(column_widths.get(1, 0), 30)
    sheet.widths(column_widths)
    sheet.freeze(f"B{first}")
    sheet.autofilter(f"A{header_row}:{xl_col_to_name(len(LABELS) - 1)}{last}")
    sheet.print_setup(header_row, header_row, ctx.title)


def _scope(book: Book, sheet: Sheet, layout: CostLayout, scope: dict[str, Any]) -> None:
    """The scope inputs (named), agent hours a month and the in-house TCO."""
    sheet.header(layout.scope_header, ["Scope", "Value", "Note"])
    for label, field, name, fmt, note in SCOPE_INPUTS:
        row = layout.scope_rows[field]
        sheet.text(row, 1, label)
        sheet.input(row, 2, scope.get(field), fmt)
        book.define_name(name, sheet, f"B{row}")
        if note:
            sheet.text(row, 3, note, NOTE)
    lo_in, hi_in = INHOUSE_RATE_RANGE
    rate = scope.get("inhouse_rate")
    benchmark = f" the seeds' in-house benchmark ${lo_in:g}-{hi_in:g}"
    sheet.formula(
        layout.scope_rows["inhouse_rate"],
        3,
        f"=IF(ISNUMBER(InhouseRate),IF(OR(InhouseRate<{lo_in:g},InhouseRate>{hi_in:g}),"
        f'"outside","within")&"{benchmark}","")',
        "" if rate is None else ("outside" if not lo_in <= rate <= hi_in else "within") + benchmark,
        NOTE,
    )
    hours, inhouse = _scope_figures(scope)
    sheet.text(layout.hours_row, 1, "Agent hours a month", BOLD)
    sheet.formula(
        layout.hours_row, 2, "=ContactsPerMonth*AHTMinutes/60/Occupancy", hours,
        BOLD + number_format("#,##0.0"),
    )  # fmt: skip
    book.define_name("AgentHoursPerMonth", sheet, f"B{layout.hours_row}")
    sheet.text(layout.inhouse_row, 1, "In-house TCO over the term", BOLD)
    sheet.formula(
        layout.inhouse_row,
        2,
        '=IF(ISNUMBER(InhouseRate),TermMonths*AgentHoursPerMonth*InhouseRate,"")',
        inhouse,
        BOLD + MONEY_STYLE,
    )
    book.define_name("InhouseTCO", sheet, f"B{layout.inhouse_row}")


def _scope_figures(scope: dict[str, Any]) -> tuple[FormulaValue, FormulaValue]:
    """Agent hours a month and the in-house TCO as the sheet's formulas give them on the
    scope as written (a blank input counts as 0, as in a spreadsheet)."""

    def given(field: str) -> float:
        value = scope.get(field)
        return 0.0 if value is None else value

    if not given("occupancy"):
        hours: FormulaValue = DIV_ZERO
    else:
        hours = given("contacts_per_month") * given("aht_minutes") / 60 / given("occupancy")
    rate = scope.get("inhouse_rate")
    if rate is None:
        return hours, ""
    if isinstance(hours, str):
        return hours, hours
    return hours, given("term_months") * hours * rate


def _cost_formulas(sheet: Sheet, row: int, cost: CostResult) -> None:
    """Monthly charge, effective rate, rate check, TCO, cost per contact, its check and
    the savings: formulas, each with the engine's figure as its value."""
    r = row
    lo_cpc, hi_cpc = COST_PER_CONTACT_RANGE
    if cost.rate_range is not None:
        low, high = cost.rate_range
        sheet.number(r, 10, low, MONEY_STYLE)
        sheet.number(r, 11, high, MONEY_STYLE)
        rate_check = (
            "below range"
            if cost.effective_rate < low
            else "above range"
            if cost.effective_rate > high
            else "within range"
        )
    else:
        rate_check = ""
    per_contact_check = (
        "below"
        if cost.cost_per_contact < lo_cpc
        else "above"
        if cost.cost_per_contact > hi_cpc
        else "within"
    )
    hour, contact, fte = PricingModel.PER_HOUR, PricingModel.PER_CONTACT, PricingModel.PER_FTE_MONTH
    formulas: tuple[tuple[int, str, FormulaValue, str | None], ...] = (
        (
            8,
            f'=IF(D{r}="{hour}",AgentHoursPerMonth*E{r},IF(D{r}="{contact}",'
            f'ContactsPerMonth*E{r},IF(D{r}="{fte}",'
            f'AgentHoursPerMonth/FTEHoursPerMonth*E{r},"")))',
            cost.monthly_charge,
            MONEY,
        ),
        (9, f"=IF(AgentHoursPerMonth>0,H{r}/AgentHoursPerMonth,0)", cost.effective_rate, MONEY_2),
        (
            12,
            f'=IF(ISNUMBER(J{r}),IF(I{r}<J{r},"below range",IF(I{r}>K{r},"above range",'
            f'"within range")),"")',
            rate_check,
            None,
        ),
        (
            13,
            f"=F{r}+TermMonths*(H{r}+G{r})*(1+GovernanceOverheadPct/100)",
            cost.tco,
            MONEY,
        ),
        (14, f"=M{r}/(TermMonths*ContactsPerMonth)", cost.cost_per_contact, MONEY_2),
        (
            15,
            f'=IF(N{r}<{lo_cpc:g},"below",IF(N{r}>{hi_cpc:g},"above","within"))',
            per_contact_check,
            None,
        ),
        (
            16,
            f'=IF(ISNUMBER(InhouseTCO),InhouseTCO-M{r},"")',
            "" if cost.savings is None else cost.savings,
            MONEY,
        ),
    )
    for column, formula, value, fmt in formulas:
        sheet.formula(row, column, formula, value, number_format(fmt) if fmt else PLAIN)
