"""How the audit trail reads an event: groups of actions, and old and new values as text
in the product's words (labels of actions, fields and closed sets, names for keys)."""

from __future__ import annotations

from types import SimpleNamespace

from rfp.areas.audit.pages import changes, group_choices
from rfp.areas.audit.wording import action_label, field_label


def _event(old: object = None, new: object = None, action: str = "x.y") -> SimpleNamespace:
    return SimpleNamespace(old=old, new=new, action=action)


def test_actions_are_grouped_and_listed_by_label():
    actions = ["stage", "criterion.weight", "criterion.added", "award.recorded", "zeta.x"]
    assert group_choices(actions) == [
        ("award", "Award"),
        ("criterion", "Criteria"),
        ("stage", "Stages"),
        ("zeta", "Zeta"),
    ]


def test_a_change_reads_field_by_field_with_either_side_missing():
    event = _event(
        {"weight": 10.0, "kind": "scored"}, {"weight": 15, "name": "Cost"}, "criterion.updated"
    )
    assert changes(event) == [  # type: ignore[arg-type]
        ("Weight", "10", "15"),
        ("Kind", "Scored by the panel", None),  # a criterion kind, by its own label
        ("Name", None, "Cost"),
    ]


def test_the_product_s_words_replace_internal_keys_and_values():
    event = _event(
        {"price_formula": "lowest_ratio", "scope.aht_minutes": 6, "aggregation": "mean"},
        {"price_formula": "linear", "scope.aht_minutes": 7.5, "aggregation": "median"},
        "settings.changed",
    )
    assert changes(event) == [  # type: ignore[arg-type]
        ("Price formula", "Lowest price ratio", "Linear between lowest and highest"),
        ("Scope: Average handle time (minutes)", "6", "7.5"),
        ("Aggregation of the panel's scores", "Mean", "Median"),
    ]
    assert action_label("settings.changed") == "Settings changed"
    assert action_label("criterion.weight") == "Criterion weight changed"


def test_question_and_criterion_keys_read_as_their_numbers_and_names():
    names = {"timezone": "1.1 Daily overlap with our business hours", "cost": "Cost"}
    assert field_label("answer:timezone", names) == (
        "Answer to 1.1 Daily overlap with our business hours"
    )
    event = _event({"criteria": ["cost"]}, {"criteria": []}, "membership.criteria")
    assert changes(event, names) == [("Criteria", "Cost", "(none)")]  # type: ignore[arg-type]
    # A question kind and a pricing model by their labels.
    event = _event(None, {"kind": "knockout", "pricing_model": "per_hour"}, "question.added")
    assert changes(event) == [  # type: ignore[arg-type]
        ("Kind", None, "Knockout (must-have)"),
        ("Pricing model", None, "per agent-hour"),
    ]


def test_values_are_written_for_people_and_never_cut():
    event = _event(None, {"active": False, "limits": ["a", "b"], "x": None})
    assert changes(event) == [  # type: ignore[arg-type]
        ("On the panel", None, "no"),
        ("Limits", None, "a, b"),
        ("X", None, "–"),
    ]
    long = changes(_event("x" * 1000))  # type: ignore[arg-type]
    assert long[0][1] == "x" * 1000  # the page folds it; nothing is cut


def test_a_free_text_answer_is_not_mistaken_for_a_word_of_the_product():
    event = _event(
        {"answer:q": {"text": "open"}}, {"answer:q": {"text": "draft"}}, "vendor.response"
    )
    assert changes(event) == [  # type: ignore[arg-type]
        ("Answer to q", "Text: open", "Text: draft"),
    ]


def test_an_event_without_values_has_no_lines():
    assert changes(_event()) == []  # type: ignore[arg-type]
