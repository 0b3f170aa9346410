"""Evaluators' scoring: saving scores and submitting them (the lead reopens submitted
scores with rfp.areas.people.operations.reopen_scorecard). Declarations of conflicts of
interest are in .declarations, the scale in rfp.core.scale, what each evaluator is
assigned and their progress in .assignments.

The rules (DESIGN.md "People" and "Lifecycle"; issue 3, "Scorecards"):

- an evaluator enters scores while scoring is open, in `scoring` only: from consensus on
  every evaluator's scores are frozen (`Stage.scores_frozen`; the panel's scores are
  visible then), and a change is a consensus score the lead records with its rationale;
- when consensus opens, scorecards not yet submitted are submitted as they stand
  (`close_scorecards_at_consensus`): their blanks are listed as missing;
- an evaluator who cannot judge a question abstains on it (`ABSTAIN` instead of a
  point) with a required reason: the abstention is not counted and not missing;
- before the first score they declare, per vendor, a conflict of interest or none; a
  declared conflict removes the vendor from what they score (the engine ignores any
  score they gave it);
- a score is a point of the evaluation's scale, and its justification is required at
  the lowest and the highest point;
- an evaluator limited to some criteria scores only the questions of those criteria;
- submitted scores are locked until the lead reopens them.

Every refusal is a `Refused`: forbidden (403) for what is not this evaluator's to
score, not found (404) for what is not in the evaluation, conflict (409) for what the
stage or the lock forbids now, invalid (400) for a bad score; `subject_id` names the
question (or the vendor, for a declaration) it is about.

Audit: a score that changes (value or justification) is recorded old -> new. First
entries are not: the score row itself says who entered what and when, and a trail with
one event per first entry (57 600 on a 40 x 120 x 12 evaluation) would bury the changes
a reader is looking for. Declarations and submissions are recorded too.

Saving one score reads a handful of rows by key and never loads the evaluation's tree
(tests/benchmarks/bench_score_save.py times it on the 40 x 120 x 12 evaluation).
"""

from __future__ import annotations

from collections.abc import Mapping
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
from rfp.areas.scorecards.messages import (  # noqa: F401  (queue_due_reminders: rfp send-due)
    note_when_all_in,
    queue_due_reminders,
)
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.core.audit import record
from rfp.core.data_version import touch
from rfp.core.db import upsert_insert, utcnow
from rfp.core.numbering import evaluation_numbering
from rfp.core.refusal import CONFLICT, FORBIDDEN, INVALID, NOT_FOUND, Refused, refuse_all
from rfp.core.scale import ScaleError, is_extreme, parse_point, point_label
from rfp.domain.control_characters import control_problem
from rfp.domain.formatting import counted, shorten
from rfp.domain.vocabulary import CriterionKind, QuestionKind, Role

COMMENT_MAX = 5000
# What an evaluator posts instead of a point of the scale to abstain on a question.
ABSTAIN = "abstain"
SCORES_FROZEN = (
    "Scores are frozen since consensus opened: the panel's scores are visible now, so a "
    "change is a consensus score the lead records with its rationale."
)


# -- who may score what ------------------------------------------------------------------


def is_active_evaluator(membership: m.Membership | None) -> bool:
    return membership is not None and membership.role == Role.EVALUATOR and membership.active


def evaluator_lock(
    evaluation: m.Evaluation,
    membership: m.Membership | None,
    *,
    forbidden: str,
    closed: str,
    frozen: str,
    submitted: str,
) -> Refused | None:
    """Why an evaluator may not change their part now (None: they may): they are not an
    active evaluator (`forbidden`), scoring is not open (`closed`, then the stage), the
    scores are frozen from consensus on (`frozen`), or their scores are submitted
    (`submitted`)."""
    if not is_active_evaluator(membership):
        return Refused("", forbidden, FORBIDDEN)
    assert membership is not None
    stage = evaluation.current_stage
    if stage.scores_frozen:
        return Refused("", frozen, CONFLICT)
    if not stage.scoring_open:
        return Refused("", f"{closed}; it is {stage.label.lower()}.", CONFLICT)
    if membership.submitted_at is not None:
        return Refused("", submitted, CONFLICT)
    return None


