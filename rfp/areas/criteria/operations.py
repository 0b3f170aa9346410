"""The criteria tree: criteria and their questions, their weights and their order.

After `draft`, a weight, a kind, an added or a removed criterion or question needs a
reason (DESIGN.md: weights and criteria are fixed when the evaluation leaves draft).
Every change is audited with its old and new values. Flush, never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.consensus.operations import flags_kept
from rfp.areas.criteria.queries import score_count
from rfp.core.audit import changed_fields, record
from rfp.core.operations import (
    check_bound,
    frozen_reason,
    number_or_int,
    require_writable,
    unique_key,
)
from rfp.core.refusal import CONFLICT, Refused
from rfp.core.versions import check_version
from rfp.domain.formatting import shorten
from rfp.domain.numbering import number_objects
from rfp.domain.vocabulary import CriterionKind, QuestionKind


def _criterion_state(c: m.Criterion) -> dict[str, object]:
    return {
        "name": c.name,
        "kind": c.kind,
        "weight": number_or_int(c.weight),
        "description": c.description,
    }


def check_weight(weight: float, field: str = "weight") -> float:
    if weight is None or not weight > 0:
        raise Refused(field, "must be a number greater than 0 (weights are relative)")
    check_bound("weight", weight, field)
    return float(weight)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise Refused("name", "is required")
    return name


def _check_criterion_kind(
    evaluation: m.Evaluation, kind: str, criterion: m.Criterion | None
) -> CriterionKind:
    if kind not in CriterionKind.values():
        raise Refused("kind", f"must be one of {', '.join(CriterionKind.values())}")
    kind = CriterionKind(kind)
    if kind.computed:
        other = [c for c in evaluation.criteria if c.kind == kind and c is not criterion]
        if other:
            raise Refused("kind", f"there is already a {kind} criterion ({other[0].name})")
        if criterion is not None and criterion.questions:
            raise Refused(
                "kind",
                f"a {kind} criterion is computed and has no questions; delete its "
                f"{len(criterion.questions)} questions first",
                CONFLICT,
            )
    return kind


def _limited_evaluators(session: Session, criterion: m.Criterion) -> list[m.Membership]:
    """Evaluators whose assignment names this criterion."""
    return list(
        session.scalars(
            select(m.Membership)
            .join(m.membership_criteria, m.membership_criteria.c.membership_id == m.Membership.id)
            .where(m.membership_criteria.c.criterion_id == criterion.id)
        )
    )


def question_target(q: m.Question) -> str:
    """How the audit trail names a question: its number and (the start of) its text; the
    full text is in the event's values."""
    number = number_objects(q.criterion.evaluation.criteria).question(q.key)
    return f"{q.criterion.name} › {number} {shorten(q.text, 120)}".replace(" ›  ", " › ")


# -- criteria -----------------------------------------------------------------------------


def add_criterion(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    *,
    name: str,
    kind: str,
    weight: float,
    description: str = "",
    reason: str = "",
) -> m.Criterion:
    require_writable(evaluation)
    name = _check_name(name)
    kind = _check_criterion_kind(evaluation, kind, None)
    weight = check_weight(weight)
    why = frozen_reason(evaluation, reason, "Criteria")
    criterion = m.Criterion(
        evaluation=evaluation,
        key=unique_key(name, (c.key for c in evaluation.criteria), "criterion"),
        name=name,
        kind=kind,
        weight=weight,
        description=description.strip(),
        position=max((c.position for c in evaluation.criteria), default=-1) + 1,
    )
    session.add(criterion)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "criterion.added",
        name,
        new=_criterion_state(criterion),
        reason=why,
    )
    return criterion


def update_criterion(
    session: Session,
    criterion: m.Criterion,
    user: m.User,
    *,
    name: str,
    kind: str,
    weight: float,
    description: str = "",
    reason: str = "",
    opened_version: int | None = None,
) -> bool:
    """Returns whether anything changed. `opened_version`: the criterion's version its
    form was opened at (rfp.core.versions)."""
    evaluation = criterion.evaluation
    require_writable(evaluation)
    name = _check_name(name)
    weight = check_weight(weight)
    if kind != criterion.kind:
        kind = _check_criterion_kind(evaluation, kind, criterion)
        if criterion.kind == CriterionKind.SCORED and _limited_evaluators(session, criterion):
            raise Refused(
                "kind",
                "evaluators are assigned to this criterion; change their assignment first",
                CONFLICT,
            )
    old = _criterion_state(criterion)
    new = {
        "name": name,
        "kind": kind,
        "weight": number_or_int(weight),
        "description": description.strip(),
    }
    if old == new:
        return False
    scoring = old["kind"] != new["kind"] or old["weight"] != new["weight"]
    why = frozen_reason(evaluation, reason, "Weights and criteria") if scoring else reason.strip()
    check_version(
        session,
        criterion,
        opened_version,
        what=criterion.name,
        actions=("criterion.%", "criteria.weights_from_ahp"),
        target=criterion.name,
    )
    criterion.name, criterion.kind = name, kind
    criterion.weight, criterion.description = weight, new["description"]
    session.flush()
    record_changes(session, evaluation, user, "criterion", name, old, new, why)
    return True


