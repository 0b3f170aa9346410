"""The lead types rate lines and volume tiers into a vendor's response: stored, audited,
scored; a bad row is named and nothing is written (all or nothing)."""

from __future__ import annotations

from rfp import models as m
from tests.areas.vendors.test_vendors import _open, _response_form, _url
from tests.fixtures.evaluations import events


def test_rate_lines_and_tiers_are_saved_and_shown_back(client, auth, db, demo):
    evaluation_id, vendor_id = demo["evaluation"], demo["puente_norte"]
    _open(db, evaluation_id)
    auth.login("morgan")
    data = _response_form(
        db,
        evaluation_id,
        vendor_id,
        pricing_model="per_hour",
        rate="15",
        rate_lines="voice, en, 14\nvoice, es, 16\n\nchat, , 11",
        volume_tiers="20000, 5%",
    )
    url = _url(evaluation_id, f"/{vendor_id}/response")
    assert client.post(url, data=data).status_code == 302
    with db.transaction() as s:
        response = s.get(m.VendorResponse, vendor_id)
        assert response.rate_lines == [
            {"channel": "voice", "language": "en", "rate": 14},
            {"channel": "voice", "language": "es", "rate": 16},
            {"channel": "chat", "language": None, "rate": 11},
        ]
        assert response.volume_tiers == [{"above_contacts": 20000, "discount_pct": 5}]
    [event] = events(db, evaluation_id, "vendor.response")
    assert event.new["rate_lines"] == "voice, en, 14\nvoice, es, 16\nchat, , 11"
    page = client.get(url).data.decode()
    assert "voice, es, 16" in page and "20000, 5%" in page


def test_a_bad_row_is_named_and_nothing_is_written(client, auth, db, demo):
    evaluation_id, vendor_id = demo["evaluation"], demo["puente_norte"]
    _open(db, evaluation_id)
    auth.login("morgan")
    url = _url(evaluation_id, f"/{vendor_id}/response")
    for lines, tiers, message in (
        ("voice, en, 14\nvoice, en, 15", "", "Row 2: repeats the channel and language of row 1."),
        ("voice, en, 1e308", "", "Row 1: rate must be a number"),
        ("voice en 14", "", "Row 1: write channel, language, rate (three parts)."),
        ("voice, en, 14", "20000, 13", "Row 1: with rate lines, give the tier as discount_pct"),
        ("", "20000, 99", "Row 1: rate must be at most the single rate (15)."),
        # A NUL is refused by the form first, under its field (rfp.core.forms.CheckedForm).
        ("chat, \x00, 4", "", "Rate lines (optional) contains a control character (NUL)"),
    ):
        data = _response_form(
            db, evaluation_id, vendor_id, pricing_model="per_hour", rate="15",
            rate_lines=lines, volume_tiers=tiers,
        )  # fmt: skip
        response = client.post(url, data=data)
        assert response.status_code in (200, 400), lines
        assert message in response.data.decode()
        with db.transaction() as s:
            assert s.get(m.VendorResponse, vendor_id).rate_lines is None
    assert events(db, evaluation_id, "vendor.response") == []