def unlocked(refused: Refused | None, membership: m.Membership | None) -> m.Membership:
    """The evaluator's membership when nothing is `refused`; else the refusal, raised."""
    if refused is not None:
        raise refused
    assert membership is not None
    return membership


def scoring_lock(evaluation: m.Evaluation, membership: m.Membership | None) -> Refused | None:
    """Why the evaluator may not change their scores now (None: they may)."""
    refused = evaluator_lock(
        evaluation,
        membership,
        forbidden="Only an active evaluator of this evaluation scores.",
        closed="Scores can be entered only while the evaluation is in scoring",
        frozen=SCORES_FROZEN,
        submitted="You have submitted your scores: they are locked until the lead reopens them.",
    )
    if refused is None and membership is not None and membership.coi_declared_at is None:
        return Refused(
            "conflict", "Declare your conflicts of interest before your first score.", CONFLICT
        )
    return refused


def check_may_score(evaluation: m.Evaluation, membership: m.Membership | None) -> m.Membership:
    """The evaluator's membership if they may change their scores now, else the refusal."""
    return unlocked(scoring_lock(evaluation, membership), membership)


QuestionRow = tuple[
    Any, ...
]  # id, key, text, criterion id, kind, criterion kind, answer type, bands


def find_question(session: Session, evaluation: m.Evaluation, question_id: int) -> QuestionRow:
    """The question's row, with what the rules read (one query), or not found."""
    row = session.execute(
        select(
            m.Question.id,
            m.Question.key,
            m.Question.text,
            m.Question.criterion_id,
            m.Question.kind,
            m.Criterion.kind,
            m.Question.answer_type,
            m.Question.bands,
        )
        .join(m.Criterion, m.Criterion.id == m.Question.criterion_id)
        .where(m.Question.id == question_id, m.Question.evaluation_id == evaluation.id)
    ).first()
    if row is None:
        raise Refused("question", "No such question in this evaluation.", NOT_FOUND)
    return tuple(row)


def _scored_by_evaluator(row: QuestionRow, limit: frozenset[int]) -> ScoredQuestion:
    """The question, if this evaluator scores it; else why not."""
    question = ScoredQuestion(row[0], row[1], row[2], row[3])
    if (
        row[4] != QuestionKind.SCORED
        or row[5] != CriterionKind.SCORED
        or is_computed(row[6], row[7])
    ):
        raise Refused(
            "question",
            f"{question.text}: this question is not scored by evaluators.",
            subject_id=question.id,
        )
    if limit and question.criterion_id not in limit:
        raise Refused(
            "question",
            f"{question.text}: outside the criteria you are assigned to score.",
            FORBIDDEN,
            subject_id=question.id,
        )
    return question


def _question_to_score(
    session: Session, evaluation: m.Evaluation, question_id: int, limit: frozenset[int]
) -> ScoredQuestion:
    return _scored_by_evaluator(find_question(session, evaluation, question_id), limit)


def _check_vendor(membership: m.Membership, vendor: m.Vendor) -> None:
    if vendor.evaluation_id != membership.evaluation_id:
        raise Refused("vendor", "No such vendor in this evaluation.", NOT_FOUND)
    if any(c.vendor_id == vendor.id for c in membership.conflicts):
        raise Refused(
            "vendor",
            "You declared a conflict of interest with this vendor and do not score it.",
            FORBIDDEN,
        )


# -- saving ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreSaved:
    question_id: int
    value: float | None  # None: an abstention
    comment: str  # the justification, or the reason for abstaining
    created: bool
    changed: bool

    @property
    def abstained(self) -> bool:
        return self.value is None


