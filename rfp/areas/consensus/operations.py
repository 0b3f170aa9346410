"""Consensus scores: the lead's agreed score for a (vendor, question), with a rationale.

A consensus score replaces the evaluators' aggregate for that question (DESIGN.md,
"Scoring rules", 2). It is recorded in `consensus` only, on the evaluation's scale,
always with a rationale; recording, changing and removing are audited old -> new.
Refusals name the form field at fault (`score`, `rationale`).

From consensus on, the evaluators' scores are frozen, and a flagged disagreement is
settled only by a consensus score with its rationale: `flags_kept` refuses any other
change (an evaluator taken off the panel, a question deleted, a higher threshold...)
that would make one vanish.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.audit import record
from rfp.core.refusal import CONFLICT, NOT_FOUND, Refused
from rfp.core.scale import parse_point
from rfp.domain.formatting import counted
from rfp.domain.scoring import score_evaluation
from rfp.domain.vocabulary import CriterionKind, QuestionKind, Stage
from rfp.models.adapter import load_scoring_input

RATIONALE_MAX = 5000


def _check(evaluation: m.Evaluation, vendor: m.Vendor, question: m.Question) -> None:
    if evaluation.stage != Stage.CONSENSUS:
        raise Refused(
            "stage",
            f"Consensus scores are recorded in the consensus stage; the evaluation is "
            f"{evaluation.stage}.",
            CONFLICT,
        )
    if vendor.evaluation_id != evaluation.id or question.evaluation_id != evaluation.id:
        raise Refused("question", "Not part of this evaluation.", NOT_FOUND)
    if question.kind != QuestionKind.SCORED or question.criterion.kind != CriterionKind.SCORED:
        raise Refused("question", "Only a scored question takes a consensus score.")


def _target(vendor: m.Vendor, question: m.Question) -> str:
    return f"{vendor.name}, {question.key}"


def current(session: Session, vendor: m.Vendor, question: m.Question) -> m.ConsensusScore | None:
    return session.scalar(
        select(m.ConsensusScore).where(
            m.ConsensusScore.vendor_id == vendor.id,
            m.ConsensusScore.question_id == question.id,
        )
    )


def record_consensus(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User | None,
    vendor: m.Vendor,
    question: m.Question,
    raw_value: object,
    rationale: str | None,
) -> tuple[m.ConsensusScore, bool]:
    """Record or change the consensus score; returns (score, changed)."""
    _check(evaluation, vendor, question)
    value = parse_point(evaluation, raw_value, field="score")
    text = (rationale or "").strip()
    if not text:
        raise Refused("rationale", "Give the rationale for the consensus score.")
    if len(text) > RATIONALE_MAX:
        raise Refused("rationale", f"At most {RATIONALE_MAX} characters.")
    existing = current(session, vendor, question)
    if existing is None:
        score = m.ConsensusScore(
            evaluation_id=evaluation.id,
            vendor_id=vendor.id,
            question_id=question.id,
            value=value,
            rationale=text,
            recorded_by_id=user.id if user else None,
        )
        session.add(score)
        session.flush()
        record(
            session,
            evaluation,
            user,
            "consensus.recorded",
            _target(vendor, question),
            new={"score": value, "rationale": text},
        )
        return score, True
    if existing.value == value and existing.rationale == text:
        return existing, False
    old = {"score": existing.value, "rationale": existing.rationale}
    existing.value = value
    existing.rationale = text
    existing.recorded_by_id = user.id if user else None
    session.flush()
    record(
        session,
        evaluation,
        user,
        "consensus.changed",
        _target(vendor, question),
        old=old,
        new={"score": value, "rationale": text},
    )
    return existing, True


REMOVAL_REASON_MAX = 2000


def remove_consensus(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User | None,
    vendor: m.Vendor,
    question: m.Question,
    reason: str = "",
) -> None:
    """Remove the consensus score: the evaluators' aggregate counts again. The reason
    goes into the audit trail whole: a longer one than it takes is refused, not cut."""
    _check(evaluation, vendor, question)
    if len(reason.strip()) > REMOVAL_REASON_MAX:
        raise Refused(
            "reason",
            f"The reason has {len(reason.strip()):,} characters; at most "
            f"{REMOVAL_REASON_MAX:,}. Nothing was removed.",
        )
    existing = current(session, vendor, question)
    if existing is None:
        raise Refused("score", "There is no consensus score to remove.", CONFLICT)
    old = {"score": existing.value, "rationale": existing.rationale}
    session.delete(existing)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "consensus.removed",
        _target(vendor, question),
        old=old,
        reason=reason.strip(),
    )


# -- flagged disagreements do not vanish ---------------------------------------------------


def unresolved_flags(session: Session, evaluation: m.Evaluation) -> set[tuple[str, str]]:
    """The (vendor key, question key) pairs flagged for calibration with no consensus
    score yet, as the engine sees the evaluation now."""
    result = score_evaluation(load_scoring_input(session, evaluation))
    return {(d.vendor, d.question) for d in result.flagged_dispersion if not d.resolved}


@contextmanager
def flags_kept(session: Session, evaluation: m.Evaluation, field: str = "reason") -> Iterator[None]:
    """Around a change made from consensus on: refuse it (naming `field`) when a flagged
    disagreement without a consensus score would vanish with it, so that every one is
    settled by a consensus score with its rationale, never out of sight. Before
    consensus, and once decided, it checks nothing."""
    stage = evaluation.current_stage
    if not stage.scores_frozen or stage.read_only:
        yield
        return
    before = unresolved_flags(session, evaluation)
    names = {v.key: v.name for v in evaluation.vendors}
    texts = {q.key: q.text for c in evaluation.criteria for q in c.questions}
    yield
    if not before:
        return
    session.flush()
    gone = before - unresolved_flags(session, evaluation)
    if gone:
        listed = "; ".join(
            f"{names.get(vendor, vendor)} · {texts.get(question, question)}"
            for vendor, question in sorted(gone)
        )
        raise Refused(
            field,
            f"This would clear {counted(len(gone), 'flagged disagreement')} that "
            f"{'has' if len(gone) == 1 else 'have'} no consensus score ({listed}). Record a "
            "consensus score with its rationale first.",
            CONFLICT,
        )
