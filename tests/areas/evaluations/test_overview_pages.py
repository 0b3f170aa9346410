"""The overview's view model: the next steps each person reads, per role and stage."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rfp.areas.evaluations.pages import next_steps, overview_counts
from rfp.core.access import VIEW_RESULTS
from rfp.domain.vocabulary import Role, Stage

NONE_YET = {"vendors": 0, "evaluators": 0}
SOME = {"vendors": 3, "evaluators": 2}


def _access(
    stage: Stage, role: str, *, judges: bool = False, submitted: bool = False
) -> SimpleNamespace:
    return SimpleNamespace(
        evaluation=SimpleNamespace(current_stage=stage),
        is_lead=role in ("admin", Role.LEAD),
        role=role,
        can_judge_weights=lambda: judges,
        has_submitted=submitted,
        # the results: an evaluator's once consensus is open and their scorecard is in
        can=lambda action: action == VIEW_RESULTS and stage.panel_visible and submitted,
    )


def _endpoints(access: SimpleNamespace, counts: dict[str, int]) -> list[str]:
    return [endpoint for _text, endpoint in next_steps(access, counts)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stage", "counts", "endpoints"),
    [
        (
            Stage.DRAFT,
            NONE_YET,
            [
                "evaluations.settings",
                "criteria.index",
                "decision.index",
                "vendors.index",
                "members.index",
                "stages.index",
            ],
        ),
        (
            Stage.DRAFT,
            SOME,
            ["evaluations.settings", "criteria.index", "decision.index", "stages.index"],
        ),
        # after opening, the vendors' links are sent from the Intake tab
        (Stage.OPEN, SOME, ["intake.index", "vendors.index", "stages.index"]),
        (Stage.SCORING, SOME, ["members.index", "stages.index"]),
        (
            Stage.CONSENSUS,
            SOME,
            ["consensus.index", "results.index", "pilot.index", "stages.index"],
        ),
        (Stage.PILOT, SOME, ["pilot.setup", "pilot.index", "pilot.award"]),
        (Stage.DECIDED, SOME, ["results.index", "reports.index"]),
    ],
)
def test_the_lead_is_led_through_the_stages(stage, counts, endpoints):
    assert _endpoints(_access(stage, Role.LEAD), counts) == endpoints
    assert _endpoints(_access(stage, "admin"), counts) == endpoints


@pytest.mark.parametrize(
    ("stage", "judges", "endpoints"),
    [
        (Stage.DRAFT, False, ["criteria.index"]),
        (Stage.DRAFT, True, ["decision.judgment", "criteria.index"]),
        (Stage.OPEN, True, ["criteria.index"]),
        (Stage.SCORING, False, ["scorecards.index"]),
    ],
)
def test_an_evaluator_reads_the_criteria_while_sealed_then_scores(stage, judges, endpoints):
    access = _access(stage, Role.EVALUATOR, judges=judges)
    assert _endpoints(access, SOME) == endpoints


def test_from_consensus_a_submitted_evaluator_reads_the_panel_and_the_results():
    access = _access(Stage.CONSENSUS, Role.EVALUATOR, submitted=True)
    assert _endpoints(access, SOME) == ["scorecards.index", "results.index"]
    decided = _access(Stage.DECIDED, Role.EVALUATOR, submitted=True)
    assert _endpoints(decided, SOME) == ["results.index"]


def test_an_evaluator_without_a_submitted_scorecard_is_told_why_the_results_are_closed():
    [(text, endpoint)] = next_steps(_access(Stage.CONSENSUS, Role.EVALUATOR), SOME)  # type: ignore[arg-type]
    assert endpoint == "scorecards.index"
    assert "open only to the evaluators who submitted theirs" in text


def test_a_submitted_evaluator_waits_for_consensus():
    [(text, _endpoint)] = next_steps(  # type: ignore[arg-type]
        _access(Stage.SCORING, Role.EVALUATOR, submitted=True), SOME
    )
    assert "open to you when the lead opens consensus" in text


def test_a_viewer_reads_the_results():
    assert _endpoints(_access(Stage.SCORING, Role.VIEWER), SOME) == ["results.index"]


def test_the_counts_add_up_the_panels_progress():
    evaluation = SimpleNamespace(vendors=[1, 2], criteria=[1, 2, 3])
    progress = [SimpleNamespace(entered=4, expected=10), SimpleNamespace(entered=10, expected=10)]
    counts = overview_counts(evaluation, progress, questions=12)  # type: ignore[arg-type]
    assert counts == {
        "vendors": 2,
        "evaluators": 2,
        "criteria": 3,
        "questions": 12,
        "scores": 14,
        "expected": 20,
    }