def delete_criterion(
    session: Session, criterion: m.Criterion, user: m.User, *, reason: str = ""
) -> None:
    evaluation = criterion.evaluation
    require_writable(evaluation)
    for membership in _limited_evaluators(session, criterion):
        if {c.id for c in membership.criteria} == {criterion.id}:
            raise Refused(
                "criterion",
                f"{membership.user.name} is assigned to this criterion only; change their "
                "assignment on the People page first",
                CONFLICT,
            )
    why = frozen_reason(evaluation, reason, "Weights and criteria")
    old = dict(
        _criterion_state(criterion),
        questions=len(criterion.questions),
        scores_deleted=score_count(session, [q.id for q in criterion.questions]),
    )
    name = criterion.name
    with flags_kept(session, evaluation):
        evaluation.criteria.remove(criterion)
        session.flush()
    renumber(evaluation.criteria)
    record(session, evaluation, user, "criterion.removed", name, old=old, reason=why)


def move_criterion(session: Session, criterion: m.Criterion, user: m.User, direction: str) -> bool:
    evaluation = criterion.evaluation
    return move_and_record(
        session,
        evaluation,
        user,
        list(evaluation.criteria),
        criterion,
        direction,
        "criterion.moved",
        criterion.name,
    )


# -- weights in bulk ----------------------------------------------------------------------


def save_weights(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    criterion_weights: dict[int, float],
    question_weights: dict[int, float],
    *,
    reason: str = "",
    opened: Mapping[str, int] | None = None,
) -> int:
    """Set many weights at once (the editor's weight table); one audit event per
    changed weight. Returns how many changed. `opened`: the versions the table was
    opened at, by field name; a weight changed by someone else since is not
    overwritten: the whole save is refused (rfp.core.versions)."""
    require_writable(evaluation)
    opened = opened or {}
    changes: list[tuple[str, str, Any, float]] = []
    for criterion in evaluation.criteria:
        if criterion.id in criterion_weights:
            weight = check_weight(criterion_weights[criterion.id], f"criterion-{criterion.id}")
            if weight != criterion.weight:
                changes.append(("criterion.weight", criterion.name, criterion, weight))
        for question in criterion.questions:
            if question.id in question_weights and question.kind == QuestionKind.SCORED:
                weight = check_weight(question_weights[question.id], f"question-{question.id}")
                if weight != question.weight:
                    changes.append(("question.weight", question_target(question), question, weight))
    if not changes:
        return 0
    for action, target, item, _weight in changes:
        subject = action.partition(".")[0]
        check_version(
            session,
            item,
            opened.get(f"{subject}-{item.id}"),
            what=target,
            actions=(f"{subject}.%", "criteria.weights_from_ahp"),
            target=target,
        )
    why = frozen_reason(evaluation, reason, "Weights")
    for action, target, item, weight in changes:
        old = number_or_int(item.weight)
        item.weight = weight
        record(
            session,
            evaluation,
            user,
            action,
            target,
            old={"weight": old},
            new={"weight": number_or_int(weight)},
            reason=why,
        )
    session.flush()
    return len(changes)


# -- audit --------------------------------------------------------------------------------


def record_changes(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    subject: str,
    target: str,
    old: dict[str, object],
    new: dict[str, object],
    reason: str,
) -> None:
    """One audit event with the fields of a criterion or question that changed:
    `<subject>.weight` when only its weight did, else `<subject>.updated`."""
    before, after = changed_fields(old, new)
    if not after:
        return
    action = f"{subject}.weight" if list(after) == ["weight"] else f"{subject}.updated"
    record(session, evaluation, user, action, target, old=before, new=after, reason=reason)


# -- order --------------------------------------------------------------------------------


def renumber(items: list) -> None:  # type: ignore[type-arg]
    for i, item in enumerate(items):
        item.position = i


def move_in_order(items: list, item: object, direction: str) -> bool:  # type: ignore[type-arg]
    """Swap `item` with its neighbour; positions become 0..n-1."""
    if direction not in ("up", "down"):
        raise Refused("direction", "must be up or down")
    items.sort(key=lambda x: x.position)
    i = items.index(item)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(items):
        return False
    items[i], items[j] = items[j], items[i]
    renumber(items)
    return True


def move_and_record(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    items: list,  # type: ignore[type-arg]
    item: m.Criterion | m.Question,
    direction: str,
    action: str,
    target: str,
) -> bool:
    """Move a criterion among the criteria, or a question within its criterion, and
    audit its new position (counted from 1)."""
    require_writable(evaluation)
    moved = move_in_order(items, item, direction)
    if moved:
        record(session, evaluation, user, action, target, new={"position": item.position + 1})
    return moved
