"""The Cost sheet: the live cost model.

The scope and each vendor's price are inputs; agent hours, monthly charge, TCO, cost per
contact, savings and the cost score are formulas over them, the score by the evaluation's
price formula with the lowest and highest TCO taken over the qualified vendors with a
price. The Summary's and the Matrix's cost criterion cells read the score from here, so a
reader who changes the handle time or a rate sees the totals and the ranks move, to the
engine's figures on the same inputs (tests/reports/test_workbook_recalc.py). The market
benchmarks' rate ranges stand beside each quote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rfp.domain.scoring.benchmarks import (
    COST_PER_CONTACT_RANGE,
    INHOUSE_RATE_RANGE,
    RATE_RANGES,
)
from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import DeliveryModel, PriceFormula, PricingModel
from rfp.reports.wording import price_formula_name, price_formula_rule
from rfp.reports.xlsx.book import Book, FormulaValue, Sheet, quote_sheetname
from rfp.reports.xlsx.cells import (
    BOLD,
    FLAG_FILL,
    INTEGER,
    MONEY,
    MONEY_2,
    NOTE,
    PERCENT,
    PLAIN,
    WRAP,
    ColumnWidths,
    number_format,
)
from rfp.reports.xlsx.context import WorkbookContext, status_of
from rfp.reports.xlsx.cost_model import COL, COLUMNS, LETTER, cost_formulas, single_rate_charge
from rfp.reports.xlsx.rate_lines import LinesLayout, charge_formula, lines_layout, write_lines

COST = "Cost"

# (label, scope field, defined name, number format, the engine's default when not set)
SCOPE_INPUTS: tuple[tuple[str, str, str, str, float | None], ...] = (
    ("Contacts per month", "contacts_per_month", "ContactsPerMonth", INTEGER, None),
    ("Average handle time (minutes)", "aht_minutes", "AHTMinutes", "0.0", None),
    ("Occupancy", "occupancy", "Occupancy", PERCENT, 0.8),
    ("FTE hours per month", "fte_hours_per_month", "FTEHoursPerMonth", INTEGER, 160),
    ("Contract term (months)", "term_months", "TermMonths", INTEGER, None),
    ("Governance overhead (%)", "governance_overhead_pct", "GovernanceOverheadPct", "0.0", 0),
    ("In-house rate ($/agent-hour)", "inhouse_rate", "InhouseRate", MONEY_2, None),
)
SCOPE_NOTES = {"occupancy": "share of paid agent time on contacts"}
COST_FLAGS = ("price_range", "cost_per_contact_range", "abnormally_low")
PRICING_LABELS = [model.label for model in PricingModel]
DIV_ZERO = "#DIV/0!"
MONEY_STYLE = number_format(MONEY)


@dataclass(frozen=True)
class CostLayout:
    scope_rows: Mapping[str, int]  # scope field -> row of its input (column B)
    hours_row: int
    inhouse_row: int
    formula_row: int  # the price formula, then its zero multiple (log only)
    zero_multiple_row: int | None
    lowest_row: int
    rows: Mapping[str, int]  # vendor key -> row

    @property
    def scope_header(self) -> int:
        return min(self.scope_rows.values()) - 1

    @property
    def highest_row(self) -> int:
        return self.lowest_row + 1

    @property
    def header_row(self) -> int:
        return self.highest_row + 2

    def score_cell(self, vendor: str) -> str:
        """The absolute address of a vendor's cost score, sheet included."""
        return f"{quote_sheetname(COST)}!${LETTER['score']}${self.rows[vendor]}"


def cost_layout(ctx: WorkbookContext) -> CostLayout:
    scope_header = 2 + len(_notes()) + 1
    scope_rows = {field: scope_header + 1 + i for i, (_l, field, *_r) in enumerate(SCOPE_INPUTS)}
    hours_row = scope_header + len(SCOPE_INPUTS) + 1
    formula_row = hours_row + 2
    is_log = ctx.doc["evaluation"]["price_formula"] == PriceFormula.LOG
    lowest_row = formula_row + (2 if is_log else 1)
    header_row = lowest_row + 3
    return CostLayout(
        scope_rows=scope_rows,
        hours_row=hours_row,
        inhouse_row=hours_row + 1,
        formula_row=formula_row,
        zero_multiple_row=formula_row + 1 if is_log else None,
        lowest_row=lowest_row,
        rows={v.key: header_row + 1 + i for i, v in enumerate(ctx.vendors)},
    )


