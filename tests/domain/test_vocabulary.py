"""Labels belong to their closed set: two sets sharing a value keep their own labels."""

from __future__ import annotations

import rfp.domain.vocabulary as vocabulary
from rfp.domain.vocabulary import (
    AmendedField,
    ClarificationStatus,
    Labelled,
    QuestionKind,
    ResponseStatus,
    Stage,
)


def _closed_sets() -> list[type[Labelled]]:
    return [
        value
        for value in vars(vocabulary).values()
        if isinstance(value, type) and issubclass(value, Labelled) and value is not Labelled
    ]


def test_a_value_shared_by_two_sets_keeps_each_set_s_label():
    # Written out as the sets define them: "open" is a stage and a question's status.
    assert Stage.OPEN.label == "Open for responses"
    assert ClarificationStatus.OPEN.label == "Waiting for an answer"
    assert QuestionKind.KNOCKOUT.label == "Knockout (must-have)"
    assert AmendedField.KNOCKOUT.label == "Knockout answer"
    assert ResponseStatus.DRAFT.label != "" and Stage.DRAFT.label != ""


def test_every_label_in_the_table_is_read_by_its_own_member():
    """Each entry of LABELS is what its member says, whatever other set shares its value."""
    members = {(type(m), m.value): m for cls in _closed_sets() for m in cls}
    for (cls, value), label in vocabulary.LABELS.items():
        assert members[(cls, value)].label == label, (cls.__name__, value)
