"""Pricing beyond one rate: rate lines per channel and language over the scope's channel
and language mix, and volume tiers. Every figure worked by hand in a comment. A single
rate is priced exactly as before (tests/domain/scoring/test_cost.py, untouched)."""

from __future__ import annotations

import math

import pytest

from rfp.domain.scoring import CostScope, Pricing
from rfp.domain.scoring.cost import (
    charge_lines,
    cost_figures,
    hours_per_month,
    line_rate,
    monthly_charge,
    score_costs,
)
from rfp.domain.scoring.model import RateLine, VolumeTier

# 10,000 contacts a month at 6 minutes, occupancy 0.8:
# H = 10,000 * 6 / 60 / 0.8 = 1,000 / 0.8 = 1,250 agent-hours a month.
# Voice 60 % and chat 40 % of the contacts; English 75 %, Spanish 25 % on each channel.
SCOPE = CostScope(
    contacts_per_month=10_000,
    aht_minutes=6,
    term_months=12,
    channel_mix=(("voice", 0.6), ("chat", 0.4)),
    language_mix=(("en", 0.75), ("es", 0.25)),
)
LINES = (
    RateLine(rate=14, channel="voice", language="en"),
    RateLine(rate=16, channel="voice", language="es"),
    RateLine(rate=11, channel="chat"),
)
QUOTE = Pricing(model="per_hour", rate=20, setup_fee=5_000, monthly_fee=1_000, lines=LINES)


def test_each_part_of_the_volume_is_charged_at_its_most_specific_line():
    assert hours_per_month(SCOPE) == 1_250
    parts = {(p.channel, p.language): p for p in charge_lines(QUOTE, SCOPE, 1_250)}
    # voice English: 0.6 * 0.75 = 45 % of 1,250 h = 562.5 h at $14 = $7,875
    assert parts["voice", "en"].hours == pytest.approx(562.5)
    assert parts["voice", "en"].charge == pytest.approx(7_875)
    # voice Spanish: 0.6 * 0.25 = 15 % -> 187.5 h at $16 = $3,000
    assert parts["voice", "es"].charge == pytest.approx(3_000)
    # chat English: 30 % -> 375 h at $11 = $4,125; chat Spanish: 10 % -> 125 h * 11 = $1,375
    assert parts["chat", "en"].charge == pytest.approx(4_125)
    assert parts["chat", "es"].charge == pytest.approx(1_375)
    assert all(p.from_line for p in parts.values())
    # 7,875 + 3,000 + 4,125 + 1,375 = $16,375 a month (the single $20 rate is unused)
    assert monthly_charge(QUOTE, SCOPE, 1_250) == pytest.approx(16_375)


def test_the_tco_of_rate_lines_and_the_effective_rate():
    hours, charge, total, per_contact, rate, _inhouse, _range = cost_figures(QUOTE, SCOPE, None)
    # TCO = 5,000 + 12 * (16,375 + 1,000) = 5,000 + 208,500 = $213,500
    assert total == pytest.approx(213_500)
    # per contact: 213,500 / (12 * 10,000) = $1.779166...
    assert per_contact == pytest.approx(213_500 / 120_000)
    # effective rate: 16,375 / 1,250 h = $13.10 an agent-hour
    assert rate == pytest.approx(13.10)


def test_what_no_line_covers_is_at_the_single_rate():
    # Only a Spanish line ($18): English is at the single rate ($15) on both channels.
    quote = Pricing(model="per_hour", rate=15, lines=(RateLine(rate=18, language="es"),))
    # English 75 % of 1,250 h = 937.5 h * 15 = 14,062.5; Spanish 312.5 h * 18 = 5,625
    assert monthly_charge(quote, SCOPE, 1_250) == pytest.approx(19_687.5)
    assert line_rate(quote, "voice", "en") == (15, False)
    # A channel-and-language line beats a channel line, which beats a language line.
    mixed = Pricing(
        model="per_hour",
        rate=15,
        lines=(
            RateLine(rate=18, language="es"),
            RateLine(rate=12, channel="chat"),
            RateLine(rate=17, channel="chat", language="es"),
        ),
    )
    assert line_rate(mixed, "chat", "es") == (17, True)
    assert line_rate(mixed, "chat", "en") == (12, True)
    assert line_rate(mixed, "voice", "es") == (18, True)


def test_a_volume_tier_discounts_only_the_contacts_above_its_threshold():
    # 10 % off the contacts above 8,000 a month: 2,000 of 10,000 contacts = 20 % of the
    # volume; 20 % of $16,375 = 3,275, 10 % of that = $327.50 off.
    quote = Pricing(
        model="per_hour",
        rate=20,
        setup_fee=5_000,
        monthly_fee=1_000,
        lines=LINES,
        tiers=(VolumeTier(above_contacts=8_000, discount_pct=10),),
    )
    charge = monthly_charge(quote, SCOPE, 1_250)
    assert charge == pytest.approx(16_375 - 327.5)  # $16,047.50
    # TCO = 5,000 + 12 * (16,047.50 + 1,000) = 5,000 + 204,570 = $209,570
    assert cost_figures(quote, SCOPE, None)[2] == pytest.approx(209_570)


def test_tiers_are_marginal_bands_and_a_tier_rate_replaces_the_single_rate():
    # Per contact, $2.00; $1.80 from 4,000 contacts, $1.50 from 9,000, $1.00 from 50,000.
    # 10,000 contacts: 4,000 * 2.00 + 5,000 * 1.80 + 1,000 * 1.50 = 8,000 + 9,000 + 1,500
    # = $18,500 (the 50,000 tier never reached).
    quote = Pricing(
        model="per_contact",
        rate=2.0,
        tiers=(
            VolumeTier(above_contacts=9_000, rate=1.5),  # order given does not matter
            VolumeTier(above_contacts=4_000, rate=1.8),
            VolumeTier(above_contacts=50_000, rate=1.0),
        ),
    )
    assert monthly_charge(quote, SCOPE, 1_250) == pytest.approx(18_500)


def test_without_a_mix_in_the_scope_a_channel_line_never_applies():
    unsplit = CostScope(contacts_per_month=10_000, aht_minutes=6, term_months=12)
    # one part, the whole volume, at the single rate: 1,250 h * 20 = $25,000
    assert monthly_charge(QUOTE, unsplit, 1_250) == pytest.approx(25_000)
    (part,) = charge_lines(QUOTE, unsplit, 1_250)
    assert (part.channel, part.language, part.from_line) == (None, None, False)


def test_a_single_rate_has_no_breakdown_and_lines_show_in_the_result():
    results, _flags, low, high = score_costs(
        {
            "single": (
                Pricing(model="per_hour", rate=13.1, setup_fee=5_000, monthly_fee=1_000),
                None,
            ),
            "lines": (QUOTE, None),
        },
        {"single", "lines"},
        SCOPE,
        "lowest_ratio",
        2.0,
    )
    # 1,250 h * 13.10 = 16,375 a month: the same TCO as the lines, $213,500
    assert math.isclose(results["single"].tco, results["lines"].tco)
    assert results["single"].charge_lines == ()
    assert "charge_lines" not in results["single"].to_json()
    assert len(results["lines"].charge_lines) == 4
    assert results["lines"].to_json()["tier_discount"] == 0