def _validated(
    evaluation: m.Evaluation, question: ScoredQuestion, raw_value: Any, raw_comment: Any
) -> tuple[float | None, str]:
    """(the point, or None to abstain; the justification or reason), else the refusal."""
    abstain = raw_value == ABSTAIN
    value = None
    if not abstain:
        try:
            value = parse_point(evaluation, raw_value)
        except ScaleError as exc:
            raise Refused(
                "score", f"{question.text}: score: {exc.reason}", subject_id=question.id
            ) from None
    comment = raw_comment.strip() if isinstance(raw_comment, str) else ""
    if raw_comment is not None and not isinstance(raw_comment, str):
        raise Refused("comment", f"{question.text}: comment must be text", subject_id=question.id)
    problem = control_problem(comment)
    if problem:
        raise Refused("comment", f"{question.text}: comment {problem}", subject_id=question.id)
    if len(comment) > COMMENT_MAX:
        raise Refused(
            "comment",
            f"{question.text}: comment is longer than {COMMENT_MAX} characters",
            subject_id=question.id,
        )
    if abstain and not comment:
        raise Refused(
            "comment",
            f"{question.text}: say why you abstain (what you cannot judge): an abstention "
            "needs its reason",
            subject_id=question.id,
        )
    if value is not None and is_extreme(evaluation, value) and not comment:
        raise Refused(
            "comment",
            f"{question.text}: a justification comment is required for a score of "
            f"{point_label(value)} (the lowest and highest points of the scale need one)",
            subject_id=question.id,
        )
    return value, comment


def _audited(value: float | None, comment: str) -> dict[str, Any]:
    """A score or an abstention as the audit trail shows it."""
    if value is None:
        return {"score": "abstained", "reason": comment}
    return {"score": value, "comment": comment}


def _write(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership,
    user: m.User | None,
    vendor: m.Vendor,
    question: ScoredQuestion,
    value: float | None,
    comment: str,
    existing: m.Score | None,
) -> ScoreSaved:
    """Write a score, or an abstention (`value` None, `comment` its reason)."""
    if existing is None:
        if _insert_first_score(session, evaluation, membership, vendor, question, value, comment):
            return ScoreSaved(question.id, value, comment, created=True, changed=True)
        # A save at the same moment (a double click, a second tab) wrote the row first:
        # this save is a change of it, audited as one, or nothing when it says the same.
        existing = session.scalars(
            select(m.Score).where(
                m.Score.membership_id == membership.id,
                m.Score.vendor_id == vendor.id,
                m.Score.question_id == question.id,
            )
        ).one()
    if existing.value == value and existing.comment == comment:
        return ScoreSaved(question.id, value, comment, created=False, changed=False)
    old = _audited(existing.value, existing.comment)
    existing.value = value
    existing.abstained = value is None
    existing.comment = comment
    existing.updated_at = utcnow()
    record(
        session,
        evaluation,
        user,
        "score.changed",
        score_target(session, membership, vendor, question),
        old=old,
        new=_audited(value, comment),
    )
    return ScoreSaved(question.id, value, comment, created=False, changed=True)


