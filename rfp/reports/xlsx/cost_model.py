"""The cost model in spreadsheet terms: the Cost sheet's vendor columns, and the formula
of each figure over the scope's named inputs and the vendor's price inputs.

Each formula mirrors rfp.domain.scoring.cost case for case (the engine's figure is stored
beside it for readers that do not recalculate); tests/reports/test_workbook_recalc.py has
LibreOffice recalculate them to the engine's figures after changing inputs.
"""

from __future__ import annotations

from typing import NamedTuple

from xlsxwriter.utility import xl_col_to_name

from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, RATE_RANGES
from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import PriceFormula, PricingModel
from rfp.reports.xlsx.book import FormulaValue
from rfp.reports.xlsx.cells import MONEY, MONEY_2, SCORE
from rfp.reports.xlsx.context import QUALIFIED

# The vendor table, left to right: (key, header).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("vendor", "Vendor"),
    ("model", "Delivery model"),
    ("status", "Status"),
    ("pricing", "Pricing model"),
    ("rate", "Rate"),
    ("setup", "Setup fee"),
    ("monthly_fee", "Monthly fee"),
    ("charge", "Monthly charge"),
    ("effective", "Effective rate ($/agent-hour)"),
    ("low", "Benchmark low"),
    ("high", "Benchmark high"),
    ("rate_check", "Rate check"),
    ("tco", "TCO"),
    ("compared", "TCO compared (qualified, with a price)"),
    ("per_contact", "Cost per contact"),
    ("per_contact_check", "Per-contact check (${low:g}-{high:g})"),
    ("savings", "Savings vs in-house"),
    ("score", "Cost score (0-100)"),
    ("flags", "Flags (as generated)"),
)
COL = {key: i + 1 for i, (key, _label) in enumerate(COLUMNS)}
LETTER = {key: xl_col_to_name(i) for i, (key, _label) in enumerate(COLUMNS)}
# The scope's named inputs without which there is no cost model (the engine's rule).
REQUIRED = ("ContactsPerMonth", "AHTMinutes", "TermMonths")


class Computed(NamedTuple):
    column: int
    formula: str
    value: FormulaValue  # what the formula gives on the inputs as written
    number_format: str | None


def cost_formulas(row: int, vendor: VendorResult, price_formula: str) -> list[Computed]:
    """Every computed cell of a vendor's row, with the engine's figure as its value. A
    figure the engine has not (no price, or no cost model) is "" and the score 0, as the
    formulas give them."""
    c = {key: f"{letter}{row}" for key, letter in LETTER.items()}
    cost = vendor.cost
    lo_cpc, hi_cpc = COST_PER_CONTACT_RANGE
    rate_range = RATE_RANGES.get(vendor.delivery_model or "")
    charge, effective, tco, per_contact = c["charge"], c["effective"], c["tco"], c["per_contact"]

    def figure(value: FormulaValue | None) -> FormulaValue:
        return "" if cost is None or value is None else value

    return [
        Computed(
            COL["charge"],
            f"=IF(OR(COUNT({','.join(REQUIRED)})<{len(REQUIRED)},NOT(ISNUMBER({c['rate']}))),"
            f'"",{single_rate_charge(row)})',
            figure(cost.monthly_charge if cost else None),
            MONEY,
        ),
        Computed(
            COL["effective"],
            f'=IF(ISNUMBER({charge}),IF(AgentHoursPerMonth>0,{charge}/AgentHoursPerMonth,0),"")',
            figure(cost.effective_rate if cost else None),
            MONEY_2,
        ),
        Computed(
            COL["rate_check"],
            f"=IF(AND(ISNUMBER({c['low']}),ISNUMBER({effective})),IF({effective}<{c['low']},"
            f'"below range",IF({effective}>{c["high"]},"above range","within range")),"")',
            figure(_range_check(cost.effective_rate, rate_range, " range") if cost else None),
            None,
        ),
        Computed(
            COL["tco"],
            f"=IF(ISNUMBER({charge}),{c['setup']}+TermMonths*({charge}+{c['monthly_fee']})"
            '*(1+GovernanceOverheadPct/100),"")',
            figure(cost.tco if cost else None),
            MONEY,
        ),
        Computed(
            COL["compared"],
            f'=IF(AND($C{row}="{QUALIFIED}",ISNUMBER({tco})),{tco},"")',
            figure(cost.tco if cost and not vendor.disqualified else None),
            MONEY,
        ),
        Computed(
            COL["per_contact"],
            f'=IF(ISNUMBER({tco}),{tco}/(TermMonths*ContactsPerMonth),"")',
            figure(cost.cost_per_contact if cost else None),
            MONEY_2,
        ),
        Computed(
            COL["per_contact_check"],
            f'=IF(ISNUMBER({per_contact}),IF({per_contact}<{lo_cpc:g},"below",'
            f'IF({per_contact}>{hi_cpc:g},"above","within")),"")',
            figure(
                _range_check(cost.cost_per_contact, COST_PER_CONTACT_RANGE, "") if cost else None
            ),
            None,
        ),
        Computed(
            COL["savings"],
            f'=IF(AND(ISNUMBER(InhouseTCO),ISNUMBER({tco})),InhouseTCO-{tco},"")',
            figure(cost.savings if cost else None),
            MONEY,
        ),
        Computed(
            COL["score"],
            f"=IF(ISNUMBER({tco}),MIN(100,MAX(0,{price_points(price_formula, tco)})),0)",
            cost.score if cost else 0.0,
            SCORE,
        ),
    ]


def single_rate_charge(row: int) -> str:
    """The month's charge at the row's single rate, by its pricing model (a price with
    rate lines has the sum of its parts in its place: rfp.reports.xlsx.rate_lines)."""
    hour, contact, fte = (m.label for m in PricingModel)
    rate, pricing = f"{LETTER['rate']}{row}", f"{LETTER['pricing']}{row}"
    return (
        f'IF({pricing}="{hour}",AgentHoursPerMonth*{rate},'
        f'IF({pricing}="{contact}",ContactsPerMonth*{rate},'
        f'IF({pricing}="{fte}",AgentHoursPerMonth/FTEHoursPerMonth*{rate},"")))'
    )


def price_points(formula: str, tco: str) -> str:
    """The price formula in spreadsheet terms, before the clamp to 0..100: the points of
    the TCO in cell `tco` against LowestTCO and HighestTCO (rfp.domain.scoring.cost's
    `price_score`, case for case)."""
    if formula == PriceFormula.LINEAR:
        return f"IF(HighestTCO=LowestTCO,100,100*(HighestTCO-{tco})/(HighestTCO-LowestTCO))"
    ratio = {
        PriceFormula.LOWEST_RATIO: f"100*LowestTCO/{tco}",
        PriceFormula.DEVIATION: f"100*(1-({tco}-LowestTCO)/LowestTCO)",
        PriceFormula.LOG: f"100*(1-LN({tco}/LowestTCO)/LN(PriceZeroMultiple))",
    }[PriceFormula(formula)]
    # A free lowest offer under a ratio formula takes every point; anything dearer none.
    return f"IF(LowestTCO<=0,IF({tco}<=LowestTCO,100,0),{ratio})"


def _range_check(value: float, bounds: tuple[float, float] | None, suffix: str) -> str:
    if bounds is None:
        return ""
    low, high = bounds
    side = "below" if value < low else "above" if value > high else "within"
    return side + suffix