def _notes() -> list[str]:
    return [
        "Agent hours a month = contacts × AHT / 60 / occupancy. Monthly charge by pricing "
        "model: per agent-hour × hours, per contact × contacts, per FTE-month × hours / FTE "
        "hours. TCO = setup fee + term × (monthly charge + monthly fee) × (1 + governance "
        "overhead). Savings = in-house TCO (term × hours × in-house rate) − TCO.",
        "Cost score: the price formula below, the lowest and highest TCO taken over the "
        "qualified vendors with a price, clamped to 0-100; a vendor without a price scores 0. "
        "The Summary's totals and ranks follow it.",
        "Yellow cells are inputs: change the scope or a vendor's price and the TCO, the cost "
        "score, the totals and the ranks recalculate. Every other cell is locked (Review › "
        "Unprotect Sheet, no password). Flags are as the evaluation was generated.",
    ]


def write_cost(book: Book, ctx: WorkbookContext) -> None:
    """Scope and price inputs, and the cost model as formulas over them."""
    sheet = book.add_sheet(COST)
    layout = ctx.layout(cost_layout)
    sheet.title_block("Cost and total cost of ownership", _notes())
    _scope(book, sheet, layout, ctx)

    header_row = layout.header_row
    lo_cpc, hi_cpc = COST_PER_CONTACT_RANGE
    sheet.header(header_row, [label.format(low=lo_cpc, high=hi_cpc) for _k, label in COLUMNS])
    sheet.height(header_row, 45)
    widths = ColumnWidths(maximum=40)
    first, last = header_row + 1, max(header_row + len(ctx.vendors), header_row + 1)
    lines = lines_layout(ctx, last + 3)  # rate lines and tiers, below the table
    for vendor in ctx.vendors:
        _vendor_row(sheet, layout.rows[vendor.key], vendor, ctx, lines)
        widths.see(COL["vendor"], vendor.name)
    if lines is not None:
        write_lines(sheet, lines, ctx, dict(layout.rows))
    for key in ("rate_check", "per_contact_check"):
        letter = LETTER[key]
        sheet.highlight_where(
            f"{letter}{first}:{letter}{last}",
            f'AND({letter}{first}<>"",LEFT({letter}{first},6)<>"within")',
            FLAG_FILL,
        )
    for key, width in (("model", 13), ("status", 12), ("pricing", 15), ("flags", 60)):
        widths.fix(COL[key], width)
    for column in range(COL["rate"], COL["flags"]):
        widths.fix(column, 13)
    column_widths = widths.widths()
    column_widths[1] = max(column_widths.get(1, 0), 30)
    sheet.widths(column_widths)
    sheet.freeze(f"B{first}")
    sheet.autofilter(f"A{header_row}:{LETTER['flags']}{last}")
    sheet.print_setup(header_row, header_row, ctx.title)
    sheet.protect()


def _scope(book: Book, sheet: Sheet, layout: CostLayout, ctx: WorkbookContext) -> None:
    """The scope inputs (named), agent hours a month, the in-house TCO, and the price
    formula with the lowest and highest TCO it compares against."""
    scope = ctx.doc["evaluation"]["scope"]
    sheet.header(layout.scope_header, ["Scope", "Value", "Note"])
    for label, field, name, fmt, default in SCOPE_INPUTS:
        row = layout.scope_rows[field]
        sheet.text(row, 1, label)
        given = scope.get(field)
        # The engine's default where the scope leaves one out, so that the sheet computes
        # what the engine did.
        sheet.input(row, 2, given if given is not None else default, fmt)
        book.define_name(name, sheet, f"B{row}")
        note = SCOPE_NOTES.get(field, "")
        if given is None and default is not None:
            note = f"{note + '; ' if note else ''}not set: the default"
        if note:
            sheet.text(row, 3, note, NOTE)
    _inhouse_check(sheet, layout, scope.get("inhouse_rate"))
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
    _price_formula(book, sheet, layout, ctx)


def _inhouse_check(sheet: Sheet, layout: CostLayout, rate: float | None) -> None:
    lo_in, hi_in = INHOUSE_RATE_RANGE
    benchmark = f" the market benchmark for in-house, ${lo_in:g}-{hi_in:g}"
    sheet.formula(
        layout.scope_rows["inhouse_rate"],
        3,
        f"=IF(ISNUMBER(InhouseRate),IF(OR(InhouseRate<{lo_in:g},InhouseRate>{hi_in:g}),"
        f'"outside","within")&"{benchmark}","")',
        "" if rate is None else ("outside" if not lo_in <= rate <= hi_in else "within") + benchmark,
        NOTE,
    )


