"""Form pieces every area uses (WTForms)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, HiddenField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from rfp.domain.bounds import BOUNDS
from rfp.domain.control_characters import control_problem
from rfp.scenario.pricing import LINES_HELP, TIERS_HELP, lines_from_text, tiers_from_text


class CheckedForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type stubs
    """Every form of rfp (tests/core/test_forms.py checks that none is a bare FlaskForm).

    Whatever the field, a submitted text with a control character other than tab and line
    ends is refused under that field: "Title contains a control character (NUL); remove
    it." PostgreSQL refuses a NUL outright (a 500), and XML, so the workbook, refuses
    most of the others. Checked on the raw submitted text, so that no filter, coercion
    or later validator sees it first."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        clean = True
        for field in _leaf_fields(self):
            problem = next((p for p in map(control_problem, _submitted_texts(field)) if p), None)
            if problem:
                field.errors = [f"{field.label.text} {problem}."]
                clean = False
        return valid and clean


def _leaf_fields(form: Any) -> Iterable[Field]:
    for field in form:
        if isinstance(field, FormField):
            yield from _leaf_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _leaf_fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


def _submitted_texts(field: Field) -> list[str]:
    return [raw for raw in (field.raw_data or ()) if isinstance(raw, str)]


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select, radio or checkbox list."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]  # wtforms has no type stubs
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class Within:
    """A number within its sane bounds (rfp.domain.bounds), or none (leave Optional or
    InputRequired to the field): "Weight must be at most 10,000". Refuses NaN and
    infinity, which WTForms' FloatField accepts ("inf", "1e999") and NumberRange lets by."""

    def __init__(self, bound: str) -> None:
        self.bound = bound

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None:
            return
        problem = BOUNDS[self.bound].problem(field.data)
        if problem:
            raise StopValidation(f"{field.label.text} {problem}.")


def text_limit(field: Field) -> int | None:
    """The most characters a field takes (its Length validator), for the template's
    data-max-length: page.js shows a live counter, and the server refuses a longer text
    under the field (WTForms' Length), so nothing is cut silently."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0]
    return min(limits) if limits else None


class VersionField(HiddenField):  # type: ignore[misc]  # wtforms has no type stubs
    """The version of the row an edit form was opened at (rfp.core.versions), as a
    whole number, or None when missing or not a number (then nothing is checked)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = int(raw) if isinstance(raw, str) and raw.isdigit() else None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


# -- rate lines and volume tiers (the lead's response form and the vendor portal) -------


def rate_lines_field() -> Any:
    """A text area of rate lines, one a row ("voice, en, 14"), every bad row named."""
    return TextAreaField(
        "Rate lines (optional)",
        validators=[Length(max=20000), _valid_rows(lambda form, text: lines_from_text(text))],
        description=LINES_HELP,
    )


def volume_tiers_field() -> Any:
    """A text area of volume tiers, one a row ("20000, 5%"), checked against the form's
    `rate` and `rate_lines`."""
    return TextAreaField(
        "Volume tiers (optional)",
        validators=[Length(max=5000), _valid_rows(_tiers)],
        description=TIERS_HELP,
    )


def price_rows(form: Any) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """The validated form's rate lines and tiers, as the scenario file writes them."""
    return tuple(lines_from_text(form.rate_lines.data or "")), tuple(
        _tiers(form, form.volume_tiers.data or "")
    )


def _tiers(form: Any, text: str) -> list[dict[str, Any]]:
    return tiers_from_text(text, form.rate.data, bool((form.rate_lines.data or "").strip()))


def _valid_rows(parse: Any) -> Any:
    def check(form: Any, field: Field) -> None:
        try:
            parse(form, field.data or "")
        except ValueError as exc:
            raise StopValidation(" ".join(exc.args[0])) from exc

    return check
