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
from markupsafe import Markup, escape

from rfp.areas.reports import operations as ops
from rfp.areas.reports.forms import GenerateReportForm
from rfp.areas.reports.pages import report_rows
from rfp.areas.reports.queries import kept_report, kept_reports
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import Stage
from rfp.reports.archive import KINDS, ReportKind, stored_path

bp = Blueprint(
    "reports",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/reports",
)


OCTET_STREAM = "application/octet-stream"  # a row of a kind this version does not make
NOT_YET = (
    "The reports show the vendors' prices and each evaluator's scores by name: they open "
    "to viewers when the evaluation reaches consensus."
)


def reports_open(access: a.Access) -> bool:
    """May this reader have the files (prices and panel scores by name) at this stage?"""
    return access.is_lead or (access.can_see_pricing() and access.can(a.VIEW_PANEL_SCORES))


def _reader(evaluation_id: int) -> a.Access:
    return a.evaluation_access(evaluation_id).require(a.DOWNLOAD_REPORTS)


def _require_open(access: a.Access) -> None:
    if not reports_open(access):
        abort(409, description=NOT_YET)


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _reader(evaluation_id)
    return render_template(
        "reports/index.html",
        access=access,
        reports=report_rows(kept_reports(db_session(), access.evaluation)),
        forms={kind: GenerateReportForm(kind=kind, formdata=None) for kind in KINDS},
        reports_open=reports_open(access),
        not_yet=NOT_YET,
        # Scores may still change before consensus: the files' figures are provisional.
        provisional=not access.evaluation.current_stage.at_or_after(Stage.CONSENSUS),
    )


@bp.route("", methods=["POST"])
@login_required
def generate(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _reader(evaluation_id)
    _require_open(access)
    form = GenerateReportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("reports.index", evaluation_id=evaluation_id))
    done = commit(
        lambda: ops.generate_report(
            db_session(),
            access.evaluation,
            form.kind.data,
            export_dir=current_app.config["EXPORT_DIR"],
            user=access.user,
        )
    )
    report = done.value
    assert report is not None
    link = url_for("reports.download", evaluation_id=evaluation_id, report_id=report.id)
    if form.download_at_once:
        return redirect(link)
    flash(
        Markup('{} generated: <a href="{}">{}</a>').format(
            ReportKind(report.kind).label, link, escape(report.filename)
        ),
        "success",
    )
    return redirect(url_for("reports.index", evaluation_id=evaluation_id))


@bp.route("/<int:report_id>")
@login_required
def download(evaluation_id: int, report_id: int):  # type: ignore[no-untyped-def]
    access = _reader(evaluation_id)
    report = kept_report(db_session(), access.evaluation, report_id)
    if report is None:
        abort(404)
    _require_open(access)
    path = stored_path(current_app.config["EXPORT_DIR"], report)
    if path is None:
        abort(404, description="The file of this report is no longer in the export folder.")
    response = send_file(
        path,
        mimetype=ReportKind(report.kind).mimetype if report.kind in KINDS else OCTET_STREAM,
        as_attachment=True,
        download_name=report.filename,
        etag=report.sha256,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
