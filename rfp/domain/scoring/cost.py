"""The cost model: agent hours, monthly charge, TCO, and the price-score formulas.

Formulas are DESIGN.md's "Cost" section. The four price formulas are the ones public
procurement uses to turn a price into points; each is clamped to [0, 100].
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from typing import Any

from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, RATE_RANGES
from rfp.domain.scoring.model import CostScope, PriceFormula, Pricing, Vendor
from rfp.domain.scoring.result import ChargeLine, CostResult, Flag, SplitCost, VendorShare

ABNORMALLY_LOW_BELOW_MEDIAN = 0.25  # a TCO more than 25 % below the others' median


def hours_per_month(scope: CostScope) -> float:
    """Agent hours a month: H = contacts * AHT / 60 / occupancy."""
    return scope.contacts_per_month * scope.aht_minutes / 60.0 / scope.occupancy


def flat_charge(model: str, rate: float, scope: CostScope, hours: float) -> float:
    """The month's charge for the whole volume at one rate, by pricing model."""
    if model == "per_hour":
        return hours * rate
    if model == "per_contact":
        return scope.contacts_per_month * rate
    if model == "per_fte_month":
        return hours / scope.fte_hours_per_month * rate
    raise ValueError(f"unknown pricing model {model!r}")


def is_flat(pricing: Pricing) -> bool:
    """A single rate for everything: priced exactly as before rate lines existed."""
    return not pricing.lines and not pricing.tiers


def line_rate(pricing: Pricing, channel: str | None, language: str | None) -> tuple[float, bool]:
    """The rate for a channel in a language, and whether a rate line gave it: the most
    specific matching line (channel and language, then channel, then language), else
    the single rate."""
    best: tuple[int, float] | None = None
    for line in pricing.lines:
        if line.channel not in (None, channel) or line.language not in (None, language):
            continue
        rank = 2 * (line.channel is not None) + (line.language is not None)
        if best is None or rank > best[0]:
            best = (rank, line.rate)
    return (pricing.rate, False) if best is None else (best[1], True)


def volume_parts(scope: CostScope) -> list[tuple[str | None, str | None, float]]:
    """(channel, language, share of the volume): the channel mix times the language mix
    (each language in the same proportion on every channel); one part when not split."""
    channels = scope.channel_mix or ((None, 1.0),)
    languages = scope.language_mix or ((None, 1.0),)
    return [(c, lang, cs * ls) for c, cs in channels for lang, ls in languages]


def charge_lines(pricing: Pricing, scope: CostScope, hours: float) -> tuple[ChargeLine, ...]:
    """Each part of the volume charged at its rate: a part's charge is the pricing
    model's charge for the whole volume at that rate, times the part's share (every
    model's charge is proportional to the volume)."""
    lines = []
    for channel, language, share in volume_parts(scope):
        rate, from_line = line_rate(pricing, channel, language)
        lines.append(
            ChargeLine(
                channel=channel,
                language=language,
                share=share,
                hours=hours * share,
                rate=rate,
                charge=share * flat_charge(pricing.model, rate, scope, hours),
                from_line=from_line,
            )
        )
    return tuple(lines)


def tier_discount(pricing: Pricing, scope: CostScope, hours: float, full: float) -> float:
    """What the volume tiers take off the month's charge `full`. Marginal: tier i prices
    the contacts between its threshold and the next tier's; the share of the volume in
    that band is charged `discount_pct` less, or at the tier's `rate` instead of the
    single rate."""
    contacts = scope.contacts_per_month
    tiers = sorted(pricing.tiers, key=lambda t: t.above_contacts)
    off = 0.0
    for i, tier in enumerate(tiers):
        upper = tiers[i + 1].above_contacts if i + 1 < len(tiers) else math.inf
        band = max(0.0, min(contacts, upper) - tier.above_contacts)
        fraction = band / contacts if contacts > 0 else 0.0
        if tier.discount_pct is not None:
            off += fraction * full * tier.discount_pct / 100.0
        elif tier.rate is not None:
            at_tier = flat_charge(pricing.model, tier.rate, scope, hours)
            off += fraction * (full - at_tier)
    return off


