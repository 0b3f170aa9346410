"""Forms of the criteria editor, and the weights as the editor shows them: each as a
percentage of its level and of the vendor's total (what the engine uses)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from rfp import models as m
from rfp.areas.evaluations.forms import options
from rfp.core.extensions import db_session
from rfp.domain.decision.quantitative import band_errors, bands_from_json, describe_band
from rfp.domain.scoring.model import Scale

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
    answer_type = SelectField(
        "The vendor answers",
        choices=options(
            [
                ("text", "In words"),
                ("number", "With a number"),
            ]
        ),
        default="text",
        description="A number for facts: agent attrition %, hours of overlap, years serving "
        "similar clients.",
    )
    unit = StringField(
        "Unit of the number",
        validators=[Length(max=40)],
        description="Shown to the vendor beside the box, and to evaluators: h, %, years.",
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
                {
                    "question": q,
                    "pct": pct,
                    "of_total": None if pct is None else share * pct / 100,
                    "bands": bands_text(q),
                }
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


# -- score bands of a quantitative question ------------------------------------------------

BAND_ROWS_MIN = 4  # rows the editor offers (filled ones, then blank ones up to this)
BAND_ROWS_MAX = 12
_BAND_ERROR = re.compile(r"^bands\[(?P<index>\d+)\]\.(?P<field>\w+): (?P<message>.*)$")


@dataclass(frozen=True)
class BandRow:
    """One row of the bands editor as typed (strings), with its error."""

    min: str
    max: str
    score: str
    error: str | None = None


def bands_text(question: m.Question) -> str:
    """A quantitative question's bands in words: "5 for 6 h or more; 3 for 4 to under
    6 h"; empty when evaluators score it."""
    if question.kind != "scored" or question.answer_type != "number" or not question.bands:
        return ""
    return "; ".join(
        f"{band.score:g} for {describe_band(band, question.unit or '')}"
        for band in bands_from_json(question.bands)
    )


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def band_rows(bands: Sequence[Mapping[str, Any]] | None) -> list[BandRow]:
    """The stored bands as editor rows, with blank rows to add more."""
    rows = [
        BandRow(_text(b.get("min")), _text(b.get("max")), _text(b.get("score")))
        for b in bands or []
    ]
    target = min(BAND_ROWS_MAX, max(BAND_ROWS_MIN, len(rows) + 2))
    rows += [BandRow("", "", "") for _ in range(target - len(rows))]
    return rows


def _number(raw: str) -> float | None:
    value = float(raw.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def parse_band_rows(
    formdata: Mapping[str, str], scale: Scale
) -> tuple[list[dict[str, float | None]], list[BandRow], list[str]]:
    """The bands typed into the editor (rows `band-<i>-min`, `-max`, `-score`; blank rows
    skipped), the rows as typed for showing them again, and the errors, each naming its
    row ("Band row 2: max must be greater than min")."""
    typed_rows: list[dict[str, str]] = []
    for i in range(BAND_ROWS_MAX):
        if not any(f"band-{i}-{part}" in formdata for part in ("min", "max", "score")):
            continue
        typed_rows.append(
            {
                "row": str(i + 1),
                **{
                    part: (formdata.get(f"band-{i}-{part}") or "").strip()
                    for part in ("min", "max", "score")
                },
            }
        )
    messages: dict[str, list[str]] = {}
    bands: list[dict[str, float | None]] = []
    band_row: list[str] = []  # the row number of each band
    for typed in typed_rows:
        if not (typed["min"] or typed["max"] or typed["score"]):
            continue
        problems = []
        values: dict[str, float | None] = {}
        for part in ("min", "max", "score"):
            try:
                values[part] = _number(typed[part]) if typed[part] else None
            except ValueError:
                problems.append(f"{part} must be a number")
        if not typed["score"]:
            problems.append("give the score this band earns")
        if problems:
            messages[typed["row"]] = problems
        else:
            bands.append(values)
            band_row.append(typed["row"])
    if bands and not messages:
        for error in band_errors(bands_from_json(bands), scale):
            match = _BAND_ERROR.match(error)
            if match is not None:
                row = band_row[int(match["index"])]
                messages.setdefault(row, []).append(f"{match['field']} {match['message']}")
    rows = [
        BandRow(
            t["min"],
            t["max"],
            t["score"],
            f"Band row {t['row']}: " + "; ".join(messages[t["row"]])
            if t["row"] in messages
            else None,
        )
        for t in typed_rows
    ]
    errors = [row.error for row in rows if row.error]
    return bands, rows, errors
