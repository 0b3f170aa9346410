"""The database -> engine adapter: an evaluation's rows as the pure engine's input.

Data flows one way: database -> this adapter -> `ScoringInput` -> engine -> result.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import compress, repeat
from typing import Any, cast

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ClauseElement

from rfp import models as m
from rfp.domain.scoring.model import (
    Abstention,
    ConsensusScore,
    Evaluator,
    ReferenceCall,
    Scale,
    Score,
    ScoringInput,
)
from rfp.domain.scoring.model import SignAgain as SignAgainValue
from rfp.scenario.convert import cost_scope_of, criteria_of, settings_of, vendor_of
from rfp.scenario.pilot import pilot_plan_of
from rfp.scenario.pilot_store import dump_award_shares, dump_pilot
from rfp.scenario.pricing import pricing_lines


def membership_limits(session: Session, evaluation_id: int) -> dict[int, set[int]]:
    """Each limited membership's criterion ids (an evaluator limited to some criteria)."""
    limits: dict[int, set[int]] = {}
    rows = session.execute(
        select(m.membership_criteria.c.membership_id, m.membership_criteria.c.criterion_id)
        .join(m.Membership, m.Membership.id == m.membership_criteria.c.membership_id)
        .where(m.Membership.evaluation_id == evaluation_id)
    )
    for membership_id, criterion_id in rows:
        limits.setdefault(membership_id, set()).add(criterion_id)
    return limits