def monthly_charge(pricing: Pricing, scope: CostScope, hours: float) -> float:
    """The month's charge: the single rate on the whole volume, or the sum of the rate
    lines over the scope's channel and language mix less what the volume tiers take off."""
    if is_flat(pricing):
        return flat_charge(pricing.model, pricing.rate, scope, hours)
    full = math.fsum(line.charge for line in charge_lines(pricing, scope, hours))
    return full - tier_discount(pricing, scope, hours, full)


def tco(pricing: Pricing, scope: CostScope, charge: float) -> float:
    """setup + term * (monthly charge + monthly fee) * (1 + governance overhead)."""
    overhead = 1.0 + scope.governance_overhead_pct / 100.0
    return pricing.setup_fee + scope.term_months * (charge + pricing.monthly_fee) * overhead


def price_score(
    value: float, low: float, high: float, formula: PriceFormula, zero_multiple: float = 2.0
) -> float:
    """Points for a TCO given the lowest and highest qualifying TCOs, clamped to 0..100."""
    if formula == "linear":
        # No division by the lowest price: a free lowest offer is an ordinary minimum.
        raw = 100.0 if high == low else 100.0 * (high - value) / (high - low)
    elif low <= 0.0:
        # A free offer under a ratio formula: it takes every point, anything dearer is
        # infinitely worse.
        raw = 100.0 if value <= low else 0.0
    elif formula == "lowest_ratio":
        raw = 100.0 * low / value
    elif formula == "deviation":
        raw = 100.0 * (1.0 - (value - low) / low)
    elif formula == "log":
        raw = 100.0 * (1.0 - math.log(value / low) / math.log(zero_multiple))
    else:
        raise ValueError(f"unknown price formula {formula!r}")
    return min(100.0, max(0.0, raw))


def cost_figures(
    pricing: Pricing, scope: CostScope, delivery_model: str | None
) -> tuple[float, float, float, float, float, float | None, tuple[float, float] | None]:
    """(H, monthly charge, TCO, cost per contact, effective rate, in-house TCO, rate range)."""
    hours = hours_per_month(scope)
    charge = monthly_charge(pricing, scope, hours)
    total = tco(pricing, scope, charge)
    per_contact = total / (scope.term_months * scope.contacts_per_month)
    effective_rate = charge / hours if hours > 0 else 0.0
    inhouse = (
        scope.term_months * hours * scope.inhouse_rate if scope.inhouse_rate is not None else None
    )
    return (
        hours,
        charge,
        total,
        per_contact,
        effective_rate,
        inhouse,
        RATE_RANGES.get(delivery_model or ""),
    )


def score_costs(
    priced: Mapping[str, tuple[Pricing, str | None]],
    qualified: set[str],
    scope: CostScope,
    formula: PriceFormula,
    zero_multiple: float,
) -> tuple[dict[str, CostResult], dict[str, list[Flag]], float | None, float | None]:
    """Cost results and cost flags for every vendor with a price.

    `priced` maps vendor key -> (pricing, delivery model). min and max TCO are taken
    over qualified vendors with a price, or over all with a price if none qualifies.
    """
    figures = {key: cost_figures(p, scope, model) for key, (p, model) in priced.items()}
    tcos = {key: f[2] for key, f in figures.items()}
    pool = [t for key, t in tcos.items() if key in qualified] or list(tcos.values())
    low = min(pool) if pool else None
    high = max(pool) if pool else None

    results: dict[str, CostResult] = {}
    flags: dict[str, list[Flag]] = {}
    for key, (hours, charge, total, per_contact, rate, inhouse, rate_range) in figures.items():
        assert low is not None and high is not None
        others = [t for other, t in tcos.items() if other != key and other in qualified]
        median_others = statistics.median(others) if others else None
        abnormally_low = (
            key in qualified
            and median_others is not None
            and total < (1.0 - ABNORMALLY_LOW_BELOW_MEDIAN) * median_others
        )
        results[key] = CostResult(
            hours_per_month=hours,
            monthly_charge=charge,
            tco=total,
            cost_per_contact=per_contact,
            effective_rate=rate,
            inhouse_tco=inhouse,
            savings=None if inhouse is None else inhouse - total,
            score=price_score(total, low, high, formula, zero_multiple),
            rate_range=rate_range,
            abnormally_low=abnormally_low,
            **_breakdown(priced[key][0], scope, hours),
        )
        flags[key] = _cost_flags(results[key], priced[key][1], median_others)
    return results, flags, low, high


