"""The lifecycle: draft -> open -> scoring -> consensus -> decided.

Each move is checked first (`checks_before`): blockers stop it, warnings are shown and
the lead goes ahead or not. Stepping back is allowed where nothing sealed has been
seen that cannot be unseen (open -> draft, consensus -> scoring), always with a reason.
`decided` is final: the award is recorded and everything becomes read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import SetupError, require_writable
from rfp.domain.scoring.result import Result
from rfp.scenario.schema import COST_REQUIRED

NEXT_STAGE = {"draft": "open", "open": "scoring", "scoring": "consensus", "consensus": "decided"}
PREVIOUS_STAGE = {"open": "draft", "consensus": "scoring"}
STAGE_PURPOSE = {
    "draft": "Set up the scope, criteria, weights, vendors and evaluators.",
    "open": "Vendors respond until the deadline; responses stay sealed.",
    "scoring": "Responses are unsealed; evaluators score independently and record reference calls.",
    "consensus": "Dispersion is reviewed and consensus scores are recorded with a rationale.",
    "decided": "The award is recorded; the evaluation is read-only.",
}


@dataclass(frozen=True)
class Check:
    level: str  # "blocker" stops the move; "warning" and "info" are shown
    message: str
    topic: str = ""  # "readiness": an unticked checklist item (pages may summarise them)


def weight_sums(evaluation: m.Evaluation) -> tuple[float, list[tuple[m.Criterion, float]]]:
    """The sum of the criterion weights, and each scored criterion's question-weight sum
    where it is not 100 (weights are relative: these are warnings, not errors)."""
    total = sum(c.weight for c in evaluation.criteria)
    off = []
    for criterion in evaluation.criteria:
        scored = [q.weight for q in criterion.questions if q.kind == "scored"]
        if scored and abs(sum(scored) - 100) > 1e-9:
            off.append((criterion, sum(scored)))
    return total, off


def _fmt(value: float) -> str:
    return f"{value:g}"


def _draft_checks(evaluation: m.Evaluation) -> list[Check]:
    checks: list[Check] = []
    if not evaluation.criteria:
        checks.append(
            Check("blocker", "There are no criteria yet: add them, or start from the template.")
        )
    for criterion in evaluation.criteria:
        if criterion.kind == "scored" and not any(q.kind == "scored" for q in criterion.questions):
            checks.append(
                Check(
                    "blocker",
                    f"{criterion.name} has no scored question, so no vendor could score on it.",
                )
            )
        if criterion.kind == "cost":
            missing = [f for f in COST_REQUIRED if (evaluation.scope or {}).get(f) is None]
            if missing:
                checks.append(
                    Check(
                        "blocker",
                        "The cost criterion needs "
                        + ", ".join(f.replace("_", " ") for f in missing)
                        + " in the scope (Settings).",
                    )
                )
    for key, text in m.READINESS_ITEMS.items():
        if not (evaluation.readiness or {}).get(key):
            checks.append(
                Check("warning", f"Not confirmed on the readiness checklist: {text}.", "readiness")
            )
    total, off = weight_sums(evaluation)
    if evaluation.criteria and abs(total - 100) > 1e-9:
        checks.append(
            Check(
                "warning",
                f"Criterion weights add up to {_fmt(total)}, not 100. "
                "Weights are relative, so each counts as the "
                "percentage shown in the editor.",
            )
        )
    if off:
        checks.append(
            Check(
                "warning",
                "Question weights do not add up to 100 in "
                + ", ".join(f"{c.name} ({_fmt(s)})" for c, s in off)
                + "; they count as the percentages shown in the editor.",
            )
        )
    if not evaluation.vendors:
        checks.append(Check("warning", "No vendors yet: add the vendors invited to respond."))
    if not any(ms.role == "evaluator" and ms.active for ms in evaluation.memberships):
        checks.append(
            Check("warning", "No evaluators yet: add the scoring panel on the People page.")
        )
    if evaluation.deadline is None:
        checks.append(Check("warning", "No response deadline is set (Settings)."))
    return checks


def _open_checks(session: Session, evaluation: m.Evaluation) -> list[Check]:
    checks: list[Check] = []
    vendors = session.scalars(
        select(m.Vendor)
        .where(m.Vendor.evaluation_id == evaluation.id)
        .options(selectinload(m.Vendor.response))
        .order_by(m.Vendor.position, m.Vendor.id)
    ).all()
    if not vendors:
        checks.append(Check("blocker", "There are no vendors to score."))
    has_cost = any(c.kind == "cost" for c in evaluation.criteria)
    for vendor in vendors:
        response = vendor.response
        if response is None or response.status == "not_started":
            checks.append(Check("warning", f"{vendor.name} has no response yet."))
        elif has_cost and not response.has_price:
            checks.append(
                Check(
                    "warning",
                    f"{vendor.name} has no price: it will score 0 on cost and stay incomplete.",
                )
            )
    if not any(ms.role == "evaluator" and ms.active for ms in evaluation.memberships):
        checks.append(Check("warning", "No evaluators are on the panel."))
    if evaluation.deadline is not None and evaluation.deadline > utcnow():
        checks.append(Check("warning", "The response deadline has not passed yet."))
    checks.append(
        Check(
            "info",
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
                    "warning",
                    f"{p.name} has not submitted ({p.entered} of {p.expected} scores entered).",
                )
            )
    checks.append(
        Check("info", "In consensus each evaluator also sees the other evaluators' scores.")
    )
    return checks


def _decision_checks(result: Result | None) -> list[Check]:
    if result is None:
        return []
    checks: list[Check] = []
    for vendor in result.vendors:
        if not vendor.complete:
            checks.append(
                Check(
                    "warning",
                    f"{vendor.name}'s figures are provisional: "
                    + "; ".join(vendor.incomplete_reasons[:2] or ("incomplete",)),
                )
            )
    open_flags = [d for d in result.flagged_dispersion if not d.resolved]
    if open_flags:
        checks.append(
            Check(
                "warning",
                f"{len(open_flags)} flagged (vendor, question) pairs have no consensus score yet.",
            )
        )
    if not result.ranked:
        checks.append(Check("blocker", "No vendor is qualified: every vendor failed a knockout."))
    return checks


def summarise_readiness(checks: list[Check]) -> list[Check]:
    """The unticked checklist items as one warning, for a page that shows the list."""
    unticked = [c for c in checks if c.topic == "readiness"]
    if not unticked:
        return checks
    total = len(m.READINESS_ITEMS)
    summary = Check(
        "warning",
        f"{len(unticked)} of {total} readiness items are not confirmed. They are warnings, "
        "not blockers: the evaluation can open anyway.",
        "readiness",
    )
    return [summary] + [c for c in checks if c.topic != "readiness"]


def checks_before(
    session: Session, evaluation: m.Evaluation, result: Result | None = None
) -> list[Check]:
    """What to know before moving to the next stage."""
    stage = evaluation.stage
    if stage == "draft":
        return _draft_checks(evaluation)
    if stage == "open":
        return _open_checks(session, evaluation)
    if stage == "scoring":
        return _scoring_checks(session, evaluation)
    if stage == "consensus":
        return _decision_checks(result)
    return []


def _set_stage(
    session: Session, evaluation: m.Evaluation, user: m.User, stage: str, reason: str
) -> None:
    old = evaluation.stage
    evaluation.stage = stage
    evaluation.stage_changed_at = utcnow()
    session.flush()
    record(
        session,
        evaluation,
        user,
        "stage",
        evaluation.title,
        old={"stage": old},
        new={"stage": stage},
        reason=reason,
    )


def save_readiness(
    session: Session, evaluation: m.Evaluation, user: m.User, checked: dict[str, bool]
) -> bool:
    require_writable(evaluation)
    new = {key: bool(checked.get(key)) for key in m.READINESS_ITEMS}
    old = {key: bool((evaluation.readiness or {}).get(key)) for key in m.READINESS_ITEMS}
    if new == old:
        return False
    evaluation.readiness = new
    session.flush()
    keys = [k for k in new if new[k] != old[k]]
    record(
        session,
        evaluation,
        user,
        "readiness.updated",
        "readiness checklist",
        old={k: old[k] for k in keys},
        new={k: new[k] for k in keys},
    )
    return True


def advance(
    session: Session, evaluation: m.Evaluation, user: m.User, to_stage: str, *, reason: str = ""
) -> list[Check]:
    """Move to the next stage (not `decided`: see `decide`). Returns the warnings that
    were shown; raises SetupError when a blocker stands or the move is not the next."""
    require_writable(evaluation)
    if NEXT_STAGE.get(evaluation.stage) != to_stage or to_stage == "decided":
        raise SetupError("stage", f"cannot move from {evaluation.stage} to {to_stage}")
    checks = checks_before(session, evaluation)
    blockers = [c.message for c in checks if c.level == "blocker"]
    if blockers:
        raise SetupError("stage", " ".join(blockers))
    if to_stage == "scoring" and evaluation.unsealed_at is None:
        evaluation.unsealed_at = utcnow()
        record(
            session,
            evaluation,
            user,
            "responses.unsealed",
            evaluation.title,
            old={"sealed": True},
            new={"sealed": False},
            reason=reason.strip(),
        )
    _set_stage(session, evaluation, user, to_stage, reason.strip())
    return [c for c in checks if c.level == "warning"]


def step_back(session: Session, evaluation: m.Evaluation, user: m.User, reason: str) -> str:
    require_writable(evaluation)
    previous = PREVIOUS_STAGE.get(evaluation.stage)
    if previous is None:
        raise SetupError("stage", f"the evaluation cannot go back from {evaluation.stage}")
    reason = reason.strip()
    if not reason:
        raise SetupError("reason", "say why the evaluation goes back (it is audited)")
    _set_stage(session, evaluation, user, previous, reason)
    return previous


def decide(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    result: Result,
    vendor: m.Vendor,
    rationale: str,
    *,
    override_reason: str = "",
) -> None:
    """Record the award and make the evaluation read-only. The awarded vendor must be
    qualified; choosing another than the first-ranked needs its own reason."""
    require_writable(evaluation)
    if evaluation.stage != "consensus":
        raise SetupError("stage", "the award is recorded at the end of consensus")
    if vendor.evaluation_id != evaluation.id:
        raise SetupError("vendor", "is not a vendor of this evaluation")
    blockers = [c.message for c in _decision_checks(result) if c.level == "blocker"]
    if blockers:
        raise SetupError("vendor", " ".join(blockers))
    outcome = result.vendor(vendor.key)
    if outcome.rank is None:
        texts = {q.key: q.text for c in evaluation.criteria for q in c.questions}
        failed = "; ".join(texts.get(k, k) for k in outcome.failed_knockouts) or "a knockout"
        raise SetupError("vendor", f"{vendor.name} failed {failed} and cannot be awarded")
    rationale = rationale.strip()
    if not rationale:
        raise SetupError("rationale", "record why this vendor is awarded")
    override_reason = override_reason.strip()
    if outcome.rank != 1 and not override_reason:
        first = " and ".join(v.name for v in result.ranked if v.rank == 1)
        raise SetupError(
            "override_reason",
            f"{vendor.name} is ranked {outcome.rank}: say why it is chosen over {first}",
        )
    evaluation.award_vendor_id = vendor.id
    evaluation.award_rationale = (
        rationale
        if outcome.rank == 1
        else f"{rationale}\n\nChosen over the first-ranked vendor because: {override_reason}"
    )
    evaluation.decided_at = utcnow()
    record(
        session,
        evaluation,
        user,
        "award.recorded",
        vendor.name,
        new={
            "vendor": vendor.name,
            "rank": outcome.rank,
            "total": round(outcome.total, 1),
            "rationale": rationale,
            "override_reason": override_reason or None,
        },
    )
    _set_stage(session, evaluation, user, "decided", rationale)
