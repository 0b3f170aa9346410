"""The lifecycle: draft -> open -> scoring -> consensus -> (pilot) -> decided.

Each move is checked first (`checks_before`): blockers stop it, warnings are shown and
the lead goes ahead or not. Stepping back is allowed where nothing sealed has been
seen that cannot be unseen (open -> draft, consensus -> scoring, pilot -> consensus),
always with a reason. The pilot is optional: shortlisting vendors for one moves there
(`enter_pilot`, from rfp.areas.pilot), or the award is recorded straight from consensus.
`decided` is final: the award is recorded and everything becomes read-only.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.stages.queries import BLOCKER, WARNING, Check, checks_before, decision_checks
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import require_writable
from rfp.core.refusal import CONFLICT, Refused
from rfp.domain.scoring.result import Result
from rfp.domain.vocabulary import Stage

_ORDER = list(Stage)
NEXT_STAGE: dict[Stage, Stage] = dict(zip(_ORDER, _ORDER[1:], strict=False))
# Back only where nothing sealed has been read: scoring never goes back to open.
PREVIOUS_STAGE: dict[Stage, Stage] = {
    Stage.OPEN: Stage.DRAFT,
    Stage.CONSENSUS: Stage.SCORING,
    Stage.PILOT: Stage.CONSENSUS,
}
# Where the award may be recorded: at the end of consensus, or after the pilot.
AWARD_STAGES = (Stage.CONSENSUS, Stage.PILOT)
STAGE_PURPOSE: dict[Stage, str] = {
    Stage.DRAFT: "Set up the scope, criteria, weights, vendors and evaluators.",
    Stage.OPEN: "Vendors respond until the deadline; responses stay sealed.",
    Stage.SCORING: "Responses are unsealed; evaluators score independently and record "
    "reference calls.",
    Stage.CONSENSUS: "Dispersion is reviewed and consensus scores are recorded with a rationale.",
    Stage.PILOT: "The shortlisted vendors run a pilot against success criteria fixed before "
    "it starts; the data decides whether to expand, extend or unwind.",
    Stage.DECIDED: "The award is recorded; the evaluation is read-only.",
}


def _set_stage(
    session: Session, evaluation: m.Evaluation, user: m.User, stage: Stage, reason: str
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
    """Tick the readiness checklist; returns whether anything changed."""
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


def require_next(evaluation: m.Evaluation, to_stage: str) -> Stage:
    """The stage `advance` moves to: the next one, never skipping, and neither `pilot`
    (shortlisting moves there: see `enter_pilot`) nor `decided` (see `decide`)."""
    stage = evaluation.current_stage
    following = NEXT_STAGE.get(stage)
    if following is None or to_stage != following or following in (Stage.PILOT, Stage.DECIDED):
        raise Refused(
            "to",
            f"The evaluation is in {stage}; it cannot move to {to_stage or 'that stage'} "
            "from here.",
            CONFLICT,
        )
    return following


def advance(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    to_stage: str,
    *,
    reason: str = "",
    readiness: dict[str, bool] | None = None,
) -> list[Check]:
    """Move to the next stage (not `decided`: see `decide`), in draft with the readiness
    checklist as ticked. Returns the warnings that were shown; refuses when a blocker
    stands or the move is not the next."""
    require_writable(evaluation)
    to = require_next(evaluation, to_stage)
    if readiness is not None and evaluation.current_stage == Stage.DRAFT:
        save_readiness(session, evaluation, user, readiness)
    checks = checks_before(session, evaluation)
    blockers = [c.message for c in checks if c.level == BLOCKER]
    if blockers:
        raise Refused("stage", " ".join(blockers), CONFLICT)
    if to == Stage.SCORING and evaluation.unsealed_at is None:
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
    _set_stage(session, evaluation, user, to, reason.strip())
    return [c for c in checks if c.level == WARNING]


def require_previous(evaluation: m.Evaluation) -> Stage:
    """The stage `step_back` returns to, where there is one."""
    require_writable(evaluation)
    previous = PREVIOUS_STAGE.get(evaluation.current_stage)
    if previous is None:
        raise Refused("stage", f"the evaluation cannot go back from {evaluation.stage}", CONFLICT)
    return previous


def step_back(session: Session, evaluation: m.Evaluation, user: m.User, reason: str) -> Stage:
    previous = require_previous(evaluation)
    reason = reason.strip()
    if not reason:
        raise Refused("reason", "say why the evaluation goes back (it is audited)")
    _set_stage(session, evaluation, user, previous, reason)
    return previous


def enter_pilot(session: Session, evaluation: m.Evaluation, user: m.User, reason: str) -> None:
    """Consensus -> pilot, when the lead has shortlisted vendors (rfp.areas.pilot)."""
    require_writable(evaluation)
    if evaluation.current_stage != Stage.CONSENSUS:
        raise Refused("stage", "a pilot starts at the end of consensus", CONFLICT)
    _set_stage(session, evaluation, user, Stage.PILOT, reason)


def decide(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    result: Result | None,
    vendor: m.Vendor | None,
    rationale: str,
    *,
    override_reason: str = "",
) -> None:
    """Record the award and make the evaluation read-only. The awarded vendor must be
    qualified; choosing another than the first-ranked needs its own reason."""
    require_writable(evaluation)
    if evaluation.current_stage not in AWARD_STAGES:
        raise Refused(
            "stage", "the award is recorded at the end of consensus or of the pilot", CONFLICT
        )
    if vendor is None or vendor.evaluation_id != evaluation.id or result is None:
        raise Refused("vendor_id", "Choose a qualified vendor.")
    blockers = [c.message for c in decision_checks(result) if c.level == BLOCKER]
    if blockers:
        raise Refused("vendor_id", " ".join(blockers), CONFLICT)
    outcome = result.vendor(vendor.key)
    if outcome.rank is None:
        texts = {q.key: q.text for c in evaluation.criteria for q in c.questions}
        failed = "; ".join(texts.get(k, k) for k in outcome.failed_knockouts) or "a knockout"
        raise Refused("vendor_id", f"{vendor.name} failed {failed} and cannot be awarded")
    rationale = rationale.strip()
    if not rationale:
        raise Refused("rationale", "record why this vendor is awarded")
    override_reason = override_reason.strip()
    if outcome.rank != 1 and not override_reason:
        first = " and ".join(v.name for v in result.ranked if v.rank == 1)
        raise Refused(
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
    _set_stage(session, evaluation, user, Stage.DECIDED, rationale)