def _insert_first_score(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership,
    vendor: m.Vendor,
    question: ScoredQuestion,
    value: float | None,
    comment: str,
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on the score's unique key: true when this save
    wrote the row. (Not DO UPDATE: a save that finds the row is a change, whose old value
    the audit trail keeps; the caller makes it through the ORM.)"""
    now = utcnow()
    inserted = session.execute(
        upsert_insert(session, m.Score.__table__)
        .values(
            evaluation_id=evaluation.id,
            membership_id=membership.id,
            vendor_id=vendor.id,
            question_id=question.id,
            value=value,
            abstained=value is None,  # an abstention: no value, its reason the comment
            comment=comment,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["membership_id", "vendor_id", "question_id"])
        # RETURNING rather than rowcount, which PostgreSQL's driver does not give here.
        .returning(m.Score.__table__.c.id)
    )
    touch(session, evaluation.id)
    return inserted.scalar_one_or_none() is not None


def score_target(
    session: Session, membership: m.Membership, vendor: m.Vendor, question: ScoredQuestion
) -> str:
    """How the audit trail names a score: "Dana Whitfield on Altamira CX, 1.1 Daily
    overlap with our business hours" (the question's number as on every screen)."""
    number = evaluation_numbering(session, membership.evaluation_id).question(question.key)
    return f"{membership.user.name} on {vendor.name}, {number} {shorten(question.text, 120)}"


def save_score(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership | None,
    user: m.User | None,
    vendor: m.Vendor,
    question_id: int,
    raw_value: Any,
    raw_comment: Any,
    *,
    limit: frozenset[int] | None = None,
) -> ScoreSaved:
    """Create or change one of the evaluator's scores (save as you go). A question of
    another evaluation is not found, whatever the scorecard's state. `limit`: the
    evaluator's criteria (`criteria_limit`), when the caller has read them already."""
    row = find_question(session, evaluation, question_id)
    membership = check_may_score(evaluation, membership)
    _check_vendor(membership, vendor)
    if limit is None:
        limit = criteria_limit(session, membership)
    question = _scored_by_evaluator(row, limit)
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


def _unchanged(score: m.Score, raw_value: Any, comment: str) -> bool:
    if raw_value == ABSTAIN or score.value is None:
        return raw_value == ABSTAIN and score.value is None and comment == score.comment
    try:
        return float(raw_value) == score.value and comment == score.comment
    except (TypeError, ValueError):
        return False


def _stored_choice(score: m.Score | None) -> Any:
    """What the form would post for a stored score: its point, ABSTAIN, or None."""
    if score is None:
        return None
    return ABSTAIN if score.value is None else score.value


def save_scores(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership | None,
    user: m.User | None,
    vendor: m.Vendor,
    posted: Mapping[int, tuple[Any, str]],
) -> list[ScoreSaved]:
    """Save what the evaluator changed on one vendor's scorecard, all or nothing.

    `posted` maps question id -> (raw score or None, comment) for the questions the form
    sent. A question left blank is skipped; a comment sent without a score keeps the
    stored score; a question as it is stored is left alone (and not checked again).
    Every other question is checked before anything is written, and the refusals, one
    per question, come together (`Refusals`, bad input to this form whatever each says).
    """
    membership = check_may_score(evaluation, membership)
    _check_vendor(membership, vendor)
    existing = {
        s.question_id: s
        for s in session.scalars(
            select(m.Score).where(
                m.Score.membership_id == membership.id, m.Score.vendor_id == vendor.id
            )
        )
    }
    limit = criteria_limit(session, membership)
    in_scope = {q.id: q for q in scored_questions(session, evaluation.id, limit)}
    refusals: list[Refused] = []
    valid: list[tuple[ScoredQuestion, float, str]] = []
    for question_id, (raw_value, comment) in posted.items():
        before = existing.get(question_id)
        if raw_value in (None, ""):
            if before is None and not comment:
                continue  # left blank: nothing to save
            raw_value = _stored_choice(before)
        if before is not None and _unchanged(before, raw_value, comment):
            continue
        try:
            question = in_scope.get(question_id) or _question_to_score(
                session, evaluation, question_id, limit
            )
            valid.append((question, *_validated(evaluation, question, raw_value, comment)))
        except Refused as refused:
            refusals.append(
                Refused(refused.field, refused.message, INVALID, subject_id=refused.subject_id)
            )
    refuse_all(refusals)
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
        raise Refused("", f"{remaining} still to enter before you can submit.", CONFLICT)
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
    note_when_all_in(session, evaluation)
    return progress


# -- the opening of consensus --------------------------------------------------------------


@dataclass(frozen=True)
class ClosedScorecard:
    """A scorecard submitted as it stood when consensus opened."""

    membership_id: int
    name: str
    entered: int
    expected: int

    @property
    def blank(self) -> int:
        return max(0, self.expected - self.entered)


def close_scorecards_at_consensus(
    session: Session, evaluation: m.Evaluation, user: m.User | None
) -> list[ClosedScorecard]:
    """Submit every active evaluator's scorecard that is not submitted yet, as it stands,
    when consensus opens: from then on the panel's scores are visible, so nobody may go
    on scoring independently. The blanks stay blank (the results list them as missing);
    each closing is audited with how many scores it has of how many expected."""
    closed = []
    for p in progress_by_evaluation(session, [evaluation.id])[evaluation.id]:
        if p.submitted:
            continue
        membership = session.get(m.Membership, p.membership_id)
        assert membership is not None
        membership.submitted_at = utcnow()
        membership.auto_submitted = True
        record(
            session,
            evaluation,
            user,
            "scorecard.submitted_at_consensus",
            p.name,
            new={"scores": p.entered, "expected": p.expected, "blank": p.expected - p.entered},
            reason="Consensus opened: the scorecard is submitted as it stands.",
        )
        closed.append(ClosedScorecard(p.membership_id, p.name, p.entered, p.expected))
    session.flush()
    return closed
