"""Evaluators' scoring: saving scores and submitting them (the lead reopens submitted
scores with rfp.areas.people.operations.reopen_scorecard).
(Declarations are in rfp.areas.scorecards.conflicts, the scale in rfp.core.scale, what
each evaluator is assigned and their progress in rfp.areas.scorecards.assignments.)

The rules (DESIGN.md "People" and "Lifecycle"; issue 3, "Scorecards"):

- an evaluator enters scores in `scoring`, and in `consensus` only while their scores
  are not submitted (the lead reopened them); `decided` is read-only;
- before the first score they declare, per vendor, a conflict of interest or none; a
  declared conflict removes the vendor from what they score (the engine ignores any
  score they gave it);
- a score is a point of the evaluation's scale, and its justification is required at
  the lowest and the highest point;
- an evaluator limited to some criteria scores only the questions of those criteria;
- submitted scores are locked until the lead reopens them.

Audit: a score that changes (value or justification) is recorded old -> new. First
entries are not: the score row itself says who entered what and when, and a trail with
one event per first entry (57 600 on a 40 x 120 x 12 evaluation) would bury the changes
a reader is looking for. Declarations and submissions are recorded too.

Saving one score reads a handful of rows by key and never loads the evaluation's tree
(tests/benchmarks/bench_score_save.py times it on the 40 x 120 x 12 evaluation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.scorecards.assignments import (
    ScorecardProgress,
    ScoredQuestion,
    criteria_limit,
    is_computed,
    scorecard_progress,
    scored_questions,
)
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.scale import ScaleError, is_extreme, parse_point, point_label
from rfp.domain.formatting import counted

COMMENT_MAX = 5000
SCORING_STAGES = ("scoring", "consensus")


class ScoringError(Exception):
    """A scoring change was refused.

    `status` is the HTTP answer a view gives: 400 bad input, 403 not this evaluator's to
    score, 404 no such question, 409 the stage or the lock forbids it. `field` names the
    input at fault (score, comment, conflict) and `subject_id` the question or vendor.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        field: str | None = None,
        subject_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
        self.subject_id = subject_id


class ScoringIncomplete(ScoringError):
    """Submitting before every expected score is in."""


class ScoringErrors(ScoringError):
    """Several refusals at once (a form saving many questions): nothing was written."""

    def __init__(self, errors: Sequence[ScoringError]) -> None:
        super().__init__("; ".join(e.message for e in errors), status=400)
        self.errors = list(errors)


# -- who may score what ------------------------------------------------------------------


def check_may_score(evaluation: m.Evaluation, membership: m.Membership | None) -> m.Membership:
    """The evaluator's membership if they may change their scores now, else ScoringError."""
    if membership is None or membership.role != "evaluator" or not membership.active:
        raise ScoringError("Only an active evaluator of this evaluation scores.", status=403)
    if evaluation.stage not in SCORING_STAGES:
        raise ScoringError(
            f"Scores can be entered only while the evaluation is in scoring; it is "
            f"{evaluation.stage}.",
            status=409,
        )
    if membership.submitted_at is not None:
        raise ScoringError(
            "You have submitted your scores: they are locked until the lead reopens them.",
            status=409,
        )
    if membership.coi_declared_at is None:
        raise ScoringError(
            "Declare your conflicts of interest before your first score.",
            status=409,
            field="conflict",
        )
    return membership


def _question_to_score(
    session: Session, evaluation: m.Evaluation, question_id: int, limit: frozenset[int]
) -> ScoredQuestion:
    row = session.execute(
        select(
            m.Question.id,
            m.Question.key,
            m.Question.text,
            m.Question.criterion_id,
            m.Question.kind,
            m.Question.evaluation_id,
            m.Criterion.kind,
            m.Question.answer_type,
            m.Question.bands,
        )
        .join(m.Criterion, m.Criterion.id == m.Question.criterion_id)
        .where(m.Question.id == question_id)
    ).first()
    if row is None or row[5] != evaluation.id:
        raise ScoringError("No such question in this evaluation.", status=404, field="question")
    question = ScoredQuestion(row[0], row[1], row[2], row[3])
    if row[4] != "scored" or row[6] != "scored" or is_computed(row[7], row[8]):
        raise ScoringError(
            f"{question.text}: this question is not scored by evaluators.",
            field="question",
            subject_id=question.id,
        )
    if limit and question.criterion_id not in limit:
        raise ScoringError(
            f"{question.text}: outside the criteria you are assigned to score.",
            status=403,
            field="question",
            subject_id=question.id,
        )
    return question


def _check_vendor(session: Session, membership: m.Membership, vendor: m.Vendor) -> None:
    if vendor.evaluation_id != membership.evaluation_id:
        raise ScoringError("No such vendor in this evaluation.", status=404, field="vendor")
    if any(c.vendor_id == vendor.id for c in membership.conflicts):
        raise ScoringError(
            "You declared a conflict of interest with this vendor and do not score it.",
            status=403,
            field="vendor",
        )


# -- saving ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreSaved:
    question_id: int
    value: float
    comment: str
    created: bool
    changed: bool


