"""A vendor quotes rate lines and volume tiers through its portal: stored as the scenario
file writes them, shown back, and every bad row named with nothing written."""

from __future__ import annotations

from tests.areas.intake.test_portal_lifecycle import FULL


def test_a_vendor_quotes_rate_lines_and_a_tier(client, world):
    token = world.link("alpha")
    data = {
        **FULL,
        "rate_lines": "voice, en, 14\nvoice, es, 16\nchat, any, 11",
        "volume_tiers": "20000, 5%",
    }
    assert client.post(f"/portal/{token}", data=data).status_code == 302
    assert world.response("alpha")["pricing"] == {
        "model": "per_hour",
        "rate": 16.5,
        "setup_fee": 25000,
        "monthly_fee": 2000,
        "lines": [
            {"channel": "voice", "language": "en", "rate": 14},
            {"channel": "voice", "language": "es", "rate": 16},
            {"channel": "chat", "language": None, "rate": 11},
        ],
        "tiers": [{"above_contacts": 20000, "discount_pct": 5}],
    }
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    assert "voice, es, 16" in page and "20000, 5%" in page


def test_a_bad_row_refuses_the_whole_save(client, world):
    token = world.link("alpha")
    client.post(f"/portal/{token}", data=FULL)
    before = world.snapshot()
    refused = client.post(
        f"/portal/{token}",
        data={
            **FULL,
            "answer_timezone": "changed",
            "rate_lines": "voice, en, 14\nvoice, en, 15\nchat, fr",
            "volume_tiers": "20000, 120%",
        },
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Row 3: write channel, language, rate (three parts)." in html
    assert "Row 1: discount pct must be a number &gt;= 0 and &lt;= 100." in html
    assert world.snapshot() == before
