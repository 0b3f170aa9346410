"""The comparison form is built for the criteria at hand: a field per pair, each a point
of Saaty's scale, and the reciprocal matrix from what was chosen."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from rfp.areas.weights.forms import comparison_form

CRITERIA = [("cost", "Cost"), ("fit", "Cultural fit"), ("refs", "References")]


def _form(app, **data: str):
    with app.test_request_context(method="POST", data=MultiDict(data)):
        form = comparison_form(CRITERIA)()
        form.validate()
        return form


def test_a_field_per_pair_of_criteria(app):
    form = _form(app)
    pairs = [name for name in form._fields if name.startswith("pair-")]
    assert pairs == ["pair-cost-fit", "pair-cost-refs", "pair-fit-refs"]


def test_the_matrix_is_reciprocal(app):
    chosen = {"pair-cost-fit": "a3", "pair-cost-refs": "eq", "pair-fit-refs": "b5"}
    form = _form(app, criteria="cost,fit,refs", **chosen)
    assert not form.errors
    expected = [[1, 3, 1], [1 / 3, 1, 1 / 5], [1, 5, 1]]
    for row, wanted in zip(form.matrix(), expected, strict=True):
        assert row == pytest.approx(wanted)


def test_each_pair_not_answered_or_off_the_scale_is_named(app):
    form = _form(app, criteria="cost,fit,refs", **{"pair-cost-fit": "a10", "pair-fit-refs": "eq"})
    assert form.errors == {
        "pair-cost-fit": ["Cost or Cultural fit: 'a10' is not a point of the scale."],
        "pair-cost-refs": ["Cost or References: choose which matters more and how much, or equal."],
    }
    assert not form.drawn_for_other_criteria


def test_a_form_drawn_for_other_criteria_says_so(app):
    form = _form(app, criteria="cost,fit")
    assert form.drawn_for_other_criteria
