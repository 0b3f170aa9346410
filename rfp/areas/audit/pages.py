"""The audit trail as people read it: actions grouped by what they change, and each
event's old and new values as lines of text, in the product's words (wording.py).
Pure: from loaded events to the page and the exports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from rfp import models as m
from rfp.areas.audit.wording import action_label, field_label, value_text

GROUP_LABELS = {
    "evaluation": "Evaluation",
    "settings": "Settings",
    "criterion": "Criteria",
    "criteria": "Criteria",
    "question": "Questions",
    "vendor": "Vendors",
    "vendor_link": "Vendor links",
    "response": "Responses",
    "membership": "People",
    "user": "Accounts",
    "readiness": "Readiness",
    "stage": "Stages",
    "responses": "Unsealing",
    "score": "Scores",
    "scores": "Scorecards",
    "scorecard": "Scorecards",
    "coi": "Conflicts of interest",
    "conflict": "Conflicts",
    "consensus": "Consensus",
    "reference": "Reference calls",
    "ahp": "AHP weighting",
    "award": "Award",
    "report": "Reports",
    "mail": "E-mail",
    "clarification": "Q&A",
    "addendum": "Addenda",
    "document_slot": "Documents asked for",
    "document": "Vendors' documents",
    "rfp_document": "RFP documents",
}
LONG_TEXT = 400  # longer values are folded on the page (shown in full when opened)

# (field, old, new): None where a side has no value at all
ChangeLine = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class AuditRow:
    """One event as the page and the exports show it."""

    id: int
    at: datetime
    who: str
    action: str  # the stable key, e.g. "criterion.weight"
    action_label: str  # "Criterion weight changed"
    target: str
    lines: tuple[ChangeLine, ...]
    reason: str


def group_of(action: str) -> str:
    return action.split(".", 1)[0]


def group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group.replace("_", " ").capitalize())


def group_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """(group, label) of each group the actions fall in, by label."""
    groups = {group_of(action) for action in actions}
    return [(g, group_label(g)) for g in sorted(groups, key=lambda g: group_label(g).lower())]


def changes(event: m.AuditEvent, names: Mapping[str, str] | None = None) -> list[ChangeLine]:
    """(field, old, new) lines of an event, worded for people; None where a side has
    no value at all. `names`: question keys -> "2.3 text", criterion keys -> names."""
    group = group_of(event.action or "")
    old, new = event.old, event.new
    if isinstance(old, dict) or isinstance(new, dict):
        old_d = old if isinstance(old, dict) else {}
        new_d = new if isinstance(new, dict) else {}
        keys = list(dict.fromkeys([*old_d, *new_d]))
        return [
            (
                field_label(key, names),
                value_text(group, key, old_d[key], names) if key in old_d else None,
                value_text(group, key, new_d[key], names) if key in new_d else None,
            )
            for key in keys
        ]
    if old is None and new is None:
        return []
    return [
        (
            "",
            None if old is None else value_text(group, "", old, names),
            None if new is None else value_text(group, "", new, names),
        )
    ]


def audit_rows(
    events: Iterable[m.AuditEvent], names: Mapping[str, str] | None = None
) -> list[AuditRow]:
    return [
        AuditRow(
            id=event.id,
            at=event.at,
            who=event.actor or (event.user.name if event.user else "–"),
            action=event.action,
            action_label=action_label(event.action),
            target=event.target,
            lines=tuple(changes(event, names)),
            reason=event.reason or "",
        )
        for event in events
    ]
