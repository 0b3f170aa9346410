"""The vendor portal: no account, a secret link per vendor.

The token in the URL is the only thing that identifies the vendor; no vendor or
evaluation id appears in a portal URL, and the pages show the evaluation's public scope
and this vendor's own response, nothing else. A malformed, unknown, revoked or expired
token gets the same bare 404. Pages use their own layout, with no way into the app.
Each use of a link is noted on it (last used), with the change the request makes.
"""

from __future__ import annotations

from typing import Any

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

from rfp.areas.intake import operations as ops
from rfp.areas.intake.forms import PortalResponseForm, QuestionnaireUploadForm, response_form
from rfp.areas.intake.pages import portal_page
from rfp.areas.intake.queries import Portal, portal_of
from rfp.areas.intake.questionnaire import MIMETYPE, build_questionnaire
from rfp.core.extensions import db_session
from rfp.core.refusal import Refused
from rfp.core.unit_of_work import commit
from rfp.core.upload_safety import MAX_UPLOAD_BYTES, megabytes


def private_headers(response: Response) -> Response:
    # The token is in the URL: keep it out of caches, referrers and search engines.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def portal_error(error: Exception):  # type: ignore[no-untyped-def]
    """Errors inside the portal keep the portal's layout and say nothing about links."""
    if isinstance(error, CSRFError):
        code, detail = 400, "The page has expired. Reload it and try again."
    elif isinstance(error, Refused):
        db_session().rollback()
        code, detail = error.status, error.message
    elif isinstance(error, HTTPException):
        code = error.code or 500
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or MAX_UPLOAD_BYTES
        detail = {
            # The same words whatever the reason (unknown, replaced, revoked, expired).
            404: "A link stops working when it is replaced or withdrawn, or when the "
            "response deadline passes. Ask the procurement lead if you need a new one.",
            413: f"The file is too large: a request may carry at most {megabytes(limit)}.",
        }.get(code, "The request could not be handled.")
    else:
        current_app.logger.exception("Unhandled error in the vendor portal")
        code, detail = 500, "Something went wrong. Nothing was saved; please try again."
    return render_template("portal/error.html", code=code, detail=detail), code


def portal_blueprint(name: str, import_name: str, path: str = "") -> Blueprint:
    """A blueprint of portal pages under /portal/<token>{path}, with the portal's private
    headers and error pages (the Q&A, addenda and documents areas' portal pages)."""
    blueprint = Blueprint(
        name, import_name, template_folder="templates", url_prefix=f"/portal/<token>{path}"
    )
    blueprint.after_request(private_headers)
    blueprint.register_error_handler(Exception, portal_error)
    return blueprint


bp = Blueprint("portal", __name__, template_folder="templates", url_prefix="/portal")
bp.after_request(private_headers)
bp.register_error_handler(Exception, portal_error)


def open_portal(token: str) -> Portal:
    """What the token opens, or the portal's bare 404."""
    portal = portal_of(db_session(), token)
    if portal is None:
        abort(404)
    return portal


def note_use(portal: Portal) -> None:
    """A request that changes nothing else still notes that the link was used."""
    commit(lambda: ops.use_link(portal.link))


def _page(
    portal: Portal,
    form: PortalResponseForm | None = None,
    upload: QuestionnaireUploadForm | None = None,
    code: int = 200,
) -> tuple[str, int]:
    if form is None:
        form_class = response_form(portal.spec.questions)
        form = form_class(formdata=None, data=form_class.prefill(portal.content))
    page = render_template(
        "portal/response.html",
        portal=portal_page(db_session(), portal),
        portal_token=portal.token,
        portal_section="response",
        form=form,
        upload=upload or QuestionnaireUploadForm(formdata=None),
    )
    note_use(portal)
    return page, code


def _closed(portal: Portal, reason: str) -> Any:
    flash(reason, "error")
    note_use(portal)
    return redirect(url_for("portal.response", token=portal.token))


@bp.route("/<token>", methods=["GET", "POST"])
def response(token: str):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    if request.method == "GET":
        return _page(portal)
    closed = ops.portal_closed_reason(portal.evaluation, portal.vendor.response)
    if closed:
        return _closed(portal, closed)
    form = response_form(portal.spec.questions)()
    if not form.validate_on_submit():
        return _page(portal, form=form, code=422)
    # Not submittable yet (an addendum to acknowledge, a required document missing): the
    # draft is saved all the same, so that nothing typed is lost on the way there.
    blockers = ops.submission_blockers(db_session(), portal.vendor) if form.submitting else []
    submit = form.submitting and not blockers
    done = commit(
        lambda: ops.save_portal_response(db_session(), portal.link, form.content(), submit=submit),
        form,
    )
    if not done or done.value is None:
        return _page(portal, form=form, code=422)
    if blockers:
        flash(
            "Your draft is saved, but it cannot be submitted yet: "
            + " ".join(b.message for b in blockers),
            "error",
        )
    elif form.submitting:
        flash("Your response has been submitted. Thank you.", "success")
    else:
        missing = done.value.missing()
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
    portal = open_portal(token)
    data = build_questionnaire(portal.spec, portal.content)
    note_use(portal)
    return Response(
        data,
        mimetype=MIMETYPE,
        headers={"Content-Disposition": 'attachment; filename="questionnaire.xlsx"'},
    )


@bp.route("/<token>/upload", methods=["POST"])
def upload(token: str):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    closed = ops.portal_closed_reason(portal.evaluation, portal.vendor.response)
    if closed:
        return _closed(portal, closed)
    form = QuestionnaireUploadForm()
    if not form.validate_on_submit():
        return _page(portal, upload=form, code=422)
    workbook = form.workbook.data.read(MAX_UPLOAD_BYTES + 1)
    done = commit(lambda: ops.import_portal_workbook(db_session(), portal.link, workbook), form)
    if not done or done.value is None:
        return _page(portal, upload=form, code=422)
    missing = done.value.missing()
    flash(
        "The questionnaire was imported as your draft. Check it below, then submit."
        + (f" Still to do: {'; '.join(missing)}." if missing else "")
        + (
            " Your rate lines and volume tiers were kept as they were: this older"
            " questionnaire has no sheets for them."
            if done.value.kept_price_lines
            else ""
        ),
        "success",
    )
    return redirect(url_for("portal.response", token=token))