def load_amendments(
    session: Session, evaluation_id: int, vendor_id: int | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Each vendor's amendments (vendor id -> list, oldest first) in the scenario file's
    form (rfp.scenario.amendments), in one query; only `vendor_id`'s when given."""
    amendment = m.ResponseAmendment
    statement = (
        select(
            amendment.vendor_id,
            amendment.field,
            m.Question.key,
            amendment.old_value,
            amendment.new_value,
            amendment.reason,
            amendment.source,
            amendment.actor,
            m.User.name,
            amendment.at,
            amendment.stage,
            amendment.after_unsealing,
        )
        .outerjoin(m.Question, m.Question.id == amendment.question_id)
        .outerjoin(m.User, m.User.id == amendment.user_id)
        .where(amendment.evaluation_id == evaluation_id)
        .order_by(amendment.id)
    )
    if vendor_id is not None:
        statement = statement.where(amendment.vendor_id == vendor_id)
    rows = session.execute(statement)
    out: dict[int, list[dict[str, Any]]] = {}
    for vendor_id, field, question, old, new, reason, source, actor, user, at, stage, after in rows:
        out.setdefault(vendor_id, []).append(
            {
                "field": str(field),
                "question": question,
                "old": old,
                "new": new,
                "reason": reason,
                "source": str(source),
                "by": actor or user or "",
                "at": at.isoformat(),
                "stage": str(stage),
                "after_unsealing": after,
            }
        )
    return out


def _plain_rows(session: Session, statement: ClauseElement) -> Sequence[Any]:
    """The rows of a statement as the driver's plain tuples: no Row objects, no ORM.

    For the tens of thousands of scores of a large evaluation (57,600 in the benchmark),
    where building Row objects costs more than the query. The statement's parameters are
    rendered inline: only integers from the database (ids) are passed here. It still runs
    through the engine, so statement events (query counting) see it.
    """
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    result = connection.exec_driver_sql(sql)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _scores_of(
    rows: Sequence[Any],
    active: dict[int, str],
    vendor_key: dict[int, str],
    question_key: dict[int, str],
) -> tuple[Score, ...]:
    """The engine's scores from (membership id, vendor id, question id, value) rows, those
    of active evaluators only.

    Column by column, all in C (zip, map, tuple.__new__), as rfp.scenario.convert's
    scores_of: a Python loop over the tens of thousands of rows of a large evaluation
    took a third of a results page computed afresh."""
    if not rows:
        return ()
    memberships, vendors, questions, values = zip(*rows, strict=True)
    columns = (
        map(active.get, memberships),
        map(vendor_key.__getitem__, vendors),
        map(question_key.__getitem__, questions),
        values,
    )
    scores: Iterator[Score] = map(tuple.__new__, repeat(Score), zip(*columns, strict=True))
    if not set(memberships) <= active.keys():  # an inactive evaluator's scores left out
        scores = compress(scores, map(active.__contains__, memberships))
    return tuple(scores)


def load_scoring_input(session: Session, evaluation: m.Evaluation) -> ScoringInput:
    """The engine input for an evaluation, in a fixed number of queries.

    Scores are read as plain rows (no ORM objects): this is the hot path of the
    results page on large evaluations.
    """
    ev_id = evaluation.id
    criteria_rows = session.scalars(
        select(m.Criterion).where(m.Criterion.evaluation_id == ev_id).order_by(m.Criterion.position)
    ).all()
    question_rows = session.execute(
        select(
            m.Question.id,
            m.Question.key,
            m.Question.kind,
            m.Question.weight,
            m.Question.criterion_id,
            m.Question.text,
            m.Question.guidance,
            m.Question.answer_type,
            m.Question.unit,
            m.Question.bands,
        )
        .where(m.Question.evaluation_id == ev_id)
        .order_by(m.Question.position, m.Question.id)
    ).all()
    criteria_doc = [
        {
            "key": c.key,
            "name": c.name,
            "weight": c.weight,
            "kind": c.kind,
            "questions": [
                {
                    "key": q.key,
                    "kind": q.kind,
                    "weight": q.weight,
                    "answer_type": q.answer_type,
                    "bands": q.bands,
                }
                for q in question_rows
                if q.criterion_id == c.id
            ],
        }
        for c in criteria_rows
    ]
    question_key = {q.id: q.key for q in question_rows}
    criterion_key = {c.id: c.key for c in criteria_rows}

    vendor_rows = session.execute(
        select(
            m.Vendor.id,
            m.Vendor.key,
            m.Vendor.name,
            m.Vendor.delivery_model,
            m.VendorResponse.pricing_model,
            m.VendorResponse.rate,
            m.VendorResponse.setup_fee,
            m.VendorResponse.monthly_fee,
            m.VendorResponse.rate_lines,
            m.VendorResponse.volume_tiers,
        )
        .outerjoin(m.VendorResponse, m.VendorResponse.vendor_id == m.Vendor.id)
        .where(m.Vendor.evaluation_id == ev_id)
        .order_by(m.Vendor.position, m.Vendor.id)
    ).all()
    vendor_key = {v.id: v.key for v in vendor_rows}
    knockouts: dict[int, dict[str, bool]] = {}
    numbers: dict[int, dict[str, float]] = {}
    # Knockout answers and the numbers of quantitative questions, in one query.
    for vendor_id, question_id, passed, number in session.execute(
        select(m.Answer.vendor_id, m.Answer.question_id, m.Answer.knockout_pass, m.Answer.number)
        .join(m.Vendor, m.Vendor.id == m.Answer.vendor_id)
        .where(
            m.Vendor.evaluation_id == ev_id,
            or_(m.Answer.knockout_pass.is_not(None), m.Answer.number.is_not(None)),
        )
    ):
        if passed is not None:
            knockouts.setdefault(vendor_id, {})[question_key[question_id]] = passed
        if number is not None:
            numbers.setdefault(vendor_id, {})[question_key[question_id]] = number

    members = session.execute(
        select(m.Membership.id, m.Membership.key, m.Membership.active, m.User.name)
        .join(m.User, m.User.id == m.Membership.user_id)
        .where(m.Membership.evaluation_id == ev_id, m.Membership.role == "evaluator")
        .order_by(m.Membership.id)
    ).all()
    limits = membership_limits(session, ev_id)
    active = {ms.id: ms.key for ms in members if ms.active}
    conflicts = frozenset(
        (active[mid], vendor_key[vid])
        for mid, vid in session.execute(
            select(m.ConflictDeclaration.membership_id, m.ConflictDeclaration.vendor_id)
            .join(m.Membership)
            .where(m.Membership.evaluation_id == ev_id)
        )
        if mid in active
    )
    scores = _scores_of(
        _plain_rows(
            session,
            select(
                m.Score.membership_id, m.Score.vendor_id, m.Score.question_id, m.Score.value
            ).where(m.Score.evaluation_id == ev_id, m.Score.value.is_not(None)),
        ),
        active,
        vendor_key,
        question_key,
    )
    abstentions = tuple(
        Abstention(active[mid], vendor_key[vid], question_key[qid], reason)
        for mid, vid, qid, reason in session.execute(
            select(
                m.Score.membership_id, m.Score.vendor_id, m.Score.question_id, m.Score.comment
            ).where(m.Score.evaluation_id == ev_id, m.Score.abstained.is_(True))
        )
        if mid in active
    )
    consensus = tuple(
        ConsensusScore(vendor_key[vid], question_key[qid], value)
        for vid, qid, value in session.execute(
            select(
                m.ConsensusScore.vendor_id, m.ConsensusScore.question_id, m.ConsensusScore.value
            ).where(m.ConsensusScore.evaluation_id == ev_id)
        )
    )
    references = tuple(
        ReferenceCall(vendor_key[vid], rating, cast(SignAgainValue, str(sign)))
        for vid, rating, sign in session.execute(
            select(
                m.ReferenceCall.vendor_id, m.ReferenceCall.rating, m.ReferenceCall.would_sign_again
            ).where(m.ReferenceCall.evaluation_id == ev_id)
        )
    )
    settings_doc = {
        "aggregation": evaluation.aggregation,
        "dispersion_threshold": evaluation.dispersion_threshold,
        "price_formula": evaluation.price_formula,
        "price_zero_multiple": evaluation.price_zero_multiple,
        "normalise_evaluators": evaluation.normalise_evaluators,
    }
    amendments = load_amendments(session, ev_id)
    return ScoringInput(
        criteria=criteria_of(criteria_doc),
        # As submitted, with the amendments applied in order (the engine scores those).
        vendors=tuple(
            vendor_of(
                {
                    "key": v.key,
                    "name": v.name,
                    "model": v.delivery_model,
                    "pricing": (
                        {
                            "model": v.pricing_model,
                            "rate": v.rate,
                            "setup_fee": v.setup_fee or 0.0,
                            "monthly_fee": v.monthly_fee or 0.0,
                            **pricing_lines(v.rate_lines, v.volume_tiers),
                        }
                        if v.pricing_model is not None and v.rate is not None
                        else None
                    ),
                    "knockouts": knockouts.get(v.id, {}),
                    "numbers": numbers.get(v.id, {}),
                    "amendments": amendments.get(v.id, []),
                }
            )
            for v in vendor_rows
        ),
        evaluators=tuple(
            Evaluator(
                key=ms.key,
                name=ms.name,
                criteria=(
                    frozenset(criterion_key[c] for c in limits[ms.id])
                    if limits.get(ms.id)
                    else None
                ),
            )
            for ms in members
            if ms.active
        ),
        scores=scores,
        consensus=consensus,
        references=references,
        scale=Scale(evaluation.scale_min, evaluation.scale_max),
        settings=settings_of(settings_doc),
        cost_scope=cost_scope_of(evaluation.scope or {}),
        conflicts=conflicts,
        # The pilot and a split award, through their canonical form (a few queries).
        pilot=pilot_plan_of(dump_pilot(session, ev_id, vendor_key)),
        award_shares=tuple(
            (share["vendor"], float(share["share_pct"]))
            for share in dump_award_shares(session, ev_id, vendor_key) or []
        ),
        abstentions=abstentions,
    )
