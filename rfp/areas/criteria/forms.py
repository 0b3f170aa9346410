"""Forms of the criteria editor: a criterion, a question (with the score bands of a
number answer, one row of fields per band), and the weight table (a field per criterion
and per scored question, generated for the evaluation's tree)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

from wtforms import (
    Field,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from rfp import models as m
from rfp.areas.criteria.pages import BAND_ROWS_MAX, BandRow, band_rows
from rfp.core.forms import CheckedForm, VersionField, Within
from rfp.domain.decision.quantitative import band_errors, bands_from_json
from rfp.domain.numbering import number_objects
from rfp.domain.scoring.model import Scale
from rfp.domain.vocabulary import AnswerType, CriterionKind, QuestionKind

POSITIVE = NumberRange(min=1e-9, message="Must be greater than 0 (weights are relative).")

# What each kind means, after its label.
CRITERION_KIND_HELP = {
    CriterionKind.SCORED: "evaluators score its questions",
    CriterionKind.COST: "computed from each vendor's pricing",
    CriterionKind.REFERENCES: "computed from the reference calls' ratings",
}
QUESTION_KIND_HELP = {
    QuestionKind.SCORED: "each evaluator scores it on the scale",
    QuestionKind.KNOCKOUT: "pass or fail, not weighted",
    QuestionKind.INFO: "asked of the vendor, not scored",
}
ANSWER_TYPE_LABELS = {AnswerType.TEXT: "In words", AnswerType.NUMBER: "With a number"}


def _kind_choices(help_by_kind: dict[Any, str]) -> list[SelectChoice]:
    return [
        SelectChoice(kind.value, f"{kind.label}: {text}") for kind, text in help_by_kind.items()
    ]


class ReasonForm(CheckedForm):
    reason = TextAreaField("Reason for the change", validators=[Length(max=5000)])


class CriterionForm(ReasonForm):
    version = VersionField()  # rfp.core.versions
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=_kind_choices(CRITERION_KIND_HELP))
    weight = FloatField("Weight", validators=[InputRequired(), POSITIVE, Within("weight")])
    description = TextAreaField("Description", validators=[Length(max=5000)])

    def changes(self) -> dict[str, Any]:
        """What add_criterion and update_criterion take from the form."""
        return {
            "name": self.name.data,
            "kind": self.kind.data,
            "weight": self.weight.data,
            "description": self.description.data or "",
            "reason": self.reason.data or "",
        }


class BandForm(Form):
    """One row of the bands editor, as typed (`band-<i>-min`, `-max`, `-score`)."""

    min = StringField()
    max = StringField()
    score = StringField()


class QuestionForm(ReasonForm):
    version = VersionField()  # rfp.core.versions
    text = TextAreaField("Question", validators=[DataRequired(), Length(max=5000)])
    kind = SelectField("Kind", choices=_kind_choices(QUESTION_KIND_HELP))
    weight = FloatField(
        "Weight",
        validators=[Optional(), POSITIVE, Within("weight")],
        description="Scored questions only.",
    )
    answer_type = SelectField(
        "The vendor answers",
        choices=[SelectChoice(t.value, label) for t, label in ANSWER_TYPE_LABELS.items()],
        default=AnswerType.TEXT.value,
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
    bands_posted = HiddenField()  # in the form's hidden tags: the page had the bands editor
    band = FieldList(FormField(BandForm), max_entries=BAND_ROWS_MAX)

    # Set by question_form(), and by validate() from what was posted.
    scale: Scale
    band_rows: list[BandRow]
    band_errors: list[str]
    bands: list[dict[str, float | None]] | None | bool = False

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the bands editor: each error names its row."""
        valid = super().validate(extra_validators)
        if self.bands_posted.raw_data:  # posted, even empty: the page had the editor
            typed = [
                (
                    _row_number(entry.name),
                    entry.form.min.data,
                    entry.form.max.data,
                    entry.form.score.data,
                )
                for entry in self.band
            ]
            bands, self.band_rows, errors = parse_band_rows(typed, self.scale)
            if self.answer_type.data == AnswerType.NUMBER and self.kind.data == QuestionKind.SCORED:
                self.bands, self.band_errors = bands or None, errors
            else:
                self.bands = None  # the question takes no number: no bands
        return valid and not self.band_errors

    def changes(self) -> dict[str, Any]:
        """What add_question and update_question both take from the form (the answer
        type, unit and bands differ: a new question has defaults, an edit keeps what the
        form did not post)."""
        return {
            "text": self.text.data,
            "kind": self.kind.data,
            "weight": self.weight.data or 0,
            "guidance": self.guidance.data or "",
            "reason": self.reason.data or "",
        }


def question_form(
    evaluation: m.Evaluation, question: m.Question | None = None, **kwargs: Any
) -> QuestionForm:
    """The question form for this evaluation's scale, with the stored bands as rows."""
    form = QuestionForm(obj=question, **kwargs)
    form.scale = Scale(evaluation.scale_min, evaluation.scale_max)
    form.band_rows = band_rows(question.bands if question else None)
    form.band_errors = []
    return form


# -- the weight table: a field per criterion and per scored question -----------------------


