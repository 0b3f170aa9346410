"""A weight of 1e308 showed "Infinity %" on the criteria page: every number a person
types or a file carries now has a sane upper bound, refused with a message naming the
field, by the forms, the operations and the scenario file alike; nothing is written."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.areas.criteria import operations as criteria_ops
from rfp.core.db import utcnow
from rfp.core.refusal import Refused
from rfp.scenario.schema import ScenarioError, normalise_scenario
from tests.areas.evaluations.test_evaluations import _settings_form
from tests.fixtures.evaluations import set_stage
from tests.fixtures.setup import criterion_id, load


def test_a_weight_of_1e308_is_refused_on_the_criteria_page(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    tooling = criterion_id(db, evaluation_id, "tooling")
    auth.login("morgan")
    response = client.post(
        f"/evaluations/{evaluation_id}/criteria/weights", data={f"criterion-{tooling}": "1e308"}
    )
    page = response.data.decode()
    assert "Tooling must be at most 10,000." in page
    assert "Infinity" not in page and "inf %" not in page
    assert load(db, m.Criterion, tooling).weight == 15


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("aht_minutes", "1e308", "Average handle time (minutes) must be at most 600."),
        ("contacts_per_month", "1000000000", "Contacts per month must be at most 100,000,000."),
        ("term_months", "100000", "Contract term (months) must be at most 240."),
        ("inhouse_rate", "inf", "In-house cost per agent-hour (USD) must be a number"),
        ("dispersion_threshold", "1e308", "Dispersion threshold (points) must be at most 200."),
    ],
)
def test_absurd_scope_and_settings_are_refused_naming_the_field(
    client, auth, db, demo, field, value, message
):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    before = load(db, m.Evaluation, evaluation_id).scope
    auth.login("morgan")
    response = client.post(
        f"/evaluations/{evaluation_id}/settings",
        data=_settings_form(db, evaluation_id, **{field: value}),
    )
    assert response.status_code == 200
    assert message in response.data.decode()
    assert load(db, m.Evaluation, evaluation_id).scope == before


def test_an_absurd_rate_is_refused_on_the_lead_s_response_form(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    # Before the deadline: the response is not frozen yet (a frozen one answers 409).
    set_stage(db, evaluation_id, "open", deadline=utcnow() + timedelta(days=7))
    auth.login("morgan")
    vendor = demo["cottonwood"]
    response = client.post(
        f"/evaluations/{evaluation_id}/vendors/{vendor}/response",
        data={"pricing_model": "per_hour", "rate": "1e300", "setup_fee": "0", "monthly_fee": "0"},
    )
    assert "Rate (USD) must be at most 1,000,000." in response.data.decode()


def test_the_operations_refuse_what_bypasses_the_forms(db, demo):
    """The CLI, imports and JSON go through the operations, not the forms."""
    with db.transaction() as s:
        criterion = s.scalar(select(m.Criterion).where(m.Criterion.key == "tooling"))
        with pytest.raises(Refused) as refused:
            criteria_ops.check_weight(1e308, "weight")
        assert str(refused.value) == "weight: must be at most 10,000"
        assert criterion.weight == 15


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (
            ("criteria", 0, "weight"),
            1e308,
            "criteria[0].weight: must be a number > 0 and <= 10,000",
        ),
        (
            ("evaluation", "scope", "aht_minutes"),
            1e308,
            "evaluation.scope.aht_minutes: must be a number > 0 and <= 600",
        ),
        (
            ("vendors", 0, "pricing", "rate"),
            1e308,
            "vendors[0].pricing.rate: must be a number >= 0 and <= 1,000,000",
        ),
        (
            ("evaluation", "dispersion_threshold"),
            1e9,
            "evaluation.dispersion_threshold: must be a number >= 0 and <= 200",
        ),
    ],
)
def test_the_scenario_file_refuses_absurd_numbers_by_path(demo_doc, path, value, error):
    doc = json.loads(json.dumps(demo_doc))
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(ScenarioError) as refused:
        normalise_scenario(doc)
    assert error in refused.value.errors
