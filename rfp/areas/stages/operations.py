"""The lifecycle: draft -> open -> scoring -> consensus -> (pilot) -> decided.

Each move is checked first (`checks_before`): blockers stop it, warnings are shown and
the lead goes ahead or not. The guard-rails:

- opening is refused while the response deadline is in the past (it names the field);
- unsealing (open -> scoring) before the deadline needs a reason, audited, and the
  lead's confirmation (`confirmed`);
- opening consensus submits every scorecard not yet submitted as it stands and freezes
  every evaluator's scores (the panel's scores are visible from then on);
- the award needs the lead's confirmation, and a reason when anything is still open
  (`open_items_before_award`): both are kept with it.

Stepping back is allowed only where nothing has been seen that cannot be unseen (open
-> draft, pilot -> consensus), always with a reason: scoring never goes back to open
(the responses were read), nor consensus to scoring (the panel's scores were read). The
pilot is optional: shortlisting vendors for one moves there (`enter_pilot`, from
rfp.areas.pilot), or the award is recorded straight from consensus. `decided` is final:
the award is recorded and everything becomes read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.scorecards.operations import ClosedScorecard, close_scorecards_at_consensus
from rfp.areas.stages.queries import (
    BLOCKER,
    WARNING,
    Check,
    OpenItem,
    before_deadline,
    checks_before,
    decision_checks,
    open_items_before_award,
)
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import require_writable, response_frozen
from rfp.core.refusal import CONFLICT, Refused
from rfp.domain.formatting import counted, when
from rfp.domain.scoring.result import Result
from rfp.domain.vocabulary import Stage

_ORDER = list(Stage)
NEXT_STAGE: dict[Stage, Stage] = dict(zip(_ORDER, _ORDER[1:], strict=False))
# Back only where nothing has been read that cannot be unread: scoring never goes back
# to open (the responses), consensus never to scoring (the panel's scores).
PREVIOUS_STAGE: dict[Stage, Stage] = {Stage.OPEN: Stage.DRAFT, Stage.PILOT: Stage.CONSENSUS}
# Why a stage cannot go back, for the stage page.
NO_WAY_BACK: dict[Stage, str] = {
    Stage.SCORING: "Scoring cannot go back to open: the responses have been unsealed and read.",
    Stage.CONSENSUS: "Consensus cannot go back to scoring: the evaluators have read each "
    "other's scores, so theirs are frozen. A change now is a consensus score with its "
    "rationale.",
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


@dataclass(frozen=True)
class Moved:
    """What a move did besides changing the stage."""

    stage: Stage
    warnings: list[Check]  # shown before the move, gone ahead anyway
    closed: list[ClosedScorecard] = field(default_factory=list)  # submitted at consensus


def unseals_early(evaluation: m.Evaluation, to_stage: str) -> bool:
    """Moving to scoring, which unseals the responses, before the response deadline."""
    return to_stage == Stage.SCORING and before_deadline(evaluation)


def check_early_unsealing(evaluation: m.Evaluation, reason: str, confirmed: bool) -> None:
    """Unsealing before the deadline: refused without a reason (field `note`), then
    without the lead's confirmation (field `confirm`)."""
    deadline = when(evaluation.deadline)
    if not reason.strip():
        raise Refused(
            "note",
            f"The response deadline ({deadline}) has not passed: say why the responses are "
            "unsealed before it (the reason is audited).",
        )
    if not confirmed:
        raise Refused(
            "confirm",
            f"Confirm that the responses are unsealed before the deadline ({deadline}).",
            CONFLICT,
        )


