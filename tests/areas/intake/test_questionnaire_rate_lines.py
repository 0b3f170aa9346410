"""Rate lines and volume tiers in the Excel questionnaire: the Rate lines and Volume tiers
sheets, prefilled from the response, read back by the scenario file's rules with every
bad row named by sheet and cell, imported through the portal and the lead's upload to
the same price as typed on the portal form; an older questionnaire (format 1, without
those sheets) still imports and keeps the lines the response has."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.areas.intake.content import (
    Pricing,
    QuestionnaireSpec,
    QuestionSpec,
    ResponseContent,
    spec_from_scenario,
)
from rfp.areas.intake.parse import QuestionnaireError, parse_questionnaire, read_questionnaire
from rfp.areas.intake.questionnaire import build_questionnaire
from rfp.domain.scoring import score_evaluation
from rfp.domain.vocabulary import QuestionKind
from rfp.models.adapter import load_scoring_input
from tests.areas.intake.test_portal_lifecycle import FULL
from tests.areas.intake.test_questionnaire_upload import _download, _upload, _vendor_url
from tests.fixtures.intake_workbooks import fill
from tests.fixtures.intake_world import open_scenario

FORMAT_1 = Path(__file__).parents[2] / "fixtures" / "questionnaire_format1.xlsx"

# One price, typed three ways: on the portal form, and in the questionnaire's tables.
PRICE = {"pricing_model": "per_hour", "rate": 16.5, "setup_fee": 25000, "monthly_fee": 2000}
LINES_TEXT = "chat, en, 12\nchat, , 11\n, es, 15"
TIERS_TEXT = "15000, 10%\n18000, 20%"
LINES = [("chat", "en", 12), ("chat", None, 11), (None, "es", 15)]
TIERS = [(15000, 10, None), (18000, 20, None)]
STORED = {
    "model": "per_hour",
    "rate": 16.5,
    "setup_fee": 25000,
    "monthly_fee": 2000,
    "lines": [
        {"channel": "chat", "language": "en", "rate": 12},
        {"channel": "chat", "language": None, "rate": 11},
        {"channel": None, "language": "es", "rate": 15},
    ],
    "tiers": [
        {"above_contacts": 15000, "discount_pct": 10},
        {"above_contacts": 18000, "discount_pct": 20},
    ],
}
# The world's scope: 20,000 contacts a month, 6 minutes, occupancy 0.8, 24 months, no
# governance overhead, channels email and chat, languages en and es, no mix (so split
# evenly). H = 20,000 * 6 / 60 / 0.8 = 2,500 agent-hours, four parts of 25 % = 625 h:
#   chat in en:  the chat-and-en line, 12      ->  7,500
#   chat in es:  the chat line (any language), 11 ->  6,875
#   email in es: the es line (any channel), 15   ->  9,375
#   email in en: no line, the single rate 16.5   -> 10,312.50;   together 34,062.50.
# Tiers are marginal: contacts 15,000 to 18,000 (15 % of 20,000) 10 % off, above 18,000
# (10 %) 20 % off: 34,062.50 * (0.15 * 0.10 + 0.10 * 0.20) = 1,192.1875 off, so the month
# costs 32,870.3125. TCO = 25,000 + 24 * (32,870.3125 + 2,000) = 861,887.5.
MONTHLY_CHARGE = 32_870.3125
TCO = 861_887.5


def _load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _older(data: bytes) -> bytes:
    """The questionnaire as format 1 wrote it: no Rate lines and Volume tiers sheets."""
    wb = _load(data)
    del wb["Rate lines"]
    del wb["Volume tiers"]
    wb["rfp_keys"]["B2"] = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cost(world: Any, vendor: str) -> Any:
    with world.db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, world.evaluation)))
    return next(v for v in result.vendors if v.key == vendor).cost


def _typed_on_the_portal(client: Any, world: Any, vendor: str = "alpha") -> str:
    token = world.link(vendor)
    data = {**FULL, "rate_lines": LINES_TEXT, "volume_tiers": TIERS_TEXT}
    assert client.post(f"/portal/{token}", data=data).status_code == 302
    return token


def _errors(data: bytes, spec: Any) -> list[str]:
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(data, spec)
    return refused.value.errors


@pytest.fixture
def spec(make_scenario: Any) -> QuestionnaireSpec:
    return spec_from_scenario(open_scenario(make_scenario), "alpha", evaluation_id=41)


# -- the workbook, on plain data --------------------------------------------------------------


def test_lines_and_tiers_read_back_as_they_were_written(spec):
    content = ResponseContent(
        answers={"timezone": "Full overlap"},
        pricing=Pricing(
            model="per_contact",
            rate=4.2,
            setup_fee=0,
            monthly_fee=150.75,
            lines=(
                {"channel": "chat", "language": "en", "rate": 3.15},
                {"channel": "email", "language": None, "rate": 2},
                {"channel": None, "language": "es", "rate": 4.75},
            ),
            tiers=(
                {"above_contacts": 25000, "discount_pct": 7.5},
                {"above_contacts": 10000, "discount_pct": 4},
            ),
        ),
    )
    data = build_questionnaire(spec, content)
    assert parse_questionnaire(data, spec) == content
    lines, tiers = _load(data)["Rate lines"], _load(data)["Volume tiers"]
    assert [[c.value for c in row] for row in lines.iter_rows(min_row=4, max_row=7)] == [
        ["chat", "en", 3.15],
        ["email", None, 2],
        [None, "es", 4.75],
        [None, None, None],
    ]
    assert [[c.value for c in row] for row in tiers.iter_rows(min_row=4, max_row=5)] == [
        [25000, 7.5, None],
        [10000, 4, None],
    ]


def test_tiers_at_a_rate_read_back_as_they_were_written(spec):
    # Without rate lines a tier may give a rate in place of the single rate.
    content = ResponseContent(
        pricing=Pricing(
            model="per_hour",
            rate=16,
            tiers=(
                {"above_contacts": 10000, "rate": 15.5},
                {"above_contacts": 25000, "rate": 14},
            ),
        ),
    )
    assert parse_questionnaire(build_questionnaire(spec, content), spec) == content


def test_a_response_with_more_lines_than_the_table_gets_room_for_them_all(spec):
    # 35 lines: more than the 30 rows of a fresh questionnaire, so 35 + 10 spare rows.
    lines = tuple({"channel": f"channel {i}", "language": None, "rate": i} for i in range(35))
    content = ResponseContent(pricing=Pricing(model="per_hour", rate=20, lines=lines))
    data = build_questionnaire(spec, content)
    assert _load(data)["Rate lines"].max_row == 3 + 45
    assert parse_questionnaire(data, spec).pricing.lines == lines


def test_a_vendor_fills_the_tables_of_a_fresh_questionnaire(spec):
    data = fill(
        build_questionnaire(spec),
        pricing=PRICE,
        lines=[("chat", "en", 12), (None, None, None), ("chat", "any", "11"), ("", "es", 15)],
        tiers=[(None, None, None), ("15000", 10, None), (18000, 20, None)],
    )
    pricing = parse_questionnaire(data, spec).pricing
    # Empty rows skipped; "any" and an empty cell alike mean any; numbers typed as text
    # read as numbers, whole ones as ints.
    assert [dict(line) for line in pricing.lines] == STORED["lines"]
    assert [dict(tier) for tier in pricing.tiers] == STORED["tiers"]


def test_a_discount_typed_as_a_percentage_reads_as_the_percentage_shown(spec):
    def percent(wb: Any) -> None:
        cell = wb["Volume tiers"]["B4"]
        cell.value = 0.075  # "7.5%" typed into the cell: Excel keeps 0.075, shown as 7.5 %
        cell.number_format = "0.0%"

    data = fill(build_questionnaire(spec), pricing=PRICE, tiers=[(20000,)], edit=percent)
    assert parse_questionnaire(data, spec).pricing.tiers == (
        {"above_contacts": 20000, "discount_pct": 7.5},
    )


def test_every_bad_row_is_named_by_sheet_and_cell_at_once(spec):
    data = fill(
        build_questionnaire(spec),
        pricing=PRICE,
        lines=[
            ("chat", "en", 12),
            ("email", "en", -1),  # row 5
            ("chat", "en", 13),  # row 6: chat in en again
            (None, None, 9),  # row 7: neither channel nor language
            ("voice", None, "about ten"),  # row 8
            ("email", None, "=12*1.1"),  # row 9: a formula
            ("x" * 81, None, 10),  # row 10
            ("chat", None, None),  # row 11: no rate
        ],
        tiers=[
            (15000, 120, None),  # row 4
            (15000, 5, None),  # row 5: the same threshold
            (30000, 5, 10),  # row 6: both
            (None, 5, None),  # row 7: no threshold
            (40000, None, 14),  # row 8: a rate, with rate lines
        ],
    )
    assert _errors(data, spec) == [
        "Rate lines!C5: rate must be a number >= 0 and <= 1,000,000",
        "Rate lines!A6:B6: the line repeats the channel and language of row 4",
        "Rate lines!A7:B7: the line must name a channel or a language "
        "(the single rate covers the rest)",
        "Rate lines!C8: rate must be a number >= 0 and <= 1,000,000",
        "Rate lines!C9: rate: type the number itself, not a formula (=12*1.1)",
        "Rate lines!A10: channel must be at most 80 characters",
        "Rate lines!C11: rate is required",
        "Volume tiers!B4: discount pct must be a number >= 0 and <= 100",
        "Volume tiers!A5: above contacts repeats the threshold of row 4",
        "Volume tiers!B6:C6: the tier must give one of discount pct and rate, not both",
        "Volume tiers!A7: above contacts is required",
        "Volume tiers!C8: with rate lines, give the tier as discount pct off every rate",
    ]


def test_a_tier_rate_is_checked_against_the_single_rate_on_the_pricing_sheet(spec):
    data = fill(build_questionnaire(spec), pricing=PRICE, tiers=[(20000, None, 17)])
    assert _errors(data, spec) == ["Volume tiers!C4: rate must be at most the single rate (16.5)"]


def test_text_that_looks_like_a_formula_in_a_channel_is_text(spec):
    # openpyxl, like Excel, stores a typed "=..." as a formula.
    typed = '=HYPERLINK("http://evil.example","chat")'
    data = fill(build_questionnaire(spec), pricing=PRICE, lines=[(typed, "en", 12)])
    assert _load(data)["Rate lines"]["A4"].data_type == "f"
    content = parse_questionnaire(data, spec)
    assert content.pricing.lines == ({"channel": typed, "language": "en", "rate": 12},)
    # Downloaded again, prefilled: a text cell, never a formula.
    again = build_questionnaire(spec, content)
    cell = _load(again)["Rate lines"]["A4"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (typed, "s", True)
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert all(b"<f>" not in z.read(n) for n in z.namelist() if n.endswith(".xml"))


def test_channels_that_cannot_stand_in_a_drop_down_are_limited_in_length_only(spec):
    from dataclasses import replace

    odd = replace(spec, channels=('chat","x', "email"), languages=())
    rules = _load(build_questionnaire(odd))["Rate lines"].data_validations.dataValidation
    assert [(dv.type, dv.formula1) for dv in rules] == [
        ("textLength", "80"),
        ("textLength", "80"),
        ("decimal", "0"),
    ]


def test_a_format_1_questionnaire_still_reads_and_says_nothing_of_lines():
    """The fixture was written by the format-1 writer (rfp/areas/intake/questionnaire.py
    before the Rate lines and Volume tiers sheets) for this spec, prefilled."""
    spec = QuestionnaireSpec(
        evaluation_id=41,
        title="Customer service outsourcing 2027",
        vendor_key="alpha",
        vendor_name="Alpha CX",
        deadline=None,
        scope=(("Channels", "email, chat"),),
        questions=(
            QuestionSpec(key="timezone", criterion="Cultural fit", text="Time zone overlap"),
            QuestionSpec(
                key="soc2", criterion="Compliance", text="SOC 2 Type II", kind=QuestionKind.KNOCKOUT
            ),
        ),
    )
    data = FORMAT_1.read_bytes()
    assert _load(data).sheetnames == [
        "Instructions",
        "Questions",
        "Knockouts",
        "Pricing",
        "rfp_keys",
    ]
    parsed = read_questionnaire(data, spec)
    assert not parsed.has_price_lines
    assert parsed.content == ResponseContent(
        answers={"timezone": "Full overlap, Central time"},
        knockouts={"soc2": True},
        pricing=Pricing(model="per_hour", rate=16.5, setup_fee=25000, monthly_fee=2000),
    )


def test_a_format_2_questionnaire_without_its_tables_is_refused(spec):
    def drop(wb: Any) -> None:
        del wb["Volume tiers"]

    data = fill(build_questionnaire(spec), edit=drop)
    assert _errors(data, spec) == ["Volume tiers: the sheet is missing"]


# -- through the app -------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["portal", "lead"])
def test_the_tables_price_the_vendor_as_the_portal_form_does(client, auth, world, route):
    _typed_on_the_portal(client, world, "alpha")
    if route == "portal":
        token = world.link("beta")
        blank = client.get(f"/portal/{token}/questionnaire.xlsx").data
        url = f"/portal/{token}/upload"
    else:
        auth.login("lena")
        blank = _download(client, world, "beta")
        url = f"{_vendor_url(world, 'beta')}/upload"
    filled = fill(blank, pricing=PRICE, lines=LINES, tiers=TIERS)
    assert _upload(client, url, filled).status_code == 302
    assert world.response("alpha")["pricing"] == STORED
    assert world.response("beta")["pricing"] == STORED
    typed, imported = _cost(world, "alpha"), _cost(world, "beta")
    assert imported.monthly_charge == pytest.approx(MONTHLY_CHARGE)
    assert imported.tco == pytest.approx(TCO)
    assert (typed.monthly_charge, typed.tco) == (imported.monthly_charge, imported.tco)
    with world.db.transaction() as s:
        event = s.scalars(
            select(m.AuditEvent)
            .where(m.AuditEvent.action == "response.imported")
            .order_by(m.AuditEvent.id.desc())
        ).first()
    assert (event.new["rate_lines"], event.new["volume_tiers"]) == (3, 2)


def test_the_vendor_s_download_is_prefilled_and_re_imports_to_the_same_price(client, world):
    token = _typed_on_the_portal(client, world)
    download = client.get(f"/portal/{token}/questionnaire.xlsx").data
    rows = _load(download)["Rate lines"].iter_rows(min_row=4, max_row=6, values_only=True)
    assert list(rows) == [("chat", "en", 12), ("chat", None, 11), (None, "es", 15)]
    # The vendor changes an answer only: its lines and tiers come back with the upload.
    changed = fill(download, answers={"timezone": "Partial overlap"})
    assert _upload(client, f"/portal/{token}/upload", changed).status_code == 302
    assert world.response("alpha")["pricing"] == STORED
    assert world.response("alpha")["answers"]["timezone"] == "Partial overlap"


@pytest.mark.parametrize("route", ["portal", "lead"])
def test_bad_rows_are_refused_by_cell_and_nothing_is_written(client, auth, world, route):
    token = _typed_on_the_portal(client, world)
    if route == "portal":
        url, blank = f"/portal/{token}/upload", client.get(f"/portal/{token}/questionnaire.xlsx")
        blank = blank.data
    else:
        auth.login("lena")
        url, blank = f"{_vendor_url(world)}/upload", _download(client, world)
    bad = fill(
        blank,
        answers={"timezone": "changed"},
        pricing=PRICE,
        lines=[("chat", "en", 12), ("chat", "en", -3)],
        tiers=[(15000, 10, 9)],
    )
    before = world.snapshot()
    refused = _upload(client, url, bad)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True).replace("&gt;", ">").replace("&lt;", "<")
    assert "The workbook was not imported; nothing was changed." in page
    for expected in (
        "Rate lines!A5:B5: the line repeats the channel and language of row 4",
        "Rate lines!C5: rate must be a number >= 0 and <= 1,000,000",
        "Volume tiers!B4:C4: the tier must give one of discount pct and rate, not both",
    ):
        assert expected in page
    assert world.snapshot() == before


def test_an_older_questionnaire_imports_and_keeps_the_lines_the_response_has(client, world):
    token = _typed_on_the_portal(client, world)
    older = _older(client.get(f"/portal/{token}/questionnaire.xlsx").data)
    changed = fill(older, answers={"timezone": "Partial overlap"}, pricing={"setup_fee": 20000})
    done = _upload(client, f"/portal/{token}/upload", changed)
    assert done.status_code == 302
    assert world.response("alpha")["pricing"] == {**STORED, "setup_fee": 20000}
    assert world.response("alpha")["answers"]["timezone"] == "Partial overlap"
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    assert "Your rate lines and volume tiers were kept as they were" in page


def test_an_older_questionnaire_imports_as_before_for_the_lead(client, auth, world):
    auth.login("lena")
    older = _older(_download(client, world))
    done = _upload(client, f"{_vendor_url(world)}/upload", fill(older, pricing=PRICE))
    assert done.status_code == 302
    assert world.response("alpha")["pricing"] == {
        "model": "per_hour",
        "rate": 16.5,
        "setup_fee": 25000,
        "monthly_fee": 2000,
    }
    page = client.get(_vendor_url(world)).get_data(as_text=True)
    assert "It is an older questionnaire, without the Rate lines and Volume tiers sheets" in page


def test_the_lead_s_older_questionnaire_replaces_the_lines_and_reveals_nothing_sealed(
    client, auth, world
):
    # The vendor typed lines on the portal (sealed: the lead may not read them). The
    # lead's upload of an older questionnaire that changes the pricing model must not be
    # refused because of those lines (the refusal would tell the lead they exist): like
    # every answer of the response, they are replaced by the file's, which has none.
    _typed_on_the_portal(client, world)
    auth.login("lena")
    older = _older(_download(client, world))
    changed = fill(older, pricing={"pricing_model": "per_contact", "rate": 4})
    done = _upload(client, f"{_vendor_url(world)}/upload", changed)
    assert done.status_code == 302
    pricing = world.response("alpha")["pricing"]
    assert (pricing["model"], pricing["rate"]) == ("per_contact", 4)
    assert "lines" not in pricing and "tiers" not in pricing


def test_an_older_questionnaire_that_changes_the_pricing_model_under_the_lines_is_refused(
    client, world
):
    token = _typed_on_the_portal(client, world)
    older = _older(client.get(f"/portal/{token}/questionnaire.xlsx").data)
    # Per contact, the lines' hourly rates would mean something else: refused, not kept.
    changed = fill(older, pricing={"pricing_model": "per_contact", "rate": 4})
    before = world.snapshot()
    refused = _upload(client, f"/portal/{token}/upload", changed)
    assert refused.status_code == 422
    assert "This older questionnaire has no Rate lines and Volume tiers sheets" in (
        refused.get_data(as_text=True).replace("&#39;", "'")
    )
    assert world.snapshot() == before


def test_a_frozen_response_takes_no_questionnaire_with_lines(client, auth, world):
    from datetime import timedelta

    from rfp.core.db import utcnow

    token = _typed_on_the_portal(client, world)
    filled = fill(
        client.get(f"/portal/{token}/questionnaire.xlsx").data, lines=[("email", "en", 8)]
    )
    world.set(deadline=utcnow() - timedelta(minutes=5))
    before = world.snapshot()
    auth.login("lena")
    assert _upload(client, f"{_vendor_url(world)}/upload", filled).status_code == 422
    assert world.snapshot() == before
