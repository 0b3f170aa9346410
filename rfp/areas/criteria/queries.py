"""What the criteria pages read, and the criteria tree other areas read too.

`load_criteria_tree` is public: the overview, the stage page and the vendor pages load
the tree with it before they walk `evaluation.criteria` and `criterion.questions`.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.core.refusal import NOT_FOUND, Refused


def load_criteria_tree(session: Session, evaluation: m.Evaluation) -> list[m.Criterion]:
    """The evaluation's criteria with their questions, in two queries (not one per
    criterion): a page then reads `evaluation.criteria` and `criterion.questions` freely."""
    session.scalars(
        select(m.Evaluation)
        .where(m.Evaluation.id == evaluation.id)
        .options(selectinload(m.Evaluation.criteria).selectinload(m.Criterion.questions))
    ).one()
    return evaluation.criteria


def questions_in_order(session: Session, evaluation: m.Evaluation) -> list[m.Question]:
    """Every question of the evaluation, in the editor's order (criteria, then questions)."""
    return [q for c in load_criteria_tree(session, evaluation) for q in c.questions]


def criterion_of(session: Session, evaluation: m.Evaluation, criterion_id: int) -> m.Criterion:
    """A criterion of this evaluation; ids of other evaluations are not found."""
    criterion = session.get(m.Criterion, criterion_id)
    if criterion is None or criterion.evaluation_id != evaluation.id:
        raise Refused("criterion", "There is no such criterion in this evaluation.", NOT_FOUND)
    return criterion


def question_of(session: Session, evaluation: m.Evaluation, question_id: int) -> m.Question:
    """A question of this evaluation; ids of other evaluations are not found."""
    question = session.get(m.Question, question_id)
    if question is None or question.evaluation_id != evaluation.id:
        raise Refused("question", "There is no such question in this evaluation.", NOT_FOUND)
    return question


def score_count(session: Session, question_ids: Collection[int]) -> int:
    """How many evaluator scores were given on these questions (deleting them deletes
    those scores)."""
    if not question_ids:
        return 0
    return session.scalar(
        select(func.count()).select_from(m.Score).where(m.Score.question_id.in_(question_ids))
    )


def evaluation_score_count(session: Session, evaluation: m.Evaluation) -> int:
    return session.scalar(
        select(func.count()).select_from(m.Score).where(m.Score.evaluation_id == evaluation.id)
    )
