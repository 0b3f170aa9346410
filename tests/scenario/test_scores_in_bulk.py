"""The scores list is checked column by column first (`_well_formed_scores`), and row by
row only when that finds a problem. Either way the outcome must be the same: the same
canonical rows for a valid list, the same errors, in the same order, for an invalid one.
Each case here runs both ways: as the code does, and with the column checks switched
off (every row through the row-by-row checks, as before they existed).
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rfp.scenario import ScenarioError, normalise_scenario
from rfp.scenario import scores as score_checks
from tests.fixtures.scenarios import minimal_scenario

ABSENT = object()
EVALUATORS = ["ana", "raj", "zoe", None, 1, True, ["ana"]]
VENDORS = ["alpha", "beta", "gamma", None, {"key": "alpha"}]
QUESTIONS = ["timezone", "language", "audits", "soc2", "pricing", None, 3]
VALUES = [0, 3, 5, 2.5, 4.0, 6, -1, True, "4", None, math.nan, math.inf, 10**400]
COMMENTS = [ABSENT, "", "8 h overlap", 5, None, "x" * 100_001]


def outcome(doc: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "valid", normalise_scenario(copy.deepcopy(doc))
    except ScenarioError as exc:
        return "invalid", exc.errors


def both_ways(doc: dict[str, Any]) -> tuple[tuple[str, Any], tuple[str, Any]]:
    """(outcome with the column checks, outcome row by row only)."""
    with_columns = outcome(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(score_checks, "_well_formed_scores", lambda *args: None)
        row_by_row = outcome(doc)
    return with_columns, row_by_row


def scenario(rows: list[Any], *, limit_raj: bool = False, scale: tuple[Any, Any] = (0, 5)):
    doc = minimal_scenario()
    doc["evaluation"]["scale"] = {"min": scale[0], "max": scale[1]}
    if limit_raj:
        doc["evaluators"][1]["criteria"] = ["compliance"]
    doc["scores"] = rows
    return doc


def row(evaluator: Any = "ana", vendor: Any = "alpha", question: Any = "timezone", **more: Any):
    return {"evaluator": evaluator, "vendor": vendor, "question": question, "score": 3} | more


def test_a_valid_list_takes_the_column_checks_and_gives_the_canonical_rows(monkeypatch):
    triples = [
        (e, v, q)
        for e in ("ana", "raj")
        for v in ("alpha", "beta")
        for q in ("timezone", "language", "audits")
    ]
    rows = [
        row(e, v, q, score=i % 6, comment=f"{e}/{v}/{q}") for i, (e, v, q) in enumerate(triples)
    ]
    del rows[0]["comment"]  # optional: the canonical row says ""
    rows[1] = {"comment": rows[1].pop("comment"), **rows[1]}  # fields in any order
    rows[2]["score"] = 2.5
    with_columns, row_by_row = both_ways(scenario(rows))
    assert with_columns[0] == "valid"
    assert with_columns == row_by_row

    calls = []
    column_checks = score_checks._well_formed_scores
    monkeypatch.setattr(
        score_checks, "_well_formed_scores", lambda *args: calls.append(1) or column_checks(*args)
    )
    scores = normalise_scenario(scenario(rows))["scores"]
    assert calls == [1]
    assert scores[0] == {
        "evaluator": "ana",
        "vendor": "alpha",
        "question": "timezone",
        "score": 0,
        "comment": "",
    }
    assert scores[2]["score"] == 2.5
    fields = ["evaluator", "vendor", "question", "score", "comment"]
    assert all(list(r) == fields for r in scores)


BROKEN = {
    "not_an_object": [row(), 7],
    "missing_score": [{"evaluator": "ana", "vendor": "alpha", "question": "timezone"}],
    "unknown_field": [row(note="x")],
    "unknown_evaluator": [row("zoe")],
    "unknown_vendor": [row(vendor="gamma")],
    "unknown_question": [row(question="pricing")],
    "knockout_question": [row(question="soc2")],
    "evaluator_key_not_text": [row(["ana"])],
    "out_of_scale": [row(score=6)],
    "bool_score": [row(score=True)],
    "text_score": [row(score="4")],
    "nan_score": [row(score=math.nan)],
    "huge_score": [row(score=10**400)],
    "comment_not_text": [row(comment=5)],
    "comment_too_long": [row(comment="x" * 100_001)],
    "duplicate": [row(), row("raj", question="audits"), row(score=4)],
    "duplicate_after_a_non_object": [7, row(), row()],
    "outside_the_evaluators_criteria": [row("raj"), row("raj", question="audits")],
}


@pytest.mark.parametrize("rows", BROKEN.values(), ids=BROKEN.keys())
def test_an_invalid_list_gets_the_row_by_row_errors(rows):
    with_columns, row_by_row = both_ways(scenario(rows, limit_raj=True))
    assert with_columns[0] == "invalid"
    assert with_columns == row_by_row


def test_an_invalid_evaluator_key_is_not_a_key_scores_may_use():
    doc = scenario([row(None)])
    doc["evaluators"][0]["key"] = None
    with_columns, row_by_row = both_ways(doc)
    assert "scores[0].evaluator: unknown evaluator None" in with_columns[1]
    assert with_columns == row_by_row


def test_a_scale_without_bounds_leaves_every_row_to_the_row_by_row_checks():
    with_columns, row_by_row = both_ways(scenario([row()], scale=(None, 5)))
    assert with_columns == row_by_row


def rows_strategy() -> st.SearchStrategy[list[Any]]:
    """Lists of score rows, most of them valid (so that whole lists often are, and
    repeat a row), the others wrong in one way or more."""

    def score_row(fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.builds(
            lambda values: {k: x for k, x in values.items() if x is not ABSENT},
            st.fixed_dictionaries(fields),
        )

    valid = score_row(
        {
            "evaluator": st.sampled_from(EVALUATORS[:2]),
            "vendor": st.sampled_from(VENDORS[:2]),
            "question": st.sampled_from(QUESTIONS[:3]),
            "score": st.sampled_from(VALUES[:5]),
            "comment": st.sampled_from(COMMENTS[:3]),
        }
    )
    anything = score_row(
        {
            "evaluator": st.sampled_from([*EVALUATORS, ABSENT]),
            "vendor": st.sampled_from([*VENDORS, ABSENT]),
            "question": st.sampled_from([*QUESTIONS, ABSENT]),
            "score": st.sampled_from([*VALUES, ABSENT]),
            "comment": st.sampled_from(COMMENTS),
            "extra": st.sampled_from([ABSENT, ABSENT, "x"]),
        }
    )
    not_an_object = st.sampled_from([7, None, [], "row"])
    return st.lists(st.one_of(valid, valid, valid, valid, anything, not_an_object), max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy(), limit_raj=st.booleans(), scale=st.sampled_from([(0, 5), (1, 10)]))
def test_the_column_checks_never_change_the_outcome(rows, limit_raj, scale):
    with_columns, row_by_row = both_ways(scenario(rows, limit_raj=limit_raj, scale=scale))
    assert with_columns == row_by_row