def _price_formula(book: Book, sheet: Sheet, layout: CostLayout, ctx: WorkbookContext) -> None:
    """The evaluation's price formula (its rule, not an input), the zero multiple of the
    logarithmic one (an input), and the lowest and highest TCO compared."""
    ev = ctx.doc["evaluation"]
    formula, multiple = ev["price_formula"], ev["price_zero_multiple"]
    # The name runs on into the empty value cell; the rule is the note.
    sheet.text(layout.formula_row, 1, f"Price formula: {price_formula_name(formula)}", BOLD)
    sheet.text(layout.formula_row, 3, price_formula_rule(formula), NOTE)
    if layout.zero_multiple_row is not None:
        sheet.text(layout.zero_multiple_row, 1, "Price zero multiple (A)")
        sheet.input(layout.zero_multiple_row, 2, multiple, "0.00")
        book.define_name("PriceZeroMultiple", sheet, f"B{layout.zero_multiple_row}")
        sheet.text(layout.zero_multiple_row, 3, "a TCO A times the lowest scores 0", NOTE)
    first, last = _vendor_range(layout)
    compared = f"{LETTER['compared']}{first}:{LETTER['compared']}{last}"
    tcos = f"{LETTER['tco']}{first}:{LETTER['tco']}{last}"
    result = ctx.result
    pool = "over the qualified vendors with a price (every vendor with a price when none qualifies)"
    for row, name, function, value, word, note in (
        (layout.lowest_row, "LowestTCO", "MIN", result.min_tco, "Lowest", pool),
        (layout.highest_row, "HighestTCO", "MAX", result.max_tco, "Highest", ""),
    ):
        sheet.text(row, 1, f"{word} TCO compared", BOLD)
        sheet.formula(
            row,
            2,
            f"=IF(COUNT({compared})>0,{function}({compared}),"
            f'IF(COUNT({tcos})>0,{function}({tcos}),""))',
            "" if value is None else value,
            BOLD + MONEY_STYLE,
        )
        book.define_name(name, sheet, f"B{row}")
        if note:
            sheet.text(row, 3, note, NOTE)


def _vendor_range(layout: CostLayout) -> tuple[int, int]:
    first = layout.header_row + 1
    return first, max(first, layout.header_row + len(layout.rows))


def _scope_figures(scope: dict[str, Any]) -> tuple[FormulaValue, FormulaValue]:
    """Agent hours a month and the in-house TCO as the sheet's formulas give them on the
    inputs as written (the engine's defaults where the scope is silent; a blank input
    counts as 0, as in a spreadsheet)."""

    def given(field: str) -> float:
        value = scope.get(field)
        if value is None:
            value = next(d for _l, f, _n, _fmt, d in SCOPE_INPUTS if f == field)
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


def _vendor_row(
    sheet: Sheet,
    row: int,
    vendor: VendorResult,
    ctx: WorkbookContext,
    lines: LinesLayout | None = None,
) -> None:
    """Name, status and price inputs, then every figure as a formula (the monthly charge
    of a price with rate lines over its parts below the table)."""
    vendor_doc = ctx.vendor_doc(vendor.key)
    sheet.text(row, COL["vendor"], vendor.name)
    if vendor_doc["model"]:
        sheet.text(row, COL["model"], DeliveryModel(vendor_doc["model"]).label)
    sheet.text(row, COL["status"], status_of(vendor))
    pricing = vendor_doc["pricing"] or {}
    model = pricing.get("model")
    sheet.choice_input(
        row, COL["pricing"], PricingModel(model).label if model else None, PRICING_LABELS
    )
    rate_format = MONEY if model == PricingModel.PER_FTE_MONTH else MONEY_2
    sheet.input(row, COL["rate"], pricing.get("rate"), rate_format)
    sheet.input(row, COL["setup"], pricing.get("setup_fee"), MONEY)
    sheet.input(row, COL["monthly_fee"], pricing.get("monthly_fee"), MONEY)
    rate_range = RATE_RANGES.get(vendor.delivery_model or "")
    if rate_range is not None:
        sheet.number(row, COL["low"], rate_range[0], MONEY_STYLE)
        sheet.number(row, COL["high"], rate_range[1], MONEY_STYLE)
    price_formula = ctx.doc["evaluation"]["price_formula"]
    for column, formula, value, fmt in cost_formulas(row, vendor, price_formula):
        if column == COL["charge"] and lines is not None and vendor.key in lines.parts:
            formula = formula.replace(single_rate_charge(row), charge_formula(lines, vendor.key), 1)
        sheet.formula(row, column, formula, value, number_format(fmt) if fmt else PLAIN)
    messages = [f.message for f in vendor.flags if f.kind in COST_FLAGS]
    if lines is not None and vendor.key in lines.parts:
        messages.insert(0, "Rate lines: the monthly charge sums the parts below the table")
    if not pricing:
        messages.insert(0, "No price: scores 0 on cost")
    if messages:
        text = "\n".join(messages)
        sheet.text(row, COL["flags"], text, WRAP)
        sheet.grow(row, text, 60)
