"""Amendments in words, the freeze rule, and what the recommendation says of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from rfp.domain.amendments import (
    amendment_sentence,
    freeze_reason,
    knockouts_turned_to_pass,
    mark_text,
    value_text,
)
from rfp.domain.recommendation import recommend
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import Amendment
from rfp.domain.vocabulary import Stage
from rfp.scenario import normalise_scenario, scenario_to_input

NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
PRICE = Amendment(
    field="rate",
    question=None,
    old=2.35,
    new=1.95,
    reason="arithmetic error confirmed in writing",
    source="lead",
    by="Morgan Avery",
    at="2026-10-20T12:00:00+00:00",
    stage="consensus",
    after_unsealing=True,
)
KNOCKOUT = replace(PRICE, field="knockout", question="pci", old=False, new=True)


@pytest.mark.parametrize(
    ("stage", "deadline", "frozen"),
    [
        (Stage.DRAFT, NOW - timedelta(days=1), None),  # nothing invited yet
        (Stage.OPEN, None, None),
        (Stage.OPEN, NOW + timedelta(minutes=1), None),
        (Stage.OPEN, NOW, "the response deadline has passed"),  # at the deadline
        (Stage.OPEN, NOW - timedelta(days=1), "the response deadline has passed"),
        (Stage.SCORING, NOW + timedelta(days=1), "the prices are unsealed"),  # unsealed early
        (Stage.CONSENSUS, None, "the prices are unsealed"),
        (Stage.DECIDED, NOW - timedelta(days=9), "the prices are unsealed"),
    ],
)
def test_a_response_is_frozen_at_the_deadline_or_at_unsealing(stage, deadline, frozen):
    assert freeze_reason(stage, deadline, NOW) == frozen


def test_a_price_amendment_in_one_sentence():
    assert amendment_sentence(PRICE, pricing_model="per_contact") == (
        "Price amended by the lead after unsealing: $2.35 → $1.95 per contact, "
        "reason: arithmetic error confirmed in writing"
    )


@pytest.mark.parametrize(
    ("amendment", "question", "unit", "model", "sentence"),
    [
        (
            KNOCKOUT,
            "PCI-DSS attestation",
            "",
            None,
            "Knockout “PCI-DSS attestation” amended by the lead after unsealing: "
            "fail → pass, reason: arithmetic error confirmed in writing",
        ),
        (
            replace(PRICE, field="setup_fee", old=25_000, new=20_000.5, source="vendor"),
            None,
            "",
            None,
            "Setup fee clarified by the vendor after unsealing: $25,000 → $20,000.50, "
            "reason: arithmetic error confirmed in writing",
        ),
        (
            replace(PRICE, field="monthly_fee", old=2000, new=0, after_unsealing=False),
            None,
            "",
            None,
            "Monthly fee amended by the lead after the deadline: $2,000 → $0 a month, "
            "reason: arithmetic error confirmed in writing",
        ),
        (
            replace(PRICE, field="pricing_model", old=None, new="per_hour"),
            None,
            "",
            None,
            "Pricing model amended by the lead after unsealing: none → per agent-hour, "
            "reason: arithmetic error confirmed in writing",
        ),
        (
            replace(PRICE, field="number", question="attrition", old=28.5, new=24),
            "Annual agent attrition",
            "%",
            None,
            "Number for “Annual agent attrition” amended by the lead after unsealing: "
            "28.5 % → 24 %, reason: arithmetic error confirmed in writing",
        ),
        (
            replace(PRICE, field="answer", question="sites", old=None, new="Bogotá\n and Lima"),
            "Delivery sites",
            "",
            None,
            "Answer to “Delivery sites” amended by the lead after unsealing: no answer → "
            "“Bogotá and Lima”, reason: arithmetic error confirmed in writing",
        ),
    ],
)
def test_every_kind_of_amendment_reads_as_a_sentence(amendment, question, unit, model, sentence):
    assert amendment_sentence(amendment, question, pricing_model=model, unit=unit) == sentence


def test_a_long_answer_is_quoted_short():
    assert value_text("answer", "x" * 500) == "“" + "x" * 119 + "…”"


def test_the_mark_says_who_amended_after_unsealing_and_what():
    before = replace(PRICE, after_unsealing=False, stage="open")
    vendor_only = replace(KNOCKOUT, source="vendor")
    assert mark_text([before]) == ""
    assert (
        mark_text([vendor_only])
        == "Amended by the vendor's clarification after unsealing (knockout)"
    )
    assert mark_text([PRICE, vendor_only, PRICE]) == (
        "Amended by the lead after unsealing (price, knockout)"
    )


def test_only_a_fail_turned_to_pass_after_unsealing_is_a_knockout_turned():
    unanswered = replace(KNOCKOUT, old=None)
    before = replace(KNOCKOUT, after_unsealing=False, stage="open")
    to_fail = replace(KNOCKOUT, old=True, new=False)
    assert knockouts_turned_to_pass([PRICE, KNOCKOUT, unanswered, before, to_fail]) == (KNOCKOUT,)


def test_the_recommendation_names_a_vendor_qualified_by_an_amended_knockout(make_scenario):
    doc = make_scenario(stage="consensus")
    doc["vendors"][1]["knockouts"] = {"soc2": False}  # beta fails SOC 2 as submitted ...
    plain = recommend(score_evaluation(scenario_to_input(normalise_scenario(doc))))
    assert plain.amendments == ()
    doc["vendors"][1]["amendments"] = [  # ... and the lead turns it to pass in consensus
        {
            "field": "knockout",
            "question": "soc2",
            "old": False,
            "new": True,
            "reason": "Report received late",
            "source": "lead",
            "at": "2026-10-20T12:00:00+00:00",
            "stage": "consensus",
        }
    ]
    rec = recommend(score_evaluation(scenario_to_input(normalise_scenario(doc))))
    assert (
        "Beta Support qualifies only because a knockout it failed as submitted was amended "
        "to pass after unsealing."
    ) in rec.amendments
