"""What the overview shows: the counts, the cost model's volume figures from the scope,
and what this person should do next. Pure: from loaded rows to what the page shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from rfp import models as m
from rfp.core.access import VIEW_RESULTS, Access
from rfp.domain.scoring.cost import hours_per_month
from rfp.domain.vocabulary import Role, Stage
from rfp.scenario.convert import cost_scope_of

# (what to do, the endpoint of the page where it is done)
Step = tuple[str, str]


class Progress(Protocol):
    """An evaluator's scoring progress (rfp.areas.scorecards)."""

    entered: int
    expected: int


def overview_counts(
    evaluation: m.Evaluation, progress: Sequence[Progress], questions: int
) -> dict[str, int]:
    """The overview's tiles (the criteria, vendors and progress already loaded)."""
    return {
        "vendors": len(evaluation.vendors),
        "evaluators": len(progress),
        "criteria": len(evaluation.criteria),
        "questions": questions,
        "scores": sum(p.entered for p in progress),
        "expected": sum(p.expected for p in progress),
    }


def scope_figures(evaluation: m.Evaluation) -> dict[str, Any]:
    """The cost model's volume figures, when the scope has them."""
    cost_scope = cost_scope_of(evaluation.scope or {})
    if cost_scope is None:
        return {}
    hours = hours_per_month(cost_scope)
    out: dict[str, Any] = {
        "hours": hours,
        "fte": hours / cost_scope.fte_hours_per_month,
        "term": cost_scope.term_months,
    }
    if cost_scope.inhouse_rate is not None:
        out["inhouse_tco"] = cost_scope.term_months * hours * cost_scope.inhouse_rate
    return out


def _lead_steps(stage: Stage, counts: dict[str, int]) -> list[Step]:
    if stage == Stage.DRAFT:
        steps = [
            ("Check the scope, scale and price formula.", "evaluations.settings"),
            ("Review the criteria, questions and weights.", "criteria.index"),
            (
                "If the weights are in debate, derive them from pairwise comparisons "
                "by you and the evaluators.",
                "decision.index",
            ),
        ]
        if not counts["vendors"]:
            steps.append(("Add the vendors invited to respond.", "vendors.index"))
        if not counts["evaluators"]:
            steps.append(("Add the evaluators who will score.", "members.index"))
        steps.append(
            ("Go through the readiness checklist and open the evaluation.", "stages.index")
        )
        return steps
    if stage == Stage.OPEN:
        return [
            (
                "Send each vendor its response link (or its Excel questionnaire) from the "
                "Intake tab, and follow who has answered.",
                "intake.index",
            ),
            ("Type in a response that arrives another way.", "vendors.index"),
            ("At the deadline, start scoring: that unseals the responses.", "stages.index"),
        ]
    if stage == Stage.SCORING:
        return [
            ("Follow the evaluators' progress.", "members.index"),
            (
                "When every scorecard is submitted, open consensus: that freezes the scores.",
                "stages.index",
            ),
        ]
    if stage == Stage.CONSENSUS:
        return [
            ("Review the flagged scores and record consensus.", "consensus.index"),
            ("Read the ranking.", "results.index"),
            (
                "Optionally, pilot the best vendors before the award: shortlist a champion "
                "and a challenger.",
                "pilot.index",
            ),
            ("Record the award, with what is still open.", "stages.index"),
        ]
    if stage == Stage.PILOT:
        return [
            ("Set up and fix the pilot's success criteria.", "pilot.setup"),
            ("Enter each week's KPIs and record a verdict per vendor.", "pilot.index"),
            ("Record the award with the pilot's evidence.", "pilot.award"),
        ]
    return [
        ("Read the results.", "results.index"),
        ("Download the reports.", "reports.index"),
    ]


def _evaluator_steps(access: Access, stage: Stage) -> list[Step]:
    ahp: list[Step] = []
    if stage == Stage.DRAFT and access.can_judge_weights():
        ahp = [
            (
                "The lead asks for your view of how much each criterion matters: "
                "compare them two at a time.",
                "decision.judgment",
            )
        ]
    if stage.sealed:
        return ahp + [
            (
                "Responses are sealed until scoring starts. Meanwhile, read the criteria "
                "you will score against.",
                "criteria.index",
            )
        ]
    if stage == Stage.SCORING:
        if access.has_submitted:
            return [
                (
                    "Your scores are submitted. The panel's scores and the results open to "
                    "you when the lead opens consensus.",
                    "scorecards.index",
                )
            ]
        return [("Declare any conflict of interest, then score each vendor.", "scorecards.index")]
    if not access.can(VIEW_RESULTS):
        # On the panel without a submitted scorecard (added after consensus opened): the
        # scores are frozen, and the panel's scores stay closed to them.
        return [
            (
                "The scores were frozen when consensus opened, before you had submitted "
                "a scorecard: the panel's scores and the results are open only to the "
                "evaluators who submitted theirs.",
                "scorecards.index",
            )
        ]
    if stage == Stage.CONSENSUS:
        return [
            ("Read the panel's scores beside yours on your scorecards.", "scorecards.index"),
            ("Read the results.", "results.index"),
        ]
    return [("Read the results.", "results.index")]


def next_steps(access: Access, counts: dict[str, int]) -> list[Step]:
    """What this person should do next, and where."""
    stage = access.evaluation.current_stage
    if access.is_lead:
        return _lead_steps(stage, counts)
    if access.role == Role.EVALUATOR:
        return _evaluator_steps(access, stage)
    return [("Read the results and download the reports.", "results.index")]
