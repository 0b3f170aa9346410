"""Questions of a criterion: scored, knockout (a must-have, pass or fail) or info.

After `draft`, adding or removing a question, or changing its weight or kind, needs a
reason; every change is audited with its old and new values. Flush, never commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import models as m
from ..scoring.model import QUESTION_KINDS
from .audit import record
from .criteria import (
    COMPUTED_KINDS,
    check_weight,
    move_in_order,
    question_target,
    renumber,
    scores_on,
)
from .setup import SetupError, frozen_reason, number_or_int, require_writable, unique_key


def _question_state(q: m.Question) -> dict[str, object]:
    return {
        "text": q.text,
        "kind": q.kind,
        "weight": number_or_int(q.weight),
        "guidance": q.guidance,
    }


def _check_question(criterion: m.Criterion, text: str, kind: str, weight: float) -> float:
    if criterion.kind in COMPUTED_KINDS:
        raise SetupError(
            "criterion", f"the {criterion.kind} criterion is computed and has no questions"
        )
    if not text.strip():
        raise SetupError("text", "is required")
    if kind not in QUESTION_KINDS:
        raise SetupError("kind", f"must be one of {', '.join(QUESTION_KINDS)}")
    # Knockout and info questions are not weighted; keep what was typed, default 1.
    return check_weight(weight) if kind == "scored" else float(weight or 1)


def add_question(
    session: Session,
    criterion: m.Criterion,
    user: m.User,
    *,
    text: str,
    kind: str,
    weight: float,
    guidance: str = "",
    reason: str = "",
) -> m.Question:
    evaluation = criterion.evaluation
    require_writable(evaluation)
    weight = _check_question(criterion, text, kind, weight)
    why = frozen_reason(evaluation, reason, "Criteria and questions")
    taken = session.scalars(select(m.Question.key).where(m.Question.evaluation_id == evaluation.id))
    question = m.Question(
        evaluation_id=evaluation.id,
        key=unique_key(text, taken, "question"),
        text=text.strip(),
        guidance=guidance.strip(),
        kind=kind,
        weight=weight,
        position=max((q.position for q in criterion.questions), default=-1) + 1,
    )
    criterion.questions.append(question)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "question.added",
        question_target(question),
        new=_question_state(question),
        reason=why,
    )
    return question


def update_question(
    session: Session,
    question: m.Question,
    user: m.User,
    *,
    text: str,
    kind: str,
    weight: float,
    guidance: str = "",
    reason: str = "",
) -> bool:
    criterion = question.criterion
    evaluation = criterion.evaluation
    require_writable(evaluation)
    weight = _check_question(criterion, text, kind, weight)
    old = _question_state(question)
    new = {
        "text": text.strip(),
        "kind": kind,
        "weight": number_or_int(weight),
        "guidance": guidance.strip(),
    }
    if old == new:
        return False
    scoring = old["kind"] != new["kind"] or (kind == "scored" and old["weight"] != new["weight"])
    why = frozen_reason(evaluation, reason, "Weights and questions") if scoring else reason.strip()
    question.text, question.kind = new["text"], kind
    question.weight, question.guidance = weight, new["guidance"]
    session.flush()
    keys = [k for k in new if old[k] != new[k]]
    action = "question.weight" if keys == ["weight"] else "question.updated"
    record(
        session,
        evaluation,
        user,
        action,
        question_target(question),
        old={k: old[k] for k in keys},
        new={k: new[k] for k in keys},
        reason=why,
    )
    return True


def delete_question(
    session: Session, question: m.Question, user: m.User, *, reason: str = ""
) -> None:
    criterion = question.criterion
    evaluation = criterion.evaluation
    require_writable(evaluation)
    why = frozen_reason(evaluation, reason, "Criteria and questions")
    old = dict(_question_state(question), scores_deleted=scores_on(session, [question.id]))
    target = question_target(question)
    criterion.questions.remove(question)
    session.flush()
    renumber(criterion.questions)
    record(session, evaluation, user, "question.removed", target, old=old, reason=why)


def move_question(session: Session, question: m.Question, user: m.User, direction: str) -> bool:
    criterion = question.criterion
    require_writable(criterion.evaluation)
    moved = move_in_order(list(criterion.questions), question, direction)
    if moved:
        record(
            session,
            criterion.evaluation,
            user,
            "question.moved",
            question_target(question),
            new={"position": question.position + 1},
        )
    return moved
