"""Question numbers, the same on every screen and in every report.

"2.3" is the third question of the second criterion of the evaluation's whole tree, in
the order the lead set: every criterion counts (cost and references too, which have no
questions), and every question of a criterion counts (knockouts and information
questions too). So an evaluator limited to some criteria, a consensus card, the
results page, the workbook and the PDF all call a question by the number the criteria
page gives it, and "question 2.3" means one thing in a meeting.

Pure: it reads (criterion key, its question keys) pairs in order, from the database's
criteria, the scenario file's or the engine's alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Numbering:
    criteria: Mapping[str, str] = field(default_factory=dict)  # criterion key -> "2"
    questions: Mapping[str, str] = field(default_factory=dict)  # question key -> "2.3"

    def criterion(self, key: str) -> str:
        return self.criteria.get(key, "")

    def question(self, key: str) -> str:
        return self.questions.get(key, "")

    def label(self, key: str, text: str) -> str:
        """ "2.3 Daily overlap with our business hours" (the text alone for an unknown key)."""
        number = self.question(key)
        return f"{number} {text}" if number else text


def number_tree(tree: Iterable[tuple[str, Iterable[str]]]) -> Numbering:
    """The numbers of a tree given as (criterion key, [question keys]) in order."""
    criteria: dict[str, str] = {}
    questions: dict[str, str] = {}
    for ci, (criterion, keys) in enumerate(tree, start=1):
        criteria[criterion] = str(ci)
        for qi, key in enumerate(keys, start=1):
            questions[key] = f"{ci}.{qi}"
    return Numbering(criteria, questions)


def number_objects(criteria: Iterable[Any]) -> Numbering:
    """From objects with `.key` and `.questions` (each with `.key`), in their order: the
    database's criteria (ordered by position) or the engine's."""
    return number_tree((c.key, [q.key for q in c.questions]) for c in criteria)


def number_document(doc: Mapping[str, Any]) -> Numbering:
    """From a scenario document (the file's order is the lead's order)."""
    return number_tree(
        (c["key"], [q["key"] for q in c.get("questions") or ()]) for c in doc["criteria"]
    )
