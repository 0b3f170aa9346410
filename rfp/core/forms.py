"""Form pieces every area uses (WTForms)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import Field, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from rfp.domain.bounds import BOUNDS
from rfp.scenario.pricing import LINES_HELP, TIERS_HELP, lines_from_text, tiers_from_text


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select, radio or checkbox list."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
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