def _validated(
    evaluation: m.Evaluation, question: ScoredQuestion, raw_value: Any, raw_comment: Any
) -> tuple[float, str]:
    try:
        value = parse_point(evaluation, raw_value)
    except ScaleError as exc:
        raise ScoringError(
            f"{question.text}: score: {exc.message}", field="score", subject_id=question.id
        ) from None
    comment = raw_comment.strip() if isinstance(raw_comment, str) else ""
    if raw_comment is not None and not isinstance(raw_comment, str):
        raise ScoringError(
            f"{question.text}: comment must be text", field="comment", subject_id=question.id
        )
    if len(comment) > COMMENT_MAX:
        raise ScoringError(
            f"{question.text}: comment is longer than {COMMENT_MAX} characters",
            field="comment",
            subject_id=question.id,
        )
    if is_extreme(evaluation, value) and not comment:
        raise ScoringError(
            f"{question.text}: a justification comment is required for a score of "
            f"{point_label(value)} (the lowest and highest points of the scale need one)",
            field="comment",
            subject_id=question.id,
        )
    return value, comment


def _write(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership,
    user: m.User | None,
    vendor: m.Vendor,
    question: ScoredQuestion,
    value: float,
    comment: str,
    existing: m.Score | None,
) -> ScoreSaved:
    if existing is None:
        session.add(
            m.Score(
                evaluation_id=evaluation.id,
                membership_id=membership.id,
                vendor_id=vendor.id,
                question_id=question.id,
                value=value,
                comment=comment,
            )
        )
        return ScoreSaved(question.id, value, comment, created=True, changed=True)
    if existing.value == value and existing.comment == comment:
        return ScoreSaved(question.id, value, comment, created=False, changed=False)
    old = {"score": existing.value, "comment": existing.comment}
    existing.value = value
    existing.comment = comment
    existing.updated_at = utcnow()
    record(
        session,
        evaluation,
        user,
        "score.changed",
        f"{membership.key} on {vendor.name}, {question.key}",
        old=old,
        new={"score": value, "comment": comment},
    )
    return ScoreSaved(question.id, value, comment, created=False, changed=True)


def save_score(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership | None,
    user: m.User | None,
    vendor: m.Vendor,
    question_id: int,
    raw_value: Any,
    raw_comment: Any,
) -> ScoreSaved:
    """Create or change one of the evaluator's scores (flush, no commit)."""
    membership = check_may_score(evaluation, membership)
    _check_vendor(session, membership, vendor)
    question = _question_to_score(
        session, evaluation, question_id, criteria_limit(session, membership)
    )
    value, comment = _validated(evaluation, question, raw_value, raw_comment)
    existing = session.scalar(
        select(m.Score).where(
            m.Score.membership_id == membership.id,
            m.Score.vendor_id == vendor.id,
            m.Score.question_id == question.id,
        )
    )
    saved = _write(
        session, evaluation, membership, user, vendor, question, value, comment, existing
    )
    session.flush()
    return saved


def save_scores(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership | None,
    user: m.User | None,
    vendor: m.Vendor,
    entries: Mapping[int, tuple[Any, Any]],
) -> list[ScoreSaved]:
    """Save several questions of one vendor at once, all or nothing.

    `entries` maps question id -> (raw value, raw comment). Every entry is validated
    before anything is written; the errors, one per question, come together in
    ScoringErrors.
    """
    membership = check_may_score(evaluation, membership)
    _check_vendor(session, membership, vendor)
    limit = criteria_limit(session, membership)
    in_scope = {q.id: q for q in scored_questions(session, evaluation.id, limit)}
    errors: list[ScoringError] = []
    valid: list[tuple[ScoredQuestion, float, str]] = []
    for question_id, (raw_value, raw_comment) in entries.items():
        question = in_scope.get(question_id)
        if question is None:
            try:
                _question_to_score(session, evaluation, question_id, limit)
            except ScoringError as exc:
                errors.append(exc)
            continue
        try:
            valid.append((question, *_validated(evaluation, question, raw_value, raw_comment)))
        except ScoringError as exc:
            errors.append(exc)
    if errors:
        raise ScoringErrors(errors)
    existing = {
        s.question_id: s
        for s in session.scalars(
            select(m.Score).where(
                m.Score.membership_id == membership.id, m.Score.vendor_id == vendor.id
            )
        )
    }
    saved = [
        _write(session, evaluation, membership, user, vendor, q, value, comment, existing.get(q.id))
        for q, value, comment in valid
    ]
    session.flush()
    return saved


# -- submission --------------------------------------------------------------------------


def submit_scores(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership | None,
    user: m.User | None,
) -> ScorecardProgress:
    """Lock the evaluator's scores once every expected score is in."""
    membership = check_may_score(evaluation, membership)
    progress = scorecard_progress(
        session, evaluation, membership, [v.id for v in evaluation.vendors]
    )
    if not progress.overall.complete:
        remaining = counted(progress.overall.remaining, "score")
        raise ScoringIncomplete(f"{remaining} still to enter before you can submit.", status=409)
    membership.submitted_at = utcnow()
    record(
        session,
        evaluation,
        user,
        "scores.submitted",
        membership.key,
        new={"scores": progress.overall.entered},
    )
    session.flush()
    return progress