def _breakdown(pricing: Pricing, scope: CostScope, hours: float) -> dict[str, Any]:
    """The charge lines and tier discount of a price quoted with lines or tiers."""
    if is_flat(pricing):
        return {}
    lines = charge_lines(pricing, scope, hours)
    full = math.fsum(line.charge for line in lines)
    return {"charge_lines": lines, "tier_discount": tier_discount(pricing, scope, hours, full)}


def _cost_flags(
    cost: CostResult, delivery_model: str | None, median_others: float | None
) -> list[Flag]:
    flags: list[Flag] = []
    if cost.rate_range is not None:
        lo, hi = cost.rate_range
        if not lo <= cost.effective_rate <= hi:
            side = "below" if cost.effective_rate < lo else "above"
            flags.append(
                Flag(
                    "price_range",
                    f"Effective rate ${cost.effective_rate:,.2f}/agent-hour is {side} the "
                    f"{delivery_model} range ${lo:,.0f}-{hi:,.0f}",
                    detail={"effective_rate": cost.effective_rate, "range": [lo, hi]},
                )
            )
    lo, hi = COST_PER_CONTACT_RANGE
    if not lo <= cost.cost_per_contact <= hi:
        side = "below" if cost.cost_per_contact < lo else "above"
        flags.append(
            Flag(
                "cost_per_contact_range",
                f"Cost per contact ${cost.cost_per_contact:,.2f} is {side} the "
                f"${lo:,.0f}-{hi:,.0f} benchmark",
                detail={"cost_per_contact": cost.cost_per_contact, "range": [lo, hi]},
            )
        )
    if cost.abnormally_low:
        assert median_others is not None
        flags.append(
            Flag(
                "abnormally_low",
                f"TCO ${cost.tco:,.0f} is more than 25 % below the median of the other "
                f"qualified bids (${median_others:,.0f}): check the offer is sustainable",
                detail={"tco": cost.tco, "median_others": median_others},
            )
        )
    return flags


def split_cost(
    shares: Iterable[tuple[str, float]], vendors: Iterable[Vendor], scope: CostScope | None
) -> SplitCost | None:
    """The blended TCO of an award that divides the volume: each vendor is paid its set-up
    and monthly fees in full and its charge for its share of the contacts (every pricing
    model's charge is proportional to the volume), governance overhead on each:

        TCO_i = setup_i + term * (share_i * charge_i + fee_i) * (1 + overhead)
        blended TCO = sum of TCO_i;  cost per contact = blended / (term * contacts)

    None without shares, without a cost scope, or when an awarded vendor has no price.
    """
    shares = [(key, float(pct)) for key, pct in shares]
    pricing = {v.key: v.pricing for v in vendors}
    if not shares or scope is None or any(pricing.get(key) is None for key, _ in shares):
        return None
    hours = hours_per_month(scope)
    overhead = 1.0 + scope.governance_overhead_pct / 100.0
    parts = []
    for key, pct in shares:
        p = pricing[key]
        assert p is not None
        charge = monthly_charge(p, scope, hours) * pct / 100.0
        parts.append(
            VendorShare(
                vendor=key,
                share_pct=pct,
                monthly_charge=charge,
                tco=p.setup_fee + scope.term_months * (charge + p.monthly_fee) * overhead,
            )
        )
    total = math.fsum(part.tco for part in parts)
    inhouse = (
        scope.term_months * hours * scope.inhouse_rate if scope.inhouse_rate is not None else None
    )
    return SplitCost(
        shares=tuple(parts),
        tco=total,
        cost_per_contact=total / (scope.term_months * scope.contacts_per_month),
        inhouse_tco=inhouse,
        savings=None if inhouse is None else inhouse - total,
    )
