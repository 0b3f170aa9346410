"""The audit trail as people read it: actions grouped by what they change, and each
event's old and new values as lines of text. Pure: from loaded events to the page."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rfp import models as m

GROUP_LABELS = {
    "evaluation": "Evaluation",
    "settings": "Settings",
    "criterion": "Criteria",
    "question": "Questions",
    "vendor": "Vendors",
    "membership": "People",
    "user": "Accounts",
    "readiness": "Readiness",
    "stage": "Stages",
    "responses": "Unsealing",
    "score": "Scores",
    "scorecard": "Scorecards",
    "conflict": "Conflicts",
    "consensus": "Consensus",
    "reference": "Reference calls",
    "award": "Award",
    "report": "Reports",
    "mail": "E-mail",
    "clarification": "Q&A",
    "addendum": "Addenda",
    "document_slot": "Documents asked for",
    "document": "Vendors' documents",
    "rfp_document": "RFP documents",
}
MAX_TEXT = 400

# (field, old, new): None where a side has no value at all
ChangeLine = tuple[str, str | None, str | None]


def group_of(action: str) -> str:
    return action.split(".", 1)[0]


def group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group.capitalize())


def group_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """(group, label) of each group the actions fall in, by label."""
    groups = {group_of(action) for action in actions}
    return [(g, group_label(g)) for g in sorted(groups, key=lambda g: group_label(g).lower())]


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        text = ", ".join(_text(v) for v in value) or "(none)"
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def changes(event: m.AuditEvent) -> list[ChangeLine]:
    """(field, old, new) lines of an event; None where a side has no value at all."""
    old, new = event.old, event.new
    if isinstance(old, dict) or isinstance(new, dict):
        old_d = old if isinstance(old, dict) else {}
        new_d = new if isinstance(new, dict) else {}
        keys = list(dict.fromkeys([*old_d, *new_d]))
        return [
            (
                key.replace("_", " "),
                _text(old_d[key]) if key in old_d else None,
                _text(new_d[key]) if key in new_d else None,
            )
            for key in keys
        ]
    if old is None and new is None:
        return []
    return [("", None if old is None else _text(old), None if new is None else _text(new))]
