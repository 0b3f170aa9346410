"""The question numbers of an evaluation stored in the database (rfp.domain.numbering),
read in one query: every area that shows a question shows this number."""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.domain.numbering import Numbering, number_tree


def evaluation_numbering(session: Session, evaluation_id: int) -> Numbering:
    rows = session.execute(
        select(m.Criterion.id, m.Criterion.key, m.Question.key)
        .outerjoin(m.Question, m.Question.criterion_id == m.Criterion.id)
        .where(m.Criterion.evaluation_id == evaluation_id)
        .order_by(m.Criterion.position, m.Criterion.id, m.Question.position, m.Question.id)
    ).all()
    return number_tree(
        (criterion_key, [q for _, _, q in group if q is not None])
        for (_, criterion_key), group in groupby(rows, key=lambda r: (r[0], r[1]))
    )
