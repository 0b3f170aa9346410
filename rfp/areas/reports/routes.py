"""Reports: generate the workbook and the PDF, list what was generated, download it.

Generating is off the request: the POST queues a "report" job (rfp.core.jobs) and
returns at once; the page lists the reports being built with their progress, which a
small script (static/js/report_jobs.js) polls from `job_status` and replaces with the
file when it is ready; a report that failed is shown with "Try again".

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
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import login_required

from rfp import models as m
from rfp.areas.reports import operations as ops
from rfp.areas.reports.forms import GenerateReportForm, RetryReportForm
from rfp.areas.reports.pages import job_rows, job_status, report_rows
from rfp.areas.reports.queries import (
    creator_names,
    kept_report,
    kept_reports,
    report_job,
    report_jobs_to_show,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import JobStatus, Stage
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
    session = db_session()
    waiting = report_jobs_to_show(session, access.evaluation) if reports_open(access) else []
    return render_template(
        "reports/index.html",
        access=access,
        reports=report_rows(kept_reports(session, access.evaluation)),
        jobs=job_rows(waiting, creator_names(session, waiting), show_errors=access.is_lead),
        # the job whose file the browser fetches once ready (the results page's buttons)
        download_job=request.args.get("download", type=int),
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
        lambda: ops.queue_report(
            db_session(),
            access.evaluation,
            form.kind.data,
            export_dir=current_app.config["EXPORT_DIR"],
            user=access.user,
        )
    )
    assert done.value is not None
    job, new = done.value
    label = ReportKind(form.kind.data).label
    flash(
        f"The {label} is being built: it is listed below when ready."
        if new
        else f"The {label} asked for earlier is still being built.",
        "info",
    )
    args = {"download": job.id} if form.download_at_once else {}
    return redirect(url_for("reports.index", evaluation_id=evaluation_id, **args))


def _report_job(access: a.Access, job_id: int) -> m.Job:
    """A report job of this evaluation (else 404), once the files are open to the reader."""
    found = report_job(db_session(), access.evaluation, job_id)
    if found is None:
        abort(404)
    _require_open(access)
    return found


@bp.route("/jobs/<int:job_id>")
@login_required
def job(evaluation_id: int, job_id: int):  # type: ignore[no-untyped-def]
    """A report job's progress as JSON, and its file once ready (the page's script)."""
    access = _reader(evaluation_id)
    session = db_session()
    found = _report_job(access, job_id)
    (row,) = job_rows([found], creator_names(session, [found]), show_errors=access.is_lead)
    report = None
    if found.status == JobStatus.DONE and found.result and "report_id" in found.result:
        report = {
            "url": url_for(
                "reports.download",
                evaluation_id=evaluation_id,
                report_id=found.result["report_id"],
            ),
            "filename": found.result.get("filename", ""),
        }
    response = jsonify(job_status(row, report))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(evaluation_id: int, job_id: int):  # type: ignore[no-untyped-def]
    """Try a failed report again."""
    access = _reader(evaluation_id)
    found = _report_job(access, job_id)
    form = RetryReportForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired: reload the page and try again.")
    commit(lambda: ops.retry_report(db_session(), access.evaluation, found))
    flash("Trying again: the report is listed below when ready.", "info")
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
