"""How the audit trail reads an event: groups of actions, and old and new values as text."""

from __future__ import annotations

from types import SimpleNamespace

from rfp.areas.audit.pages import MAX_TEXT, changes, group_choices


def _event(old: object = None, new: object = None) -> SimpleNamespace:
    return SimpleNamespace(old=old, new=new)


def test_actions_are_grouped_and_listed_by_label():
    actions = ["stage", "criterion.weight", "criterion.added", "award.recorded", "zeta.x"]
    assert group_choices(actions) == [
        ("award", "Award"),
        ("criterion", "Criteria"),
        ("stage", "Stages"),
        ("zeta", "Zeta"),
    ]


def test_a_change_reads_field_by_field_with_either_side_missing():
    event = _event({"weight": 10.0, "kind": "scored"}, {"weight": 15, "name": "Cost"})
    assert changes(event) == [  # type: ignore[arg-type]
        ("weight", "10", "15"),
        ("kind", "scored", None),
        ("name", None, "Cost"),
    ]


def test_values_are_written_for_people():
    event = _event(None, {"active": False, "criteria": [], "limits": ["a", "b"], "x": None})
    assert changes(event) == [  # type: ignore[arg-type]
        ("active", None, "no"),
        ("criteria", None, "(none)"),
        ("limits", None, "a, b"),
        ("x", None, "–"),
    ]
    long = changes(_event("x" * 1000))  # type: ignore[arg-type]
    assert len(long[0][1]) == MAX_TEXT and long[0][1].endswith("…")


def test_an_event_without_values_has_no_lines():
    assert changes(_event()) == []  # type: ignore[arg-type]
