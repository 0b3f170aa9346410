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
from rfp.domain.formatting import counted, when
from rfp.domain.scoring import Result, score_evaluation
from rfp.domain.vocabulary import CriterionKind, QuestionKind, ResponseStatus, Role, Stage
from rfp.models.adapter import load_scoring_input
from rfp.scenario.schema import COST_REQUIRED

BLOCKER, WARNING, INFO = "blocker", "warning", "info"
# The settings form's label of the deadline, as refusals name it.
DEADLINE_FIELD = "Response deadline"
READINESS = "readiness"  # the topic of an unticked checklist item
# The audit events the stage page lists as its history.
HISTORY_ACTIONS = (
    "stage",
    "responses.unsealed",
    "scorecard.submitted_at_consensus",
    "award.recorded",
)


@dataclass(frozen=True)
class Check:
    level: str  # BLOCKER stops the move; WARNING and INFO are shown
    message: str
    topic: str = ""  # READINESS: an unticked checklist item (pages may summarise them)
    field: str = ""  # the setting at fault, when there is one (a blocker names it)


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
    elif evaluation.deadline <= utcnow():
        checks.append(
            Check(
                BLOCKER,
                f"{DEADLINE_FIELD} ({when(evaluation.deadline)}) is in the past: set a later "
                "one in Settings before opening, or vendors would have no time to respond.",
                field="deadline",
            )
        )
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
    if before_deadline(evaluation):
        assert evaluation.deadline is not None
        checks.append(
            Check(
                WARNING,
                f"The response deadline ({when(evaluation.deadline)}) has not passed yet: "
                "unsealing now needs a reason, which is audited, and your confirmation. "
                "Vendors can no longer change their responses once scoring starts.",
                field="note",
            )
        )
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
            blank = p.expected - p.entered
            checks.append(
                Check(
                    WARNING,
                    f"{p.name} has not submitted ({p.entered} of {p.expected} scores entered)."
                    + (
                        f" Opening consensus submits the scorecard as it stands: "
                        f"{counted(blank, 'blank')} will be listed as missing."
                        if blank > 0
                        else " Opening consensus submits it as it stands."
                    ),
                )
            )
    checks.append(
        Check(
            INFO,
            "Opening consensus freezes every evaluator's scores: a change after that is a "
            "consensus score you record with its rationale. Each evaluator then sees the "
            "panel's scores beside their own.",
        )
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
    if not result.ranked:
        checks.append(Check(BLOCKER, "No vendor is qualified: every vendor failed a knockout."))
    return checks


# -- what is still open at the award ---------------------------------------------------------

# What an open item is about (OpenItem.kind).
UNSUBMITTED, DISPERSION, AMENDMENT, REFERENCES = (
    "unsubmitted_scorecard",
    "unresolved_dispersion",
    "amendment_after_unsealing",
    "missing_reference_calls",
)


@dataclass(frozen=True)
class OpenItem:
    """Something still open when the award is recorded: named on the confirmation, kept
    with the award (`Evaluation.award_open_items`), and needing the lead's reason."""

    kind: str
    message: str


def unsubmitted_scorecards(evaluation: m.Evaluation, result: Result) -> list[OpenItem]:
    """Scorecards the evaluators did not submit themselves: still open, or submitted as
    they stood when consensus opened with scores missing (the result's missing pairs,
    consensus scores aside)."""
    missing: dict[str, int] = {}
    for vendor in result.vendors:
        for gap in vendor.missing:
            missing[gap.evaluator] = missing.get(gap.evaluator, 0) + 1
    items = []
    for ms in sorted(evaluation.memberships, key=lambda ms: ms.id):
        if ms.role != Role.EVALUATOR or not ms.active:
            continue
        if ms.submitted_at is None:
            items.append(OpenItem(UNSUBMITTED, f"{ms.user.name} has not submitted a scorecard."))
        elif ms.auto_submitted and missing.get(ms.key):
            items.append(
                OpenItem(
                    UNSUBMITTED,
                    f"{ms.user.name}'s scorecard was submitted as it stood when consensus "
                    f"opened: {counted(missing[ms.key], 'score')} never entered.",
                )
            )
    return items


def unresolved_dispersion(evaluation: m.Evaluation, result: Result) -> list[OpenItem]:
    """Flagged disagreements with no consensus score (and so no rationale) yet."""
    names = {v.key: v.name for v in evaluation.vendors}
    texts = {q.key: q.text for c in evaluation.criteria for q in c.questions}
    return [
        OpenItem(
            DISPERSION,
            f"{names.get(d.vendor, d.vendor)} · {texts.get(d.question, d.question)}: the "
            f"evaluators' scores range over {d.spread:g} points and no consensus score is "
            "recorded.",
        )
        for d in result.flagged_dispersion
        if not d.resolved
    ]


def amendments_after_unsealing(session: Session, evaluation: m.Evaluation) -> list[OpenItem]:
    """Hook: the lead's amendments to vendor responses recorded after the responses were
    unsealed (issue 10, "Bids are what the vendor submitted"). Each is named at the award
    so that the lead gives a reason for awarding with it.

    Returns nothing until the amendments branch adds its model: it replaces this body
    with a query of the amendments made after `evaluation.unsealed_at`, one OpenItem
    (kind AMENDMENT) each, e.g. "Price amended by the lead after unsealing: ...".
    """
    return []


def missing_reference_calls(evaluation: m.Evaluation, result: Result) -> list[OpenItem]:
    """Qualified vendors with fewer reference calls than the seeds advise (the engine's
    `references_few` flag, raised when the evaluation has a references criterion)."""
    return [
        OpenItem(REFERENCES, f"{vendor.name}: {flag.message}.")
        for vendor in result.vendors
        if not vendor.disqualified
        for flag in vendor.flags
        if flag.kind == "references_few"
    ]


def open_items_before_award(
    session: Session, evaluation: m.Evaluation, result: Result | None
) -> list[OpenItem]:
    """Everything still open at the award: unsubmitted scorecards, unresolved dispersion
    flags, amendments after unsealing and missing reference calls. Any of them makes
    the award need a reason, kept with it."""
    if result is None:
        return []
    return [
        *unsubmitted_scorecards(evaluation, result),
        *unresolved_dispersion(evaluation, result),
        *amendments_after_unsealing(session, evaluation),
        *missing_reference_calls(evaluation, result),
    ]


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


def before_deadline(evaluation: m.Evaluation) -> bool:
    """The response deadline is set and has not passed: vendors may still respond."""
    return evaluation.deadline is not None and utcnow() < evaluation.deadline


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
