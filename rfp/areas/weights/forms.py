"""Forms of the weights (AHP) area and the price-formula choice on the results page.

The pairwise comparison is one radio row per pair of criteria, Saaty's scale laid out
as it is on paper questionnaires: nine points towards the left criterion, "equal" in
the middle, nine towards the right one. Each row's value reads `a5` (the left one is
strongly more important, 5x), `eq`, or `b3` (the right one, moderately, 3x).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from rfp.domain.scoring.model import PRICE_FORMULAS

# Saaty's verbal scale; the even points lie between their neighbours.
SCALE_WORDS: dict[int, str] = {
    1: "equal",
    2: "equal to moderate",
    3: "moderate",
    4: "moderate to strong",
    5: "strong",
    6: "strong to very strong",
    7: "very strong",
    8: "very strong to extreme",
    9: "extreme",
}
NAMED_POINTS = (1, 3, 5, 7, 9)


@dataclass(frozen=True)
class ScalePosition:
    value: str  # the radio's value: a9 .. a2, eq, b2 .. b9
    side: str  # "a" (left criterion), "eq", "b" (right criterion)
    intensity: int  # 1 .. 9

    @property
    def words(self) -> str:
        return SCALE_WORDS[self.intensity]

    @property
    def named(self) -> bool:
        return self.intensity in NAMED_POINTS

    def judgment(self) -> float:
        """a_ij for the pair (left i, right j)."""
        if self.side == "a":
            return float(self.intensity)
        if self.side == "b":
            return 1.0 / self.intensity
        return 1.0

    def describe(self, left: str, right: str) -> str:
        """In words, for the radio's accessible label and the live summary."""
        if self.side == "eq":
            return f"{left} and {right} are equally important"
        first, second = (left, right) if self.side == "a" else (right, left)
        return f"{first} matters more than {second}: {self.words} ({self.intensity}×)"


POSITIONS: tuple[ScalePosition, ...] = (
    *(ScalePosition(f"a{k}", "a", k) for k in range(9, 1, -1)),
    ScalePosition("eq", "eq", 1),
    *(ScalePosition(f"b{k}", "b", k) for k in range(2, 10)),
)
BY_VALUE = {p.value: p for p in POSITIONS}


def pair_field(left: str, right: str) -> str:
    """The form field of a pair of criterion keys (keys hold no hyphen)."""
    return f"pair-{left}-{right}"


def position_of(judgment: float) -> str:
    """The radio value nearest (in ratio) to a stored judgment a_ij."""
    best = min(POSITIONS, key=lambda p: abs(math.log(p.judgment() / judgment)))
    return best.value


def parse_comparison(
    formdata: Mapping[str, str], criteria: Sequence[tuple[str, str]]
) -> tuple[list[list[float]] | None, dict[str, str]]:
    """The reciprocal matrix from one radio per pair, or the errors by field, each
    naming its pair in words. `criteria`: (key, name) in the matrix's order."""
    n = len(criteria)
    matrix = [[1.0] * n for _ in range(n)]
    errors: dict[str, str] = {}
    for i, (left, left_name) in enumerate(criteria):
        for j in range(i + 1, n):
            right, right_name = criteria[j]
            name = pair_field(left, right)
            raw = (formdata.get(name) or "").strip()
            position = BY_VALUE.get(raw)
            if not raw:
                errors[name] = (
                    f"{left_name} or {right_name}: choose which matters more and how much, "
                    "or equal."
                )
            elif position is None:
                errors[name] = f"{left_name} or {right_name}: {raw!r} is not a point of the scale."
            else:
                matrix[i][j] = position.judgment()
                matrix[j][i] = 1.0 / matrix[i][j]
    return (None, errors) if errors else (matrix, {})


class ComparisonForm(FlaskForm):
    """CSRF and the criteria the form was drawn for; the pairs are read by
    `parse_comparison` (their number depends on the criteria)."""

    criteria = HiddenField()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ParticipantsForm(FlaskForm):
    participants = MultiCheckboxField("Participants", coerce=int)


class ApplyWeightsForm(FlaskForm):
    expected = HiddenField()  # weights_fingerprint of the weights the lead read


class PriceFormulaForm(FlaskForm):
    price_formula = HiddenField()
    reason = TextAreaField("Reason for changing the price formula", validators=[Length(max=5000)])

    def formula(self) -> str | None:
        value = self.price_formula.data
        return value if value in PRICE_FORMULAS else None