class WeightField(FloatField):
    """A weight as typed in the table; blank leaves the weight as it is."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Must be a number.") from exc


def criterion_field(criterion: m.Criterion) -> str:
    return f"criterion-{criterion.id}"


def question_field(question: m.Question) -> str:
    return f"question-{question.id}"


def weights_form(criteria: Sequence[m.Criterion], *, current: bool = False) -> ReasonForm:
    """The weight table's form: the reason, and a weight field per criterion and per
    scored question, named as the table's inputs are (`criterion-<id>`, `question-<id>`),
    and the versions of those rows the table was opened at (`versions`, hidden:
    "criterion-3:2 question-7:1", rfp.core.versions). `current`: without the posted
    values (after a stale table's refusal, the stored weights are shown)."""

    class WeightsForm(ReasonForm):
        versions = HiddenField(default=_versions_text(criteria))

    numbering = number_objects(criteria)
    for criterion in criteria:
        setattr(
            WeightsForm,
            criterion_field(criterion),
            WeightField(criterion.name, [Optional(), Within("weight")]),
        )
        for q in criterion.questions:
            if q.kind == QuestionKind.SCORED:
                label = f"Weight of question {numbering.question(q.key)}"
                field = WeightField(label, [Optional(), Within("weight")])
                setattr(WeightsForm, question_field(q), field)
    return WeightsForm(formdata=None) if current else WeightsForm()


def _versions_text(criteria: Sequence[m.Criterion]) -> str:
    rows = [(criterion_field(c), c.version) for c in criteria] + [
        (question_field(q), q.version)
        for c in criteria
        for q in c.questions
        if q.kind == QuestionKind.SCORED
    ]
    return " ".join(f"{name}:{version}" for name, version in rows)


def opened_versions(form: ReasonForm) -> dict[str, int]:
    """The versions the weight table was opened at, by field name (none if missing)."""
    versions = {}
    for pair in (form.versions.data or "").split():
        name, _, version = pair.partition(":")
        if version.isdigit():
            versions[name] = int(version)
    return versions


def _weight_fields(form: ReasonForm) -> Iterator[tuple[str, int, Field]]:
    """(criterion or question, its id, its field) for each weight of the table."""
    for name, field in form._fields.items():
        level, _, item_id = name.partition("-")
        if level in ("criterion", "question") and item_id.isdigit():
            yield level, int(item_id), field


def weights_of(form: ReasonForm) -> tuple[dict[int, float], dict[int, float]]:
    """The weights typed in (criterion id -> weight, question id -> weight); blanks left out."""
    weights: dict[str, dict[int, float]] = {"criterion": {}, "question": {}}
    for level, item_id, field in _weight_fields(form):
        if field.data is not None:
            weights[level][item_id] = field.data
    return weights["criterion"], weights["question"]


def weight_errors(form: ReasonForm) -> bool:
    """Some weight of the table is in error (the reason's errors are shown apart)."""
    return any(field.errors for _, _, field in _weight_fields(form))


# -- score bands as typed ------------------------------------------------------------------

_BAND_ERROR = re.compile(r"^bands\[(?P<index>\d+)\]\.(?P<field>\w+): (?P<message>.*)$")
_BAND_PARTS = ("min", "max", "score")


def _row_number(name: str) -> int:
    """The editor's row number of a `band-<i>` entry (counted from 1)."""
    return int(name.rsplit("-", 1)[1]) + 1


def _number(raw: str) -> float | None:
    value = float(raw.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def parse_band_rows(
    typed_rows: Sequence[tuple[int, str | None, str | None, str | None]], scale: Scale
) -> tuple[list[dict[str, float | None]], list[BandRow], list[str]]:
    """The bands typed into the editor ((row number, min, max, score); blank rows
    skipped), the rows as typed for showing them again, and the errors, each naming its
    row ("Band row 2: max must be greater than min")."""
    typed = [
        (row, dict(zip(_BAND_PARTS, ((v or "").strip() for v in values), strict=True)))
        for row, *values in typed_rows
    ]
    messages: dict[int, list[str]] = {}
    bands: list[dict[str, float | None]] = []
    band_row: list[int] = []  # the row number of each band
    for row, parts in typed:
        if not any(parts.values()):
            continue
        problems = []
        values: dict[str, float | None] = {}
        for part in _BAND_PARTS:
            try:
                values[part] = _number(parts[part]) if parts[part] else None
            except ValueError:
                problems.append(f"{part} must be a number")
        if not parts["score"]:
            problems.append("give the score this band earns")
        if problems:
            messages[row] = problems
        else:
            bands.append(values)
            band_row.append(row)
    if bands and not messages:
        for error in band_errors(bands_from_json(bands), scale):
            match = _BAND_ERROR.match(error)
            if match is not None:
                row = band_row[int(match["index"])]
                messages.setdefault(row, []).append(f"{match['field']} {match['message']}")
    rows = [
        BandRow(
            parts["min"],
            parts["max"],
            parts["score"],
            f"Band row {row}: " + "; ".join(messages[row]) if row in messages else None,
        )
        for row, parts in typed
    ]
    return bands, rows, [r.error for r in rows if r.error]
