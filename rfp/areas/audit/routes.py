"""The audit trail of an evaluation: who changed what, when, the old and new values and
the reason; filtered by type of action, a page at a time, or downloaded whole as CSV or
Excel. The lead and the admin read it at every stage; viewers (leadership) from
consensus on, when the panel's individual scores become theirs to read too (the trail
names who changed which score)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import login_required

from rfp.areas.audit.exports import audit_csv, audit_workbook
from rfp.areas.audit.pages import LONG_TEXT, audit_rows, group_choices
from rfp.areas.audit.queries import audit_page, every_event, names_in_trail, recorded_actions
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.reports.archive import slug

bp = Blueprint(
    "audit",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/audit",
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        rows=audit_rows(trail.events, names_in_trail(session, evaluation)),
        groups=group_choices(recorded_actions(session, evaluation)),
        chosen=chosen,
        page=trail.page,
        pages=trail.pages,
        total=trail.total,
        first=trail.first,
        long_text=LONG_TEXT,
    )


def _download(evaluation_id: int, extension: str) -> Response:
    access = a.evaluation_access(evaluation_id).require(a.VIEW_AUDIT)
    session = db_session()
    evaluation = access.evaluation
    chosen = request.args.get("type", "")
    rows = audit_rows(every_event(session, evaluation, chosen), names_in_trail(session, evaluation))
    if extension == "csv":
        body, mimetype = audit_csv(rows), "text/csv; charset=utf-8"
    else:
        body, mimetype = audit_workbook(rows, evaluation.title), XLSX
    name = f"audit-trail-{slug(evaluation.title)}{'-' + slug(chosen) if chosen else ''}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/audit-trail.csv")
@login_required
def export_csv(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _download(evaluation_id, "csv")


@bp.route("/audit-trail.xlsx")
@login_required
def export_xlsx(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _download(evaluation_id, "xlsx")
