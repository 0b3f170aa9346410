"""What to know before an evaluation moves on, and what the stage page reads.

`checks_before` lists, for the current stage, the blockers that stop the move and the
warnings the lead reads before going ahead; the overview shows them too (with
`summarise_readiness` and `weight_sums`, public for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.clarifications.queries import waiting_count
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.areas.vendors.queries import vendors_of
from rfp.core.db import utcnow
from rfp.domain.formatting import counted
from rfp.domain.scoring import Result, score_evaluation
from rfp.domain.vocabulary import CriterionKind, QuestionKind, ResponseStatus, Role, Stage
from rfp.models.adapter import load_scoring_input
from rfp.scenario.schema import COST_REQUIRED

BLOCKER, WARNING, INFO = "blocker", "warning", "info"
READINESS = "readiness"  # the topic of an unticked checklist item
# The audit events the stage page lists as its history.
HISTORY_ACTIONS = ("stage", "responses.unsealed", "award.recorded")


@dataclass(frozen=True)
class Check:
    level: str  # BLOCKER stops the move; WARNING and INFO are shown
    message: str
    topic: str = ""  # READINESS: an unticked checklist item (pages may summarise them)


def weight_sums(evaluation: m.Evaluation) -> tuple[float, list[tuple[m.Criterion, float]]]:
    """The sum of the criterion weights, and each scored criterion's question-weight sum
    where it is not 100 (weights are relative: these are warnings, not errors)."""
    total = sum(c.weight for c in evaluation.criteria)
    off = []
    for criterion in evaluation.criteria:
        scored = [q.weight for q in criterion.questions if q.kind == QuestionKind.SCORED]
        if scored and abs(sum(scored) - 100) > 1e-9:
            off.append((criterion, sum(scored)))
    return total, off


def _fmt(value: float) -> str:
    return f"{value:g}"


def _has_panel(evaluation: m.Evaluation) -> bool:
    return any(ms.role == Role.EVALUATOR and ms.active for ms in evaluation.memberships)


def _draft_checks(evaluation: m.Evaluation) -> list[Check]:
    checks: list[Check] = []
    scope = evaluation.scope or {}
    if not evaluation.criteria:
        checks.append(
            Check(BLOCKER, "There are no criteria yet: add them, or start from the template.")
        )
    for criterion in evaluation.criteria:
        kind = criterion.kind
        if kind == CriterionKind.SCORED and not any(
            q.kind == QuestionKind.SCORED for q in criterion.questions
        ):
            checks.append(
                Check(
                    BLOCKER,
                    f"{criterion.name} has no scored question, so no vendor could score on it.",
                )
            )
        if kind == CriterionKind.COST:
            missing = [f for f in COST_REQUIRED if scope.get(f) is None]
            if missing:
                checks.append(
                    Check(
                        BLOCKER,
                        "The cost criterion needs "
                        + ", ".join(f.replace("_", " ") for f in missing)
                        + " in the scope (Settings).",
                    )
                )
    for key, text in m.READINESS_ITEMS.items():
        if not (evaluation.readiness or {}).get(key):
            checks.append(
                Check(WARNING, f"Not confirmed on the readiness checklist: {text}.", READINESS)
            )
    total, off = weight_sums(evaluation)
    if evaluation.criteria and abs(total - 100) > 1e-9:
        checks.append(
            Check(
                WARNING,
                f"Criterion weights add up to {_fmt(total)}, not 100. "
                "Weights are relative, so each counts as the "
                "percentage shown in the editor.",
            )
        )
    if off:
        checks.append(
            Check(
                WARNING,
                "Question weights do not add up to 100 in "
                + ", ".join(f"{c.name} ({_fmt(s)})" for c, s in off)
                + "; they count as the percentages shown in the editor.",
            )
        )
    if not evaluation.vendors:
        checks.append(Check(WARNING, "No vendors yet: add the vendors invited to respond."))
    if not _has_panel(evaluation):
        checks.append(
            Check(WARNING, "No evaluators yet: add the scoring panel on the People page.")
        )
    if evaluation.deadline is None:
        checks.append(Check(WARNING, "No response deadline is set (Settings)."))
    return checks


def _open_checks(session: Session, evaluation: m.Evaluation) -> list[Check]:
    checks: list[Check] = []
    vendors = vendors_of(session, evaluation)
    if not vendors:
        checks.append(Check(BLOCKER, "There are no vendors to score."))
    has_cost = any(c.kind == CriterionKind.COST for c in evaluation.criteria)
    for vendor in vendors:
        response = vendor.response
        if response is None or response.status == ResponseStatus.NOT_STARTED:
            checks.append(Check(WARNING, f"{vendor.name} has no response yet."))
        elif has_cost and not response.has_price:
            checks.append(
                Check(
                    WARNING,
                    f"{vendor.name} has no price: it will score 0 on cost and stay incomplete.",
                )
            )
    if not _has_panel(evaluation):
        checks.append(Check(WARNING, "No evaluators are on the panel."))
    if evaluation.deadline is not None and evaluation.deadline > utcnow():
        checks.append(Check(WARNING, "The response deadline has not passed yet."))
    waiting = waiting_count(session, evaluation.id)
    if waiting:
        checks.append(
            Check(
                WARNING,
                f"{counted(waiting, 'vendor question')} still "
                f"{'waits' if waiting == 1 else 'wait'} for an answer (Q&A).",
            )
        )
    checks.append(
        Check(
            INFO,
            "Starting scoring unseals the responses: from then on every "
            "evaluator reads every answer.",
        )
    )
    return checks


def _scoring_checks(session: Session, evaluation: m.Evaluation) -> list[Check]:
    checks: list[Check] = []
    for p in progress_by_evaluation(session, [evaluation.id]).get(evaluation.id, []):
        if not p.submitted:
            checks.append(
                Check(
                    WARNING,
                    f"{p.name} has not submitted ({p.entered} of {p.expected} scores entered).",
                )
            )
    checks.append(
        Check(INFO, "In consensus each evaluator also sees the other evaluators' scores.")
    )
    return checks


def decision_checks(result: Result | None) -> list[Check]:
    """What to know before the award: provisional figures, open flags, and whether any
    vendor is qualified at all."""
    if result is None:
        return []
    checks: list[Check] = []
    for vendor in result.vendors:
        if not vendor.complete:
            checks.append(
                Check(
                    WARNING,
                    f"{vendor.name}'s figures are provisional: "
                    + "; ".join(vendor.incomplete_reasons[:2] or ("incomplete",)),
                )
            )
    open_flags = [d for d in result.flagged_dispersion if not d.resolved]
    if open_flags:
        checks.append(
            Check(
                WARNING,
                f"{len(open_flags)} flagged (vendor, question) pairs have no consensus score yet.",
            )
        )
    if not result.ranked:
        checks.append(Check(BLOCKER, "No vendor is qualified: every vendor failed a knockout."))
    return checks


def summarise_readiness(checks: list[Check]) -> list[Check]:
    """The unticked checklist items as one warning, for a page that shows the list."""
    unticked = [c for c in checks if c.topic == READINESS]
    if not unticked:
        return checks
    total = len(m.READINESS_ITEMS)
    summary = Check(
        WARNING,
        f"{len(unticked)} of {total} readiness items are not confirmed. They are warnings, "
        "not blockers: the evaluation can open anyway.",
        READINESS,
    )
    return [summary] + [c for c in checks if c.topic != READINESS]


def checks_before(
    session: Session, evaluation: m.Evaluation, result: Result | None = None
) -> list[Check]:
    """What to know before moving to the next stage."""
    stage = evaluation.current_stage
    if stage == Stage.DRAFT:
        return _draft_checks(evaluation)
    if stage == Stage.OPEN:
        return _open_checks(session, evaluation)
    if stage == Stage.SCORING:
        return _scoring_checks(session, evaluation)
    if stage == Stage.CONSENSUS:
        return decision_checks(result)
    return []


# -- the stage page -------------------------------------------------------------------------


def result_for_award(session: Session, evaluation: m.Evaluation) -> Result | None:
    """The ranking the award is chosen from, in consensus (None before, or with no vendors)."""
    if evaluation.current_stage != Stage.CONSENSUS or not evaluation.vendors:
        return None
    return score_evaluation(load_scoring_input(session, evaluation))


def stage_history(session: Session, evaluation: m.Evaluation) -> list[m.AuditEvent]:
    """The stage changes, the unsealing and the award, newest first."""
    return list(
        session.scalars(
            select(m.AuditEvent)
            .where(
                m.AuditEvent.evaluation_id == evaluation.id,
                m.AuditEvent.action.in_(HISTORY_ACTIONS),
            )
            .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        )
    )


def awarded_vendor(session: Session, evaluation: m.Evaluation) -> m.Vendor | None:
    if evaluation.award_vendor_id is None:
        return None
    return session.get(m.Vendor, evaluation.award_vendor_id)


def vendor_for_award(
    session: Session, evaluation: m.Evaluation, vendor_id: int | None
) -> m.Vendor | None:
    """The vendor the lead chose, if it is one of this evaluation's."""
    vendor = session.get(m.Vendor, vendor_id or 0)
    return vendor if vendor is not None and vendor.evaluation_id == evaluation.id else None
