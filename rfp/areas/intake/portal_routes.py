"""The vendor portal: no account, a secret link per vendor.

The token in the URL is the only thing that identifies the vendor; no vendor or
evaluation id appears in a portal URL, and the pages show the evaluation's public scope
and this vendor's own response, nothing else. A malformed, unknown, revoked or expired
token gets the same bare 404. Pages use their own layout, with no way into the app.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from rfp import models as m
from rfp.areas.intake import operations as ops
from rfp.areas.intake.content import PRICING_MODEL_LABELS, QuestionSpec, completeness_of
from rfp.areas.intake.parse import QuestionnaireError, parse_questionnaire
from rfp.areas.intake.portal_forms import (
    QuestionnaireUploadForm,
    content_from_form,
    form_data,
    response_form_class,
)
from rfp.areas.intake.questionnaire import build_questionnaire
from rfp.areas.intake.safety import MAX_UPLOAD_BYTES
from rfp.core.extensions import db_session

bp = Blueprint("portal", __name__, template_folder="templates", url_prefix="/portal")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.after_request
def _private(response: Response) -> Response:
    # The token is in the URL: keep it out of caches, referrers and search engines.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _portal_error(error: Exception):  # type: ignore[no-untyped-def]
    """Errors inside the portal keep the portal's layout and say nothing about links."""
    if isinstance(error, CSRFError):
        code, detail = 400, "The page has expired. Reload it and try again."
    elif isinstance(error, HTTPException):
        code = error.code or 500
        detail = {
            # The same words whatever the reason (unknown, replaced, revoked, expired).
            404: "A link stops working when it is replaced or withdrawn, or when the "
            "response deadline passes. Ask the procurement lead if you need a new one.",
            413: f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.",
        }.get(code, "The request could not be handled.")
    else:
        current_app.logger.exception("Unhandled error in the vendor portal")
        code, detail = 500, "Something went wrong. Nothing was saved; please try again."
    return render_template("portal/error.html", code=code, detail=detail), code


bp.register_error_handler(Exception, _portal_error)


class _Portal:
    """What a valid token opens: its link, vendor and evaluation, and the questions."""

    def __init__(self, token: str) -> None:
        self.session = db_session()
        link = ops.find_link(self.session, token)
        if link is None:
            abort(404)
        ops.touch_link(link)
        self.token = token
        self.link: m.VendorLink = link
        self.vendor: m.Vendor = link.vendor
        self.evaluation: m.Evaluation = self.vendor.evaluation
        self.spec = ops.questionnaire_spec(self.session, self.evaluation, self.vendor)
        self.content = ops.response_content(self.session, self.vendor)

    @property
    def closed(self) -> str | None:
        return ops.portal_closed_reason(self.evaluation, self.vendor.response)

    @property
    def sections(self) -> list[tuple[str, list[QuestionSpec]]]:
        """The questions to answer, criterion by criterion, in the evaluation's order."""
        out: list[tuple[str, list[QuestionSpec]]] = []
        for q in self.spec.answerable:
            if not out or out[-1][0] != q.criterion:
                out.append((q.criterion, []))
            out[-1][1].append(q)
        return out

    @property
    def status(self) -> str:
        response = self.vendor.response
        return response.status if response is not None else "not_started"

    def render(self, form=None, upload=None, upload_errors=None, code=200):  # type: ignore[no-untyped-def]
        questions = self.spec.questions
        if form is None:
            form = response_form_class(questions)(
                formdata=None, data=form_data(questions, self.content)
            )
        page = render_template(
            "portal/response.html",
            portal=self,
            spec=self.spec,
            form=form,
            upload=upload or QuestionnaireUploadForm(formdata=None),
            upload_errors=upload_errors or [],
            completeness=completeness_of(questions, self.content),
            response=self.vendor.response,
            status_label=ops.STATUS_LABELS.get(self.status, self.status),
            pricing_labels=PRICING_MODEL_LABELS,
        )
        ops.touch_link(self.link)
        self.session.commit()  # last_used_at
        return page, code


@bp.route("/<token>", methods=["GET", "POST"])
def response(token: str):  # type: ignore[no-untyped-def]
    portal = _Portal(token)
    if request.method == "GET":
        return portal.render()
    if portal.closed:
        flash(portal.closed, "error")
        portal.session.commit()
        return redirect(url_for("portal.response", token=token))
    form = response_form_class(portal.spec.questions)()
    if not form.validate_on_submit():
        return portal.render(form=form, code=422)
    content = content_from_form(form)
    try:
        completeness = ops.save_draft(portal.session, portal.vendor, content)
        if form.wants_submit():
            ops.submit_response(portal.session, portal.vendor)
    except ops.IntakeError as exc:
        portal.session.rollback()
        flash(" ".join(exc.errors.values()), "error")
        return redirect(url_for("portal.response", token=token))
    portal.session.commit()
    if form.wants_submit():
        flash("Your response has been submitted. Thank you.", "success")
    else:
        missing = completeness.missing()
        flash(
            "Draft saved."
            + (
                f" Still to do: {'; '.join(missing)}."
                if missing
                else " Everything is answered: submit when you are ready."
            ),
            "success",
        )
    return redirect(url_for("portal.response", token=token))


@bp.route("/<token>/questionnaire.xlsx")
def questionnaire(token: str):  # type: ignore[no-untyped-def]
    portal = _Portal(token)
    data = build_questionnaire(portal.spec, portal.content)
    portal.session.commit()
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="questionnaire.xlsx"'},
    )


@bp.route("/<token>/upload", methods=["POST"])
def upload(token: str):  # type: ignore[no-untyped-def]
    portal = _Portal(token)
    if portal.closed:
        flash(portal.closed, "error")
        portal.session.commit()
        return redirect(url_for("portal.response", token=token))
    form = QuestionnaireUploadForm()
    if not form.validate_on_submit():
        return portal.render(upload=form, code=422)
    data = form.workbook.data.read(MAX_UPLOAD_BYTES + 1)
    try:
        content = parse_questionnaire(data, portal.spec)
        completeness = ops.import_questionnaire(portal.session, portal.vendor, content)
    except QuestionnaireError as exc:
        portal.session.rollback()
        return portal.render(upload=form, upload_errors=exc.errors, code=422)
    except ops.IntakeError as exc:
        portal.session.rollback()
        return portal.render(upload=form, upload_errors=list(exc.errors.values()), code=422)
    portal.session.commit()
    missing = completeness.missing()
    flash(
        "The questionnaire was imported as your draft. Check it below, then submit."
        + (f" Still to do: {'; '.join(missing)}." if missing else ""),
        "success",
    )
    return redirect(url_for("portal.response", token=token))
