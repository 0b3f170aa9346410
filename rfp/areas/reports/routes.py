"""Reports: generate the workbook and the PDF, list what was generated, download it.

Lead, admin and viewers (Access.DOWNLOAD_REPORTS); evaluators get 403. The reports hold
the vendors' prices and every evaluator's scores by name, so a viewer generates and
downloads them only once both are open to them (prices unsealed, VIEW_PANEL_SCORES: from
consensus on); before that, 409. A kept file is served by the id of its row, from
EXPORT_DIR, never by a name given in the request.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import login_required
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from rfp import models as m
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.reports.archive import KIND_NAMES, KINDS, MIMETYPES, generate_report, stored_path

bp = Blueprint(
    "reports",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/reports",
)


NOT_YET = (
    "The reports show the vendors' prices and each evaluator's scores by name: they open "
    "to viewers when the evaluation reaches consensus."
)


def reports_open(access: a.Access) -> bool:
    """May this reader have the files (prices and panel scores by name) at this stage?"""
    return access.is_lead or (access.can_see_pricing() and access.can(a.VIEW_PANEL_SCORES))


def _require_open(access: a.Access) -> None:
    if not reports_open(access):
        abort(409, description=NOT_YET)


class GenerateReportForm(FlaskForm):
    kind = HiddenField(
        "Report",
        validators=[
            InputRequired(message="Choose the report to generate."),
            AnyOf(KINDS, message="Report: must be xlsx (workbook) or pdf (summary)."),
        ],
    )
    # "download": send the new file at once (the results page's buttons); else the list.
    then = HiddenField()


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.DOWNLOAD_REPORTS)
    query = (
        select(m.GeneratedReport)
        .options(selectinload(m.GeneratedReport.created_by))
        .where(m.GeneratedReport.evaluation_id == evaluation_id)
        .order_by(m.GeneratedReport.created_at.desc(), m.GeneratedReport.id.desc())
    )
    reports = db_session().scalars(query).all()
    forms = {kind: GenerateReportForm(kind=kind, formdata=None) for kind in KINDS}
    return render_template(
        "reports/index.html",
        access=access,
        reports=reports,
        forms=forms,
        kind_names=KIND_NAMES,
        reports_open=reports_open(access),
        not_yet=NOT_YET,
    )


@bp.route("", methods=["POST"])
@login_required
def generate(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.DOWNLOAD_REPORTS)
    _require_open(access)
    form = GenerateReportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("reports.index", evaluation_id=evaluation_id))
    session = db_session()
    report = generate_report(
        session,
        access.evaluation,
        form.kind.data,
        export_dir=current_app.config["EXPORT_DIR"],
        user=access.user,
    )
    session.commit()
    if form.then.data == "download":
        return redirect(
            url_for("reports.download", evaluation_id=evaluation_id, report_id=report.id)
        )
    link = url_for("reports.download", evaluation_id=evaluation_id, report_id=report.id)
    flash(
        Markup('{} generated: <a href="{}">{}</a>').format(
            KIND_NAMES[report.kind], link, escape(report.filename)
        ),
        "success",
    )
    return redirect(url_for("reports.index", evaluation_id=evaluation_id))


@bp.route("/<int:report_id>")
@login_required
def download(evaluation_id: int, report_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.DOWNLOAD_REPORTS)
    report = db_session().get(m.GeneratedReport, report_id)
    if report is None or report.evaluation_id != evaluation_id:
        abort(404)
    _require_open(access)
    path = stored_path(current_app.config["EXPORT_DIR"], report)
    if path is None:
        abort(404, description="The file of this report is no longer in the export folder.")
    response = send_file(
        path,
        mimetype=MIMETYPES.get(report.kind, "application/octet-stream"),
        as_attachment=True,
        download_name=report.filename,
        etag=report.sha256,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
