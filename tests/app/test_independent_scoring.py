"""Independent scoring, tried by an adversarial evaluator: one who has not submitted her
own scorecard gets nothing of the panel's scores (other evaluators' scores, comments,
abstention reasons, dispersion with names, the results) through any route of the app,
in consensus and once decided: pages, the JSON API, report downloads.

The world is the demo at consensus and at decided (tests/fixtures/demo_world.py) with
Dana's scorecard not submitted, as it would be had she joined the panel after consensus
opened, and texts only the other evaluators' scores hold put into their comments. Every
GET route of the URL map is asked as Dana; the same texts do show once she has submitted
(so the checks can fail).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures.demo_world import (
    World,
    build_world,
    fast_hashing_for_module,  # noqa: F401  (module fixture)
    make_app,
    module_database_url,
)

STAGES = ("consensus", "decided")
# Texts only the panel's scores hold: Luis's and Priya's comments, Luis's abstention.
PANEL_TEXTS = {
    "luis": "PANEL-LUIS-3F7 the rota shows weekend gaps",
    "priya": "PANEL-PRIYA-9K2 audit report read in full",
    "abstention": "PANEL-ABSTAIN-5Q1 never saw their CRM",
}
# The routes that carry the panel's scores or the results: refused outright.
RESULT_ENDPOINTS = ("results.index", "results.vendor", "results.api", "reports.download")


@pytest.fixture(scope="module")
def world(tmp_path_factory, worker_id, fast_hashing_for_module) -> Any:  # noqa: F811
    folder = tmp_path_factory.mktemp("independence")
    app = make_app(module_database_url(folder, "independence", worker_id), folder)
    built = build_world(app, STAGES)
    with built.db.transaction() as s:
        for stage in STAGES:
            _arrange(s, built.at(stage).evaluation)
    yield built
    built.db.dispose()


def _arrange(s: Any, evaluation_id: int) -> None:
    members = {
        ms.key: ms
        for ms in s.scalars(select(m.Membership).where(m.Membership.evaluation_id == evaluation_id))
    }
    members["dana"].submitted_at = None
    vendors = {
        v.key: v.id
        for v in s.scalars(select(m.Vendor).where(m.Vendor.evaluation_id == evaluation_id))
    }
    questions = {
        q.key: q.id
        for q in s.scalars(select(m.Question).where(m.Question.evaluation_id == evaluation_id))
    }

    def score_of(who: str, vendor: str, question: str) -> m.Score:
        return s.scalar(
            select(m.Score).where(
                m.Score.membership_id == members[who].id,
                m.Score.vendor_id == vendors[vendor],
                m.Score.question_id == questions[question],
            )
        )

    score_of("luis", "cottonwood", "timezone").comment = PANEL_TEXTS["luis"]
    score_of("priya", "cottonwood", "certifications").comment = PANEL_TEXTS["priya"]
    abstaining = score_of("luis", "tanglaw", "helpdesk")
    abstaining.value, abstaining.abstained = None, True
    abstaining.comment = PANEL_TEXTS["abstention"]


def _get_rules(world: World) -> list[Any]:
    return sorted(
        (
            rule
            for rule in world.app.url_map.iter_rules()
            if rule.endpoint != "static"
            and "GET" in (rule.methods or ())
            and not rule.endpoint.startswith("portal.")
        ),
        key=lambda rule: rule.rule,
    )


def _leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [name for name, marker in PANEL_TEXTS.items() if marker in text]


@pytest.mark.parametrize("stage", STAGES)
def test_an_unsubmitted_evaluator_gets_nothing_of_the_panel_through_any_route(world, stage):
    dana = world.client("evaluator")
    asked = []
    for rule in _get_rules(world):
        url = world.url(rule, stage)
        response = dana.get(url)
        body = response.data  # read before closing: a download streams its file
        response.close()
        asked.append(rule.endpoint)
        assert response.status_code != 500, url
        assert not _leaks(body), f"{rule.endpoint} {url} shows {_leaks(body)}"
        if rule.endpoint in RESULT_ENDPOINTS:
            assert response.status_code == 403, f"{rule.endpoint}: {response.status_code}"
    # the scorecard of a vendor and the results were among the routes asked
    assert {"scorecards.scorecard", "results.api", "consensus.pair"} <= set(asked)


@pytest.mark.parametrize("stage", STAGES)
def test_her_own_scorecard_stays_readable_without_the_panel(world, stage):
    ids = world.at(stage)
    page = world.client("evaluator").get(
        f"/evaluations/{ids.evaluation}/scorecards/{ids.vendors['cottonwood']}"
    )
    assert page.status_code == 200
    text = page.data.decode()
    assert "The panel's scores" not in text and "Luis Ortega" not in text
    assert "Scores are frozen since consensus opened" in text
    # no Results tab either
    assert f"/evaluations/{ids.evaluation}/results" not in text


def test_reports_cannot_be_generated_by_her_either(world):
    ids = world.at("consensus")
    response = world.client("evaluator").post(
        f"/evaluations/{ids.evaluation}/reports", data={"kind": "xlsx"}
    )
    assert response.status_code == 403


def test_once_submitted_she_reads_the_panel_and_the_results(world):
    """The same routes show the panel's texts to a submitted evaluator: the checks above
    look for texts that are really there."""
    ids = world.at("consensus")
    with world.db.transaction() as s:
        dana = s.scalar(
            select(m.Membership).where(
                m.Membership.evaluation_id == ids.evaluation, m.Membership.key == "dana"
            )
        )
        dana.submitted_at = utcnow()
    try:
        client = world.client("evaluator")
        scorecard = client.get(
            f"/evaluations/{ids.evaluation}/scorecards/{ids.vendors['cottonwood']}"
        )
        assert _leaks(scorecard.data) == ["luis", "priya"]
        vendor_page = client.get(
            f"/evaluations/{ids.evaluation}/results/vendors/{ids.vendors['tanglaw']}"
        )
        assert vendor_page.status_code == 200 and _leaks(vendor_page.data) == ["abstention"]
        api = client.get(f"/api/evaluations/{ids.evaluation}/results")
        assert api.status_code == 200 and _leaks(api.data) == ["abstention"]
    finally:
        with world.db.transaction() as s:
            s.get(m.Membership, dana.id).submitted_at = None


def test_a_viewer_reads_the_results_and_the_reasons_from_consensus(world):
    ids = world.at("consensus")
    api = world.client("viewer").get(f"/api/evaluations/{ids.evaluation}/results")
    assert api.status_code == 200 and _leaks(api.data) == ["abstention"]
