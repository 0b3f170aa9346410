"""Form pieces every area uses (WTForms)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import Field, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation, ValidationError
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


class TextLimit(Length):
    """At most `max` characters, said with the count ("At most 5,000 characters: this
    text has 5,212."); the page shows a live counter (rfp/static/js/page.js reads the
    field's data-max-length, which `text_limit` gives the template)."""

    def __init__(self, max: int) -> None:  # noqa: A002
        super().__init__(max=max)

    def __call__(self, form: Any, field: Field) -> None:
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(
                f"At most {self.max:,} characters: this text has {length:,}. "
                "Shorten it (nothing was saved)."
            )


def text_limit(field: Field) -> int | None:
    """The most characters a field takes (its Length or TextLimit validator), for the
    template's data-max-length."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0]
    return min(limits) if limits else None
