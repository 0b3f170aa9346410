"""The audit trail of an evaluation (lead and admin): who changed what, when, the old
and new values and the reason; filtered by type of action, a page at a time."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from rfp.areas.audit.pages import changes, group_choices
from rfp.areas.audit.queries import audit_page, recorded_actions
from rfp.core import access as a
from rfp.core.extensions import db_session

bp = Blueprint(
    "audit",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/audit",
)


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_AUDIT)
    session = db_session()
    evaluation = access.evaluation
    chosen = request.args.get("type", "")
    trail = audit_page(session, evaluation, chosen, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "audit/index.html",
        access=access,
        evaluation=evaluation,
        events=[(event, changes(event)) for event in trail.events],
        groups=group_choices(recorded_actions(session, evaluation)),
        chosen=chosen,
        page=trail.page,
        pages=trail.pages,
        total=trail.total,
        first=trail.first,
    )
