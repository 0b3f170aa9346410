"""The audit trail of an evaluation (lead and admin): who changed what, when, the old
and new values and the reason; filtered by type of action, a page at a time."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import func, or_, select

from rfp import models as m
from rfp.core import access as a
from rfp.core.extensions import db_session

bp = Blueprint(
    "audit",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/audit",
)

PAGE_SIZE = 50
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
}
MAX_TEXT = 400


def group_of(action: str) -> str:
    return action.split(".", 1)[0]


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


def changes(event: m.AuditEvent) -> list[tuple[str, str | None, str | None]]:
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


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_AUDIT)
    session = db_session()
    evaluation = access.evaluation
    where = m.AuditEvent.evaluation_id == evaluation.id
    actions = session.scalars(select(m.AuditEvent.action).where(where).distinct()).all()
    groups = sorted(
        {group_of(action) for action in actions}, key=lambda g: GROUP_LABELS.get(g, g).lower()
    )
    chosen = request.args.get("type", "")
    query = select(m.AuditEvent).where(where)
    if chosen:
        query = query.where(
            or_(m.AuditEvent.action == chosen, m.AuditEvent.action.like(f"{chosen}.%"))
        )
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    events = session.scalars(
        query.order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "audit/index.html",
        access=access,
        evaluation=evaluation,
        events=[(event, changes(event)) for event in events],
        groups=[(g, GROUP_LABELS.get(g, g.capitalize())) for g in groups],
        chosen=chosen,
        page=page,
        pages=pages,
        total=total,
        first=(page - 1) * PAGE_SIZE + 1,
    )
