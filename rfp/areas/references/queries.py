"""The reference calls' reads: an evaluation's calls with who made them, one call, and
the engine's flags on a vendor's calls (public: the vendor pages show them too)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from rfp import models as m
from rfp.domain.scoring.engine import reference_flags
from rfp.domain.scoring.result import Flag
from rfp.domain.vocabulary import SignAgain


def calls_of(session: Session, evaluation: m.Evaluation) -> list[m.ReferenceCall]:
    """Every call of the evaluation, latest first, with its caller's account."""
    return list(
        session.scalars(
            select(m.ReferenceCall)
            .where(m.ReferenceCall.evaluation_id == evaluation.id)
            .options(joinedload(m.ReferenceCall.caller).joinedload(m.Membership.user))
            .order_by(m.ReferenceCall.call_date.desc(), m.ReferenceCall.id.desc())
        )
    )


def call_of(session: Session, evaluation: m.Evaluation, call_id: int) -> m.ReferenceCall | None:
    """A call of this evaluation (None: no such call here)."""
    call = session.get(m.ReferenceCall, call_id)
    return call if call is not None and call.evaluation_id == evaluation.id else None


def reference_call_flags(calls: Sequence[m.ReferenceCall]) -> list[Flag]:
    """The engine's flags on one vendor's recorded calls, in the engine's words."""
    return reference_flags(len(calls), sum(1 for c in calls if c.would_sign_again == SignAgain.NO))
