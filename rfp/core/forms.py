"""Form pieces every area uses (WTForms)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import Field, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from rfp.domain.bounds import BOUNDS


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