def advance(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    to_stage: str,
    *,
    reason: str = "",
    readiness: dict[str, bool] | None = None,
    confirmed: bool = False,
) -> Moved:
    """Move to the next stage (not `decided`: see `decide`), in draft with the readiness
    checklist as ticked. Refuses when a blocker stands (naming its field), when the move
    is not the next, or when it unseals before the deadline without a reason and the
    lead's confirmation."""
    require_writable(evaluation)
    to = require_next(evaluation, to_stage)
    if readiness is not None and evaluation.current_stage == Stage.DRAFT:
        save_readiness(session, evaluation, user, readiness)
    checks = checks_before(session, evaluation)
    blockers = [c for c in checks if c.level == BLOCKER]
    if blockers:
        field_at_fault = next((c.field for c in blockers if c.field), "stage")
        raise Refused(field_at_fault, " ".join(c.message for c in blockers), CONFLICT)
    reason = reason.strip()
    early = unseals_early(evaluation, to)
    if early:
        check_early_unsealing(evaluation, reason, confirmed)
    if to == Stage.SCORING and evaluation.unsealed_at is None:
        evaluation.unsealed_at = utcnow()
        record(
            session,
            evaluation,
            user,
            "responses.unsealed",
            evaluation.title,
            old={"sealed": True},
            new={"sealed": False, "deadline": when(evaluation.deadline)}
            if early
            else {"sealed": False},
            reason=reason,
        )
    closed = (
        close_scorecards_at_consensus(session, evaluation, user) if to == Stage.CONSENSUS else []
    )
    _set_stage(session, evaluation, user, to, reason)
    return Moved(to, [c for c in checks if c.level == WARNING], closed)


def no_way_back(evaluation: m.Evaluation) -> str | None:
    """Why the evaluation cannot go back a stage now, or None (where it has a previous
    stage and may return to it)."""
    stage = evaluation.current_stage
    if stage in NO_WAY_BACK:
        return NO_WAY_BACK[stage]
    if stage == Stage.OPEN and response_frozen(evaluation):
        # In draft the deadline moves freely: back there, then open again, the frozen
        # responses would reopen and a bid could change after its deadline.
        return (
            f"Open cannot go back to draft: the response deadline passed on "
            f"{when(evaluation.deadline)} and the responses are frozen at it."
        )
    return None


def previous_stage(evaluation: m.Evaluation) -> Stage | None:
    """The stage `step_back` may return to now, if any."""
    if no_way_back(evaluation) is not None:
        return None
    return PREVIOUS_STAGE.get(evaluation.current_stage)


def require_previous(evaluation: m.Evaluation) -> Stage:
    """The stage `step_back` returns to, where there is one."""
    require_writable(evaluation)
    why = no_way_back(evaluation)
    previous = None if why else PREVIOUS_STAGE.get(evaluation.current_stage)
    if previous is None:
        raise Refused(
            "stage", why or f"the evaluation cannot go back from {evaluation.stage}", CONFLICT
        )
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
    open_items_reason: str = "",
    confirmed: bool = False,
) -> list[OpenItem]:
    """Record the award and make the evaluation read-only. The awarded vendor must be
    qualified; choosing another than the first-ranked needs its own reason; anything
    still open (`open_items_before_award`) needs a reason too; and the lead confirms
    (`confirmed`), having read what is open. Returns the open items kept with it."""
    open_items = check_award(
        session,
        evaluation,
        result,
        vendor,
        rationale,
        override_reason=override_reason,
        open_items_reason=open_items_reason,
    )
    assert vendor is not None and result is not None
    if not confirmed:
        raise Refused("confirm", "Confirm the award: it closes the evaluation.", CONFLICT)
    outcome = result.vendor(vendor.key)
    rationale, override_reason = rationale.strip(), override_reason.strip()
    evaluation.award_vendor_id = vendor.id
    evaluation.award_rationale = (
        rationale
        if outcome.rank == 1
        else f"{rationale}\n\nChosen over the first-ranked vendor because: {override_reason}"
    )
    evaluation.award_open_items = [item.message for item in open_items]
    evaluation.award_open_items_reason = open_items_reason.strip() if open_items else ""
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
            "open_items": evaluation.award_open_items or None,
            "open_items_reason": evaluation.award_open_items_reason or None,
        },
    )
    _set_stage(session, evaluation, user, Stage.DECIDED, rationale)
    return open_items


def check_award(
    session: Session,
    evaluation: m.Evaluation,
    result: Result | None,
    vendor: m.Vendor | None,
    rationale: str,
    *,
    override_reason: str = "",
    open_items_reason: str = "",
) -> list[OpenItem]:
    """Everything `decide` checks before the confirmation; refuses what it would refuse.
    Returns what is still open (for the confirmation to name)."""
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
    open_items = open_items_before_award(session, evaluation, result)
    if open_items and not open_items_reason.strip():
        raise Refused(
            "open_items_reason",
            f"{counted(len(open_items), 'item is', 'items are')} still open (listed above): "
            "say why the award is recorded with them open.",
        )
    return open_items
