"""Forms of the criteria editor, and the weights as the editor shows them: each as a
percentage of its level and of the vendor's total (what the engine uses)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import models as m
from ..extensions import db_session
from .evaluations_forms import options

POSITIVE = NumberRange(min=1e-9, message="Must be greater than 0 (weights are relative).")


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason for the change", validators=[Length(max=5000)])


class CriterionForm(ReasonForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        "Kind",
        choices=options(
            [
                ("scored", "Scored: evaluators score its questions"),
                ("cost", "Cost: computed from each vendor's pricing (TCO)"),
                ("references", "References: computed from the reference calls"),
            ]
        ),
    )
    weight = FloatField("Weight", validators=[InputRequired(), POSITIVE])
    description = TextAreaField("Description", validators=[Length(max=5000)])


class QuestionForm(ReasonForm):
    text = TextAreaField("Question", validators=[DataRequired(), Length(max=5000)])
    kind = SelectField(
        "Kind",
        choices=options(
            [
                ("scored", "Scored: each evaluator scores it on the scale"),
                ("knockout", "Knockout: a must-have, pass or fail, not weighted"),
                ("info", "Info: asked of the vendor, not scored"),
            ]
        ),
    )
    weight = FloatField(
        "Weight", validators=[Optional(), POSITIVE], description="Scored questions only."
    )
    guidance = TextAreaField(
        "Guidance for evaluators",
        validators=[Length(max=5000)],
        description="What a strong answer looks like; shown beside the question on "
        "every scorecard.",
    )


def weight_table(evaluation: m.Evaluation) -> dict[str, Any]:
    """Weights as percentages of their level and of the total (what the engine uses)."""
    total = sum(c.weight for c in evaluation.criteria)
    rows = []
    for criterion in evaluation.criteria:
        share = 100 * criterion.weight / total if total else 0.0
        scored = [q for q in criterion.questions if q.kind == "scored"]
        level = sum(q.weight for q in scored)
        questions = []
        for q in criterion.questions:
            pct = 100 * q.weight / level if q.kind == "scored" and level else None
            questions.append(
                {"question": q, "pct": pct, "of_total": None if pct is None else share * pct / 100}
            )
        rows.append(
            {
                "criterion": criterion,
                "pct": share,
                "questions": questions,
                "level_sum": level,
                "level_off": bool(scored) and abs(level - 100) > 1e-9,
            }
        )
    return {"total": total, "off": bool(rows) and abs(total - 100) > 1e-9, "rows": rows}


def scores_on(question_ids: list[int]) -> int:
    if not question_ids:
        return 0
    return db_session().scalar(
        select(func.count()).select_from(m.Score).where(m.Score.question_id.in_(question_ids))
    )


def load_criteria_tree(evaluation: m.Evaluation) -> list[m.Criterion]:
    """The evaluation's criteria with their questions, in two queries (not one per
    criterion): a page then reads `evaluation.criteria` and `criterion.questions` freely."""
    db_session().scalars(
        select(m.Evaluation)
        .where(m.Evaluation.id == evaluation.id)
        .options(selectinload(m.Evaluation.criteria).selectinload(m.Criterion.questions))
    ).one()
    return evaluation.criteria
