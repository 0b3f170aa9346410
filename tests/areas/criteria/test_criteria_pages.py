"""The criteria editor's view model and the bands editor's parsing, on plain objects."""

from __future__ import annotations

from itertools import count
from types import SimpleNamespace

import pytest

from rfp.areas.criteria.forms import parse_band_rows
from rfp.areas.criteria.pages import band_rows, weight_table
from rfp.domain.scoring.model import Scale

_KEYS = count(1)


def _question(kind: str, weight: float, **extra: object) -> SimpleNamespace:
    extra.setdefault("key", f"q{next(_KEYS)}")
    return SimpleNamespace(kind=kind, weight=weight, answer_type="text", bands=None, **extra)


def _criterion(kind: str, weight: float, *questions: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(
        kind=kind, weight=weight, questions=list(questions), key=f"c{next(_KEYS)}"
    )


def test_each_weight_is_a_share_of_its_level_and_of_the_total():
    fit = _criterion(
        "scored", 30, _question("scored", 3), _question("scored", 1), _question("knockout", 1)
    )
    cost = _criterion("cost", 20)
    table = weight_table([fit, cost])  # type: ignore[list-item]
    assert table.total == 50 and table.off
    first, second = table.rows
    assert first.pct == 60 and second.pct == 40
    assert [q.pct for q in first.questions] == [75, 25, None]
    assert [q.of_total for q in first.questions] == [45, 15, None]
    assert first.scored and first.has_scored_question and first.level_off
    assert first.questions[2].knockout and not first.questions[2].scored
    assert second.cost and not second.scored and not second.has_scored_question


def test_levels_that_sum_to_100_raise_no_warning():
    table = weight_table([_criterion("scored", 100, _question("scored", 100))])  # type: ignore[list-item]
    assert not table.off and not table.rows[0].level_off


def test_the_editor_offers_blank_band_rows_after_the_stored_ones():
    rows = band_rows([{"min": 6, "max": None, "score": 5}])
    assert (rows[0].min, rows[0].max, rows[0].score) == ("6", "", "5")
    assert len(rows) == 4 and all(r.min == r.max == r.score == "" for r in rows[1:])


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ([(2, "x", "", "5")], "Band row 2: min must be a number"),
        ([(1, "4", "6", "")], "Band row 1: give the score this band earns"),
        ([(3, "6", "4", "3")], "Band row 3: max"),
        ([(1, "0", "", "9")], "Band row 1: score"),
    ],
)
def test_each_band_error_names_its_row(typed, error):
    bands, rows, errors = parse_band_rows(typed, Scale(0, 5))
    assert len(errors) == 1 and errors[0].startswith(error)
    assert rows[0].error == errors[0]


def test_blank_rows_are_skipped_and_numbers_take_a_decimal_comma():
    bands, rows, errors = parse_band_rows(
        [(1, "6", "", "5"), (2, "", "", ""), (3, "4,5", "6", "3")], Scale(0, 5)
    )
    assert errors == []
    assert bands == [
        {"min": 6.0, "max": None, "score": 5.0},
        {"min": 4.5, "max": 6.0, "score": 3.0},
    ]
    assert [r.min for r in rows] == ["6", "", "4,5"]
