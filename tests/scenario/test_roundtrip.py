"""The scenario file through the database and back: dump(import(doc)) == normalise(doc),
and the engine gives the same result from the database as from the file.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (the `database` fixture
switches). Each import is committed and the dump read in a new session, so that what
comes back was really stored.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from rfp import models as m
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from rfp.scenario import load_scenario_text, normalise_scenario, scenario_to_input
from rfp.scenario.store import dump_evaluation, import_scenario
from rfp.scenario.synthetic import generate_scenario
from tests.fixtures.scenarios import piloted_scenario


def rich_scenario(base: dict[str, Any]) -> dict[str, Any]:
    """The minimal scenario with every optional field of format 1 set, and a few forms
    that a hand-written file uses: a deadline in another time zone with a "Z"-less offset,
    an evaluator's criteria listed out of the criteria's order, an inactive evaluator, a
    vendor without a price, a quantitative question with bands."""
    doc = copy.deepcopy(base)
    ev = doc["evaluation"]
    ev.update(
        description="Tier 1 and 2 care for the retail brand.",
        stage="consensus",
        deadline="2026-10-16T19:00:00+02:00",
        scoring_due="2026-11-06",
        aggregation="median",
        dispersion_threshold=1.5,
        price_formula="log",
        price_zero_multiple=3,
        blind_scoring=True,
        two_envelope=True,
        sensitivity_concentration=30,
        readiness={"objectives": True, "escalation_protocols": False},
        award={"vendor": "beta", "rationale": "Best value after the pilot."},
    )
    ev["scale"]["anchors"] = {"0": "None", "3": "Meets", "5": "Outstanding"}
    ev["scope"].update(
        functions=["customer care", "technical support"],
        channels=["email", "chat", "voice"],
        languages=["en", "es"],
        compliance=["SOC 2", "PCI-DSS"],
        time_zones=["America/Chicago"],
        coverage="7 to 22 Central, 7 days",
        complexity="medium",
        fte_hours_per_month=150,
        pilot_weeks=10,
        targets={"fcr_pct": 75, "csat_pct": 85.5},
    )
    fit, compliance = doc["criteria"][0], doc["criteria"][1]
    fit["description"] = "How the team will feel to our customers."
    fit["questions"][0]["guidance"] = "Six hours or more of overlap is strong."
    fit["questions"].append({"key": "sites", "text": "Delivery sites", "kind": "info"})
    compliance["questions"].append(
        {
            "key": "attrition",
            "text": "Annual agent attrition",
            "answer_type": "number",
            "unit": "%",
            "bands": [
                {"max": 20, "score": 5},
                {"min": 20, "max": 40, "score": 3},
                {"min": 40, "score": 0},
            ],
        }
    )
    alpha, beta = doc["vendors"]
    alpha.update(
        country="MX",
        contact_name="Lucia Ferrer",
        contact_email="lucia@alpha.example",
        notes="Met at the CX summit.",
        status="draft",
        answers={"timezone": "Full overlap, Central time", "sites": "Monterrey", "language": ""},
        evidence={"soc2": "Report dated 2026-03-31"},
        numbers={"attrition": 28.5},
    )
    alpha["pricing"].update(setup_fee=25_000, monthly_fee=2_000.5)
    beta["pricing"] = None
    beta["status"] = "not_started"
    beta["knockouts"] = {}
    doc["vendors"].append(
        {"key": "gamma", "name": "Gamma Care", "model": "specialty", "knockouts": {"soc2": False}}
    )
    # Changes after the responses were frozen: a vendor's clarification before unsealing,
    # the lead's amendments after it, a chain on one field, a price where there was none.
    alpha["amendments"] = [
        {
            "field": "answer",
            "question": "sites",
            "old": "Monterrey",
            "new": "Monterrey and Saltillo",
            "reason": "Clarification 2: both sites staff the account",
            "source": "vendor",
            "by": "Lucia Ferrer",
            "at": "2026-10-17T09:30:00+02:00",
            "stage": "open",
        },
        {
            "field": "rate",
            "old": 16,
            "new": 15.25,
            "reason": "Arithmetic error confirmed in writing",
            "source": "lead",
            "by": "Morgan (lead)",
            "at": "2026-10-20T14:00:00+00:00",
            "stage": "scoring",
            "after_unsealing": True,
        },
        {
            "field": "rate",
            "old": 15.25,
            "new": 15.5,
            "reason": "Second correction",
            "source": "lead",
            "at": "2026-10-21T14:00:00+00:00",
            "stage": "consensus",
        },
        {
            "field": "number",
            "question": "attrition",
            "old": 28.5,
            "new": 24,
            "reason": "Audited figure",
            "source": "vendor",
            "at": "2026-10-21T15:00:00+00:00",
            "stage": "consensus",
        },
    ]
    beta["amendments"] = [
        {
            "field": "pricing_model",
            "old": None,
            "new": "per_hour",
            "reason": "The rate card arrived by e-mail before the deadline",
            "source": "lead",
            "at": "2026-10-20T15:00:00+00:00",
            "stage": "scoring",
        },
        {
            "field": "rate",
            "old": None,
            "new": 11,
            "reason": "The rate card arrived by e-mail before the deadline",
            "source": "lead",
            "at": "2026-10-20T15:01:00+00:00",
            "stage": "scoring",
        },
    ]
    doc["vendors"][-1]["amendments"] = [
        {
            "field": "knockout",
            "question": "soc2",
            "old": False,
            "new": True,
            "reason": "SOC 2 Type II report dated 2026-09-30 received",
            "source": "lead",
            "at": "2026-10-22T10:00:00+00:00",
            "stage": "consensus",
        }
    ]
    doc["evaluators"] = [
        {"key": "ana", "name": "Ana Ruiz", "email": "ana@buyer.example"},
        {"key": "raj", "name": "Raj Patel", "criteria": ["compliance", "fit"]},
        {"key": "lee", "name": "Lee Chen", "active": False},
    ]
    doc["conflicts"] = [{"evaluator": "ana", "vendor": "gamma", "note": "Former employer"}]
    doc["scores"] = [
        {
            "evaluator": "ana",
            "vendor": "alpha",
            "question": "timezone",
            "score": 4,
            "comment": "8 h",
        },
        {"evaluator": "raj", "vendor": "alpha", "question": "timezone", "score": 1},
        {"evaluator": "raj", "vendor": "alpha", "question": "audits", "score": 2.5},
        {"evaluator": "lee", "vendor": "beta", "question": "language", "score": 5},
        {"evaluator": "ana", "vendor": "beta", "question": "language", "score": 3},
        {
            "evaluator": "raj",
            "vendor": "beta",
            "question": "language",
            "abstain": True,
            "reason": "Did not sit in on the language test",
        },
    ]
    doc["consensus"] = [
        {"vendor": "alpha", "question": "timezone", "score": 3, "rationale": "Agreed"}
    ]
    doc["references"] = [
        {
            "vendor": "alpha",
            "caller": "ana",
            "company": "Acme Retail",
            "contact": "J. Doe, VP CX",
            "date": "2026-10-02",
            "similar_business": True,
            "rating": 4,
            "would_sign_again": "yes",
            "surprised_negatively": "Slow ramp in month two",
            "do_differently": "Longer pilot",
            "notes": "",
        },
        {
            "vendor": "alpha",
            "caller": "Morgan (lead)",
            "company": "Birch Bank",
            "rating": 2,
            "would_sign_again": "no",
            "similar_business": False,
        },
        {"vendor": "gamma", "company": "Cedar Health", "rating": 5},
    ]
    return doc


def small_generated() -> dict[str, Any]:
    return generate_scenario(vendors=5, questions=10, evaluators=4, seed=7, limited_every=2)


SCENARIOS = ["demo", "minimal", "generated", "rich", "piloted"]


@pytest.fixture
def scenario(request, demo_doc, make_scenario) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    name = request.param
    if name == "demo":
        return demo_doc
    if name == "minimal":
        doc = make_scenario()
        doc["scores"] = [
            {"evaluator": "ana", "vendor": "alpha", "question": "timezone", "score": 4},
            {"evaluator": "raj", "vendor": "beta", "question": "audits", "score": 3},
        ]
        return doc
    if name == "generated":
        return small_generated()
    if name == "piloted":
        return piloted_scenario(make_scenario())
    return rich_scenario(make_scenario())


def import_committed(database, doc: dict[str, Any]) -> int:  # type: ignore[no-untyped-def]
    with database.transaction() as session:
        return import_scenario(session, normalise_scenario(doc)).id


@pytest.mark.parametrize("scenario", SCENARIOS, indirect=True)
def test_dump_of_import_gives_back_the_normalised_document(database, scenario):
    evaluation_id = import_committed(database, scenario)
    with database.session() as session:
        dumped = dump_evaluation(session, evaluation_id)
    assert dumped == normalise_scenario(scenario)


@pytest.mark.parametrize("scenario", SCENARIOS, indirect=True)
def test_the_dump_is_a_canonical_file_that_reads_back_unchanged(database, scenario):
    evaluation_id = import_committed(database, scenario)
    with database.session() as session:
        dumped = dump_evaluation(session, evaluation_id)
    text = json.dumps(dumped, indent=2, ensure_ascii=False)
    assert load_scenario_text(text) == dumped
    assert normalise_scenario(dumped) == dumped


@pytest.mark.parametrize("scenario", SCENARIOS, indirect=True)
def test_the_engine_result_from_the_database_equals_the_one_from_the_file(database, scenario):
    evaluation_id = import_committed(database, scenario)
    from_file = score_evaluation(scenario_to_input(normalise_scenario(scenario)))
    with database.session() as session:
        evaluation = session.get(m.Evaluation, evaluation_id)
        from_database = score_evaluation(load_scoring_input(session, evaluation))
    assert from_database == from_file
    assert from_database.to_json() == from_file.to_json()


def test_the_rich_scenario_really_exercises_what_it_claims(make_scenario):
    """Guards the fixture: the canonical form rewrote what a round trip must keep."""
    doc = normalise_scenario(rich_scenario(make_scenario()))
    assert doc["evaluation"]["deadline"] == "2026-10-16T17:00:00+00:00"
    assert doc["evaluators"][1]["criteria"] == ["fit", "compliance"]  # criteria order
    assert "language" not in doc["vendors"][0]["answers"]  # an empty answer is none
    result = score_evaluation(scenario_to_input(doc))
    alpha = result.vendor("alpha")
    # attrition 28.5 % as submitted, 24 % as amended: both in the 20-40 band, 3 -> 60.
    assert alpha.questions["attrition"] == pytest.approx(60.0)
    # Gamma failed SOC 2 as submitted; the lead's amendment after unsealing made it pass.
    gamma = result.vendor("gamma")
    assert doc["vendors"][2]["knockouts"] == {"soc2": False} and not gamma.disqualified
    assert [a.field for a in gamma.amended_after_unsealing] == ["knockout"]
    # Amendments chain (alpha's rate 16 -> 15.25 -> 15.5) and price a vendor that had none.
    inp = scenario_to_input(doc)
    assert [v.pricing.rate for v in inp.vendors[:2]] == [15.5, 11]  # type: ignore[union-attr]
    clarification = doc["vendors"][0]["amendments"][0]
    assert clarification["at"] == "2026-10-17T07:30:00+00:00"  # in UTC
    assert clarification["after_unsealing"] is False  # from its stage, open
    assert clarification["question"] == "sites" and doc["vendors"][0]["answers"]["sites"] == (
        "Monterrey"
    )
    # raj's abstention on beta's language question is listed, and he is not missing there
    beta = result.vendor("beta")
    assert [(a.question, a.evaluator) for a in beta.abstentions] == [("language", "raj")]
    assert ("language", "raj") not in {(gap.question, gap.evaluator) for gap in beta.missing}


def test_the_piloted_scenario_really_exercises_what_it_claims(make_scenario):
    doc = normalise_scenario(piloted_scenario(make_scenario()))
    pilot = doc["pilot"]
    assert pilot["criteria_fixed"] == "2026-10-30T14:00:00+00:00"  # in UTC
    assert [(w["vendor"], w["week"]) for w in pilot["weeks"]] == [
        ("beta", 1),
        ("beta", 2),
        ("alpha", 2),
    ]  # the shortlist's order, then by week
    assert pilot["criteria"][1]["direction"] == "lower"  # AHT's own direction by default
    result = score_evaluation(scenario_to_input(doc))
    assert result.pilot is not None and result.pilot.reported_weeks == 2
    assert result.pilot.vendors[0].verdict == "expand"
    assert result.split is not None and [s.vendor for s in result.split.shares] == [
        "beta",
        "alpha",
    ]


def test_importing_the_same_file_twice_gives_two_identical_evaluations(database, make_scenario):
    doc = rich_scenario(make_scenario())
    first = import_committed(database, doc)
    second = import_committed(database, doc)
    assert first != second
    with database.session() as session:
        assert dump_evaluation(session, first) == dump_evaluation(session, second)
        # The panel members are the same accounts, not copies.
        assert session.query(m.User).count() == 3


def test_dumping_an_unknown_evaluation_raises_lookup_error(database):
    with database.session() as session, pytest.raises(LookupError):
        dump_evaluation(session, 12345)
