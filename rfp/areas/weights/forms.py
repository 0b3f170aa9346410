"""Forms of the weights (AHP) area and the price-formula choice on the results page.

The pairwise comparison is one radio row per pair of criteria, Saaty's scale laid out
as it is on paper questionnaires: nine points towards the left criterion, "equal" in
the middle, nine towards the right one. Each row's value reads `a5` (the left one is
strongly more important, 5x), `eq`, or `b3` (the right one, moderately, 3x); the form
class of an evaluation has one field per pair of its criteria (`comparison_form`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, StopValidation, ValidationError

from rfp.core.forms import CheckboxesField, CheckedForm
from rfp.domain.vocabulary import PriceFormula

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


@dataclass(frozen=True)
class Pair:
    """Two criteria compared: their keys (the row i < column j of the matrix) and names."""

    i: int
    j: int
    left: str
    right: str
    left_name: str
    right_name: str

    @property
    def field(self) -> str:
        return pair_field(self.left, self.right)


def pairs_of(criteria: Sequence[tuple[str, str]]) -> tuple[Pair, ...]:
    """Every pair (i < j) of `criteria`, (key, name) in the matrix's order."""
    return tuple(
        Pair(i, j, left, right, left_name, right_name)
        for i, (left, left_name) in enumerate(criteria)
        for j, (right, right_name) in enumerate(criteria)
        if i < j
    )


def _point_of_the_scale(pair: Pair) -> Callable[[FlaskForm, Field], None]:
    def check(form: FlaskForm, field: Field) -> None:
        raw = field.data or ""
        if not raw:
            raise StopValidation(
                f"{pair.left_name} or {pair.right_name}: choose which matters more and how "
                "much, or equal."
            )
        if raw not in BY_VALUE:
            raise StopValidation(
                f"{pair.left_name} or {pair.right_name}: {raw!r} is not a point of the scale."
            )

    return check


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ComparisonForm(CheckedForm):
    """One participant's comparison: a field per pair of criteria (built for the
    evaluation's criteria by `comparison_form`), and the criteria it was drawn for."""

    criteria = HiddenField()
    keys: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()

    def validate_criteria(self, field: HiddenField) -> None:
        if field.data != ",".join(self.keys):
            raise ValidationError(
                "The criteria changed while you were comparing them: the form now shows "
                "the current ones. Nothing was saved."
            )

    @property
    def drawn_for_other_criteria(self) -> bool:
        return bool(self.criteria.errors)

    @property
    def expired(self) -> bool:
        return "csrf_token" in self.errors

    def pair(self, pair: Pair) -> Field:
        return self[pair.field]

    def matrix(self) -> list[list[float]]:
        """The reciprocal matrix of a validated form."""
        n = len(self.keys)
        matrix = [[1.0] * n for _ in range(n)]
        for pair in self.pairs:
            matrix[pair.i][pair.j] = BY_VALUE[self.pair(pair).data].judgment()
            matrix[pair.j][pair.i] = 1.0 / matrix[pair.i][pair.j]
        return matrix


def comparison_form(criteria: Sequence[tuple[str, str]]) -> type[ComparisonForm]:
    """The comparison form of these criteria, (key, name) in the matrix's order: one
    field per pair, whose value is a point of the scale (`a5`, `eq`, `b3`)."""
    pairs = pairs_of(criteria)
    attrs: dict[str, object] = {"keys": tuple(key for key, _ in criteria), "pairs": pairs}
    for pair in pairs:
        attrs[pair.field] = StringField(
            f"{pair.left_name} or {pair.right_name}",
            filters=[_strip],
            validators=[_point_of_the_scale(pair)],
        )
    return type("ComparisonOfCriteriaForm", (ComparisonForm,), attrs)


class ParticipantsForm(CheckedForm):
    participants = CheckboxesField("Participants", coerce=int)


class ApplyWeightsForm(CheckedForm):
    expected = HiddenField()  # weights_fingerprint of the weights the lead read


class PriceFormulaForm(CheckedForm):
    price_formula = HiddenField(validators=[InputRequired(), AnyOf(PriceFormula.values())])
    reason = TextAreaField("Reason for changing the price formula", validators=[Length(max=5000)])

    @property
    def formula(self) -> PriceFormula:
        """The formula chosen (of a validated form)."""
        return PriceFormula(self.price_formula.data)
