"""Bids are what the vendor submitted: a frozen response changes only by amendment.

The demo is in consensus, its deadline long passed: every response is frozen. Valle
Claro quotes $2.35 per contact and fails the PCI-DSS knockout; the lead amends both,
with a reason. The response as submitted stays in its own rows, the amendment is a row
of its own, the engine scores the amended values, and the audit trail says it in words.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from rfp import models as m
from rfp.areas.vendors import operations as ops
from rfp.core.db import utcnow
from rfp.core.refusal import Refused
from rfp.domain.scoring import score_evaluation
from rfp.domain.vocabulary import AmendedField
from rfp.models.adapter import load_scoring_input
from tests.fixtures.evaluations import events, set_stage

REASON = "Arithmetic error in the rate card; corrected in writing by J. Ortiz on 3 Oct"


def _amend_url(demo: dict[str, Any], vendor: str = "valle_claro", **query: str) -> str:
    url = f"/evaluations/{demo['evaluation']}/vendors/{demo[vendor]}/amend"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _amendments(db: Any) -> list[m.ResponseAmendment]:
    """Valle Claro's amendments (the demo has one of Tanglaw's, a clarification)."""
    with db.transaction() as s:
        valle = s.scalar(select(m.Vendor.id).where(m.Vendor.key == "valle_claro"))
        return list(
            s.scalars(
                select(m.ResponseAmendment)
                .where(m.ResponseAmendment.vendor_id == valle)
                .order_by(m.ResponseAmendment.id)
            )
        )


def _scored(db: Any, evaluation_id: int):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        inp = load_scoring_input(s, s.get(m.Evaluation, evaluation_id))
        return inp, score_evaluation(inp)


def _amend(client: Any, demo: dict[str, Any], new: str, reason: str = REASON, **query: str):  # type: ignore[no-untyped-def]
    return client.post(
        _amend_url(demo, **query), data={"new": new, "reason": reason, "confirm": "y"}
    )


def test_the_lead_amends_a_price_after_unsealing_and_the_original_stays(client, auth, db, demo):
    auth.login("morgan")
    assert _amend(client, demo, "1.95", field="rate").status_code == 302
    with db.transaction() as s:
        # The response as submitted is untouched ...
        assert s.get(m.VendorResponse, demo["valle_claro"]).rate == 2.35
    # ... and the amendment is a record of its own, with everything an auditor asks.
    [amendment] = _amendments(db)
    assert (amendment.field, amendment.question_id) == ("rate", None)
    assert (amendment.old_value, amendment.new_value) == (2.35, 1.95)
    assert (amendment.source, amendment.stage, amendment.after_unsealing) == (
        "lead",
        "consensus",
        True,
    )
    assert amendment.reason == REASON and amendment.actor == "Morgan Avery"
    assert amendment.at > utcnow() - timedelta(minutes=1)


def test_the_engine_scores_the_amended_values_and_carries_the_amendments(client, auth, db, demo):
    _, before = _scored(db, demo["evaluation"])
    assert before.vendor("valle_claro").failed_knockouts == ("pci",)
    auth.login("morgan")
    _amend(client, demo, "1.95", field="rate")
    _amend(client, demo, "pass", field="knockout", question="pci")
    inp, after = _scored(db, demo["evaluation"])
    vendor = next(v for v in inp.vendors if v.key == "valle_claro")
    assert vendor.pricing is not None and vendor.pricing.rate == 1.95
    assert vendor.knockouts["pci"] is True
    valle = after.vendor("valle_claro")
    assert not valle.disqualified and valle.rank is not None
    # Cost: the demo's 24,000 contacts a month x $1.95 = $46,800 (not x $2.35 = $56,400).
    assert valle.cost.monthly_charge == pytest.approx(46_800)
    assert before.vendor("valle_claro").cost.monthly_charge == pytest.approx(56_400)
    assert [(a.field, a.old, a.new) for a in valle.amendments] == [
        ("rate", 2.35, 1.95),
        ("knockout", False, True),
    ]
    assert valle.amended_after_unsealing == valle.amendments


def test_an_amendment_is_audited_in_words(client, auth, db, demo):
    auth.login("morgan")
    _amend(client, demo, "1.95", field="rate")
    _amend(client, demo, "pass", field="knockout", question="pci")
    price, knockout = events(db, demo["evaluation"], "response.amended")
    assert price.target == "Valle Claro Soluciones: price amended by the lead after unsealing"
    assert (price.old, price.new) == ({"Price": "$2.35"}, {"Price": "$1.95 per contact"})
    assert price.reason == REASON
    what = "Knockout “PCI-DSS attestation for card-handling agents”"
    assert knockout.target == (
        "Valle Claro Soluciones: knockout “PCI-DSS attestation for card-handling agents” "
        "amended by the lead after unsealing"
    )
    assert (knockout.old, knockout.new) == ({what: "fail"}, {what: "pass"})


def test_the_vendor_page_shows_as_submitted_beside_as_amended(client, auth, db, demo):
    auth.login("morgan")
    _amend(client, demo, "1.95", field="rate")
    _amend(client, demo, "pass", field="knockout", question="pci")
    page = client.get(f"/evaluations/{demo['evaluation']}/vendors/{demo['valle_claro']}")
    text = page.get_data(as_text=True)
    assert "Amendments after the response was frozen" in text
    assert "Amended by the lead" in text and REASON in text
    assert "$1.95</span> per contact" in text  # the quote as amended ...
    assert "As submitted: <del>$2.35 per contact" in text  # ... and as submitted
    assert "As submitted: <del>no</del>" in text  # the knockout


def test_an_evaluator_reads_the_amendments_with_the_response(client, auth, db, demo):
    auth.login("morgan")
    _amend(client, demo, "1.95", field="rate")
    client.post("/logout")
    auth.login("dana")
    text = client.get(f"/evaluations/{demo['evaluation']}/vendors/{demo['valle_claro']}").get_data(
        as_text=True
    )
    assert "$2.35 → $1.95 per contact" in text and REASON in text


def test_under_two_envelopes_a_price_amendment_stays_hidden_like_the_price(client, auth, db, demo):
    auth.login("morgan")
    _amend(client, demo, "1.95", field="rate")
    client.post("/logout")
    with db.transaction() as s:
        s.get(m.Evaluation, demo["evaluation"]).two_envelope = True
        for ms in s.scalars(select(m.Membership)):
            ms.submitted_at = None
    set_stage(db, demo["evaluation"], "scoring")
    auth.login("dana")
    text = client.get(f"/evaluations/{demo['evaluation']}/vendors/{demo['valle_claro']}").get_data(
        as_text=True
    )
    assert "1.95" not in text and "2.35" not in text and REASON not in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new": "1.95", "confirm": "y"}, "Give the reason for the amendment."),
        ({"new": "1.95", "reason": "   ", "confirm": "y"}, "Give the reason for the amendment"),
        ({"new": "1.95", "reason": REASON}, "Confirm the amendment."),
        ({"new": "-1", "reason": REASON, "confirm": "y"}, "Must be a number ≥ 0."),
        ({"new": "1e308", "reason": REASON, "confirm": "y"}, "must be at most 1,000,000"),
        ({"new": "", "reason": REASON, "confirm": "y"}, "Give the new value."),
        ({"new": "2.35", "reason": REASON, "confirm": "y"}, "the value in effect already"),
        ({"new": "1.95", "reason": "x" * 5001, "confirm": "y"}, "5000 characters"),
    ],
)
def test_a_refused_amendment_names_its_field_and_writes_nothing(
    client, auth, db, demo, data, message
):
    auth.login("morgan")
    response = client.post(_amend_url(demo, field="rate"), data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _amendments(db) == []
    assert events(db, demo["evaluation"], "response.amended") == []


def test_nul_bytes_and_long_text_in_an_amended_answer(client, auth, db, demo):
    auth.login("morgan")
    url = _amend_url(demo, field="answer", question="timezone")
    response = client.post(url, data={"new": "A" * 20_001, "reason": REASON, "confirm": "y"})
    assert "20000 characters" in response.get_data(as_text=True)
    assert _amendments(db) == []
    # A NUL is refused under its field, never stored nor silently dropped (issue 14).
    answer = "Full overlap\x00 from Bogotá"
    refused = client.post(url, data={"new": answer, "reason": REASON, "confirm": "y"})
    assert refused.status_code == 200
    assert "contains a control character (NUL)" in refused.get_data(as_text=True)
    assert _amendments(db) == []


def test_a_double_submit_records_one_amendment(client, auth, db, demo):
    auth.login("morgan")
    assert _amend(client, demo, "1.95", field="rate").status_code == 302
    again = _amend(client, demo, "1.95", field="rate")
    assert again.status_code == 200 and "the value in effect already" in again.get_data(
        as_text=True
    )
    assert len(_amendments(db)) == 1


def test_amendments_chain_each_from_the_value_before_it(client, auth, db, demo):
    auth.login("morgan")
    _amend(client, demo, "1.95", field="rate")
    _amend(client, demo, "2.05", field="rate", reason="Second correction, confirmed 5 Oct")
    first, second = _amendments(db)
    assert (first.old_value, first.new_value) == (2.35, 1.95)
    assert (second.old_value, second.new_value) == (1.95, 2.05)
    inp, _ = _scored(db, demo["evaluation"])
    assert next(v for v in inp.vendors if v.key == "valle_claro").pricing.rate == 2.05


def test_the_chooser_lists_every_part_with_its_values(client, auth, db, demo):
    auth.login("morgan")
    _amend(client, demo, "1.95", field="rate")
    text = client.get(_amend_url(demo)).get_data(as_text=True)
    assert "$2.35 per contact" in text and "$1.95 per contact" in text
    assert "field=knockout&amp;question=pci" in text
    # An unknown part shows the chooser again and writes nothing.
    response = client.post(
        _amend_url(demo, field="rate", question="pci"),
        data={"new": "1", "reason": REASON, "confirm": "y"},
    )
    assert response.status_code == 200 and "Part of the response" in response.get_data(as_text=True)
    assert len(_amendments(db)) == 1


def test_before_the_deadline_there_is_nothing_to_amend(client, auth, db, demo):
    set_stage(db, demo["evaluation"], "open", deadline=utcnow() + timedelta(days=3))
    auth.login("morgan")
    assert client.get(_amend_url(demo)).status_code == 409
    assert _amend(client, demo, "1.95", field="rate").status_code == 409
    assert _amendments(db) == []


def test_a_sealed_vendor_sent_response_is_not_amended_by_the_lead(client, auth, db, demo):
    # After the deadline, before unsealing: the lead does not read what the vendor sent.
    set_stage(db, demo["evaluation"], "open", deadline=utcnow() - timedelta(hours=1))
    with db.transaction() as s:
        s.get(m.VendorResponse, demo["valle_claro"]).source = "portal"
    auth.login("morgan")
    assert _amend(client, demo, "1.95", field="rate").status_code == 409
    assert _amendments(db) == []


def test_a_decided_evaluation_takes_no_amendment(client, auth, db, demo):
    set_stage(db, demo["evaluation"], "decided")
    auth.login("morgan")
    assert client.get(_amend_url(demo)).status_code == 409
    assert _amend(client, demo, "1.95", field="rate").status_code == 409
    assert _amendments(db) == []


def test_a_vendor_clarification_is_recorded_as_the_vendor_s(db, demo):
    with db.transaction() as s:
        vendor = s.get(m.Vendor, demo["valle_claro"])
        ops.record_vendor_clarification(
            s,
            vendor,
            field=AmendedField.SETUP_FEE,
            question=None,
            new=20_000,
            reason="Clarification 4: the setup fee excludes travel; corrected to $20,000",
        )
    [amendment] = _amendments(db)
    assert (amendment.source, amendment.actor, amendment.user_id) == (
        "vendor",
        "Valle Claro Soluciones (vendor)",
        None,
    )
    [event] = events(db, demo["evaluation"], "response.clarified")
    assert (
        event.target == "Valle Claro Soluciones: setup fee clarified by the vendor after unsealing"
    )
    assert event.actor == "Valle Claro Soluciones (vendor)"


def test_a_vendor_clarification_before_the_deadline_is_refused(db, demo):
    set_stage(db, demo["evaluation"], "open", deadline=utcnow() + timedelta(days=3))
    with db.transaction() as s, pytest.raises(Refused, match="not frozen yet"):
        ops.record_vendor_clarification(
            s,
            s.get(m.Vendor, demo["valle_claro"]),
            field=AmendedField.RATE,
            question=None,
            new=2.0,
            reason="Typo",
        )
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(m.ResponseAmendment)) == 1  # Tanglaw
