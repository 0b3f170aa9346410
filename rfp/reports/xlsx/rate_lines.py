"""The Cost sheet's rate lines: for a vendor that quoted rates per channel and language
(or volume tiers), one row per part of the volume and a row for its tiers, below the
vendor table, all live.

Each part's share of the contacts and its rate are inputs; its charge is the share times
the pricing model's charge for the whole volume at that rate; the tiers row takes off
what the tiers do (marginal bands over ContactsPerMonth); the vendor's monthly charge in
the table is the sum of its parts less its tiers. So changing the volume, the handle
time, a share or a rate moves the vendor's TCO and cost score as the engine would
(rfp.domain.scoring.cost.charge_lines and tier_discount, case for case). A part no rate
line covers reads the vendor's single rate from the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import PricingModel
from rfp.reports.xlsx.book import Sheet
from rfp.reports.xlsx.cells import BOLD, MONEY, MONEY_2, NOTE, PERCENT, number_format
from rfp.reports.xlsx.context import WorkbookContext
from rfp.reports.xlsx.cost_model import LETTER

HEADERS = (
    "Vendor",
    "Channel",
    "Language",
    "Share of contacts",
    "Rate",
    "Agent hours",
    "Monthly charge",
    "From",
)
ANY = "any"


@dataclass(frozen=True)
class LinesLayout:
    header_row: int
    parts: dict[str, tuple[int, int]]  # vendor key -> first and last row of its parts
    tiers: dict[str, int]  # vendor key -> its tiers row


def has_lines(vendor: VendorResult) -> bool:
    return vendor.cost is not None and bool(vendor.cost.charge_lines)


def lines_layout(ctx: WorkbookContext, first_row: int) -> LinesLayout | None:
    """Where each vendor's parts go, from `first_row` (the block's title); None when no
    vendor quoted rate lines or tiers."""
    vendors = [v for v in ctx.vendors if has_lines(v)]
    if not vendors:
        return None
    row = first_row + 2
    parts: dict[str, tuple[int, int]] = {}
    tiers: dict[str, int] = {}
    for vendor in vendors:
        assert vendor.cost is not None
        count = len(vendor.cost.charge_lines)
        parts[vendor.key] = (row + 1, row + count)
        tiers[vendor.key] = row + count + 1
        row += count + 1
    return LinesLayout(first_row + 2, parts, tiers)


def flat_charge(pricing_cell: str, rate: str) -> str:
    """The pricing model's charge for the whole volume at `rate` (cost.flat_charge)."""
    hour, contact, fte = (m.label for m in PricingModel)
    return (
        f'IF({pricing_cell}="{hour}",AgentHoursPerMonth*{rate},'
        f'IF({pricing_cell}="{contact}",ContactsPerMonth*{rate},'
        f'IF({pricing_cell}="{fte}",AgentHoursPerMonth/FTEHoursPerMonth*{rate},0)))'
    )


def charge_formula(layout: LinesLayout, vendor_key: str) -> str:
    """The vendor table's monthly charge: its parts less its tiers."""
    first, last = layout.parts[vendor_key]
    return f"SUM(G{first}:G{last})-G{layout.tiers[vendor_key]}"


def write_lines(
    sheet: Sheet, layout: LinesLayout, ctx: WorkbookContext, vendor_rows: dict[str, int]
) -> None:
    sheet.text(layout.header_row - 2, 1, "Rate lines and volume tiers", BOLD)
    sheet.text(
        layout.header_row - 1,
        1,
        "One row per part of the volume (a channel in a language, from the scope's mix). "
        "Shares and rates are inputs; a rate line covering several parts repeats its rate. "
        "The table's monthly charge is the sum of a vendor's parts less its tiers.",
        NOTE,
    )
    sheet.header(layout.header_row, HEADERS)
    for vendor in ctx.vendors:
        if vendor.key not in layout.parts:
            continue
        assert vendor.cost is not None
        row = vendor_rows[vendor.key]
        pricing_cell = f"${LETTER['pricing']}${row}"
        single_rate = f"${LETTER['rate']}${row}"
        first, _last = layout.parts[vendor.key]
        for i, part in enumerate(vendor.cost.charge_lines):
            r = first + i
            sheet.text(r, 1, vendor.name)
            sheet.text(r, 2, part.channel or ANY)
            sheet.text(r, 3, part.language or ANY)
            sheet.input(r, 4, part.share, PERCENT)
            if part.from_line:
                sheet.input(r, 5, part.rate, MONEY_2)
            else:
                sheet.formula(r, 5, f"={single_rate}", part.rate, number_format(MONEY_2))
            sheet.formula(r, 6, f"=AgentHoursPerMonth*D{r}", part.hours, number_format("#,##0.0"))
            sheet.formula(
                r, 7, f"=D{r}*{flat_charge(pricing_cell, f'E{r}')}", part.charge,
                number_format(MONEY),
            )  # fmt: skip
            sheet.text(r, 8, "rate line" if part.from_line else "single rate", NOTE)
        pricing = ctx.vendor_doc(vendor.key)["pricing"] or {}
        tiers = [
            (float(t["above_contacts"]), t.get("discount_pct"), t.get("rate"))
            for t in pricing.get("tiers") or ()
        ]
        _tiers_row(sheet, layout, vendor, pricing_cell, tiers)


def _tiers_row(
    sheet: Sheet,
    layout: LinesLayout,
    vendor: VendorResult,
    pricing_cell: str,
    tiers: list[tuple[float, float | None, float | None]],
) -> None:
    """The tiers' discount: for each tier, the share of ContactsPerMonth between its
    threshold and the next one's, times its discount of the parts' sum (or the parts'
    sum less the charge at its rate)."""
    assert vendor.cost is not None
    r = layout.tiers[vendor.key]
    first, last = layout.parts[vendor.key]
    full = f"SUM(G{first}:G{last})"
    tiers = sorted(tiers, key=lambda t: t[0])
    terms, words = [], []
    for i, (above, pct, rate) in enumerate(tiers):
        upper = (
            f"MIN(ContactsPerMonth,{tiers[i + 1][0]:g})"
            if i + 1 < len(tiers)
            else "ContactsPerMonth"
        )
        band = f"MAX(0,{upper}-{above:g})/ContactsPerMonth"
        if pct is not None:
            terms.append(f"{band}*{full}*{pct:g}/100")
            words.append(f"{pct:g} % off above {above:,.0f}")
        elif rate is not None:
            terms.append(f"{band}*({full}-{flat_charge(pricing_cell, f'{rate:g}')})")
            words.append(f"${rate:g} above {above:,.0f}")
    sheet.text(r, 1, vendor.name)
    sheet.text(r, 2, "Volume tiers")
    sheet.text(r, 3, "; ".join(words) or "none", NOTE)
    sheet.formula(
        r, 7, "=" + ("+".join(terms) or "0"), vendor.cost.tier_discount, number_format(MONEY)
    )
    sheet.text(r, 8, "taken off the month", NOTE)
