"""Conflict-of-interest declarations: before their first score an evaluator declares,
per vendor, a conflict or none; a conflict takes the vendor off what they score.

Declarations are made and changed while scoring is open and the evaluator's scores are
not submitted; they are audited (the first in full, later ones as what changed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.scorecards.operations import COMMENT_MAX, evaluator_lock, unlocked
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.refusal import Refused, refuse_all


def declaration_lock(evaluation: m.Evaluation, membership: m.Membership | None) -> Refused | None:
    """Why the evaluator may not make or change their declaration now (None: they may)."""
    return evaluator_lock(
        evaluation,
        membership,
        forbidden="Only an active evaluator declares conflicts.",
        closed="Conflicts are declared while the evaluation is in scoring",
        frozen="Declarations are closed since consensus opened: tell the lead about a "
        "conflict of interest you find now.",
        submitted="You have submitted your scores: ask the lead to reopen them to change your "
        "declaration.",
    )


def check_may_declare(evaluation: m.Evaluation, membership: m.Membership | None) -> m.Membership:
    """The evaluator's membership if they may declare now, else the refusal."""
    return unlocked(declaration_lock(evaluation, membership), membership)


def declare_conflicts(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership | None,
    user: m.User | None,
    vendors: Sequence[m.Vendor],
    choices: Mapping[int, tuple[bool | None, str]],
) -> None:
    """Record the evaluator's declaration: per vendor, conflict (True) or none (False).

    Every vendor needs an answer. The first declaration opens scoring to them; a later
    one may add or withdraw conflicts while their scores are not submitted.
    """
    membership = check_may_declare(evaluation, membership)
    refuse_all(
        Refused("conflict", f"{v.name}: choose conflict or no conflict", subject_id=v.id)
        for v in vendors
        if choices.get(v.id, (None, ""))[0] is None
    )
    refuse_all(
        Refused(
            "conflict",
            f"{v.name}: the note has {len((choices[v.id][1] or '').strip()):,} characters; "
            f"at most {COMMENT_MAX:,}",
            subject_id=v.id,
        )
        for v in vendors
        if len((choices[v.id][1] or "").strip()) > COMMENT_MAX
    )
    existing = {c.vendor_id: c for c in membership.conflicts}
    first = membership.coi_declared_at is None
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    for v in vendors:
        conflict, note = choices[v.id]
        note = (note or "").strip()
        before = existing.get(v.id)
        was = "conflict" if before is not None else "no conflict"
        now = "conflict" if conflict else "no conflict"
        if conflict and before is None:
            membership.conflicts.append(m.ConflictDeclaration(vendor_id=v.id, note=note))
        elif conflict and before is not None:
            before.note = note
        elif not conflict and before is not None:
            membership.conflicts.remove(before)
        if first or was != now:
            old[v.name] = was
            new[v.name] = now
    if first:
        membership.coi_declared_at = utcnow()
        record(session, evaluation, user, "coi.declared", membership.user.name, new=new)
    elif new:
        record(session, evaluation, user, "coi.changed", membership.user.name, old=old, new=new)
    session.flush()
