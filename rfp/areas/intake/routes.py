"""The lead's view of vendor intake: status per vendor, portal links, questionnaires.

Lead and admin only (evaluators and viewers: 403). Until scoring opens the responses
are sealed: this area shows each vendor's status, last change and how complete its
response is, never the answers themselves.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from rfp import models as m
from rfp.areas.intake import operations as ops
from rfp.areas.intake.content import PRICING_MODEL_LABELS, completeness_of
from rfp.areas.intake.parse import QuestionnaireError, parse_questionnaire
from rfp.areas.intake.questionnaire import build_questionnaire
from rfp.areas.intake.safety import MAX_UPLOAD_BYTES
from rfp.core.access import MANAGE, Access, evaluation_access, vendor_of
from rfp.core.extensions import db_session

bp = Blueprint(
    "intake",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/intake",
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ActionForm(FlaskForm):
    """A button that changes state: CSRF only, with an optional reason."""

    reason = StringField("Reason", validators=[Optional(), Length(max=500)])


class UploadForm(FlaskForm):
    workbook = FileField(
        "Filled questionnaire (.xlsx)",
        validators=[FileRequired("Choose the filled questionnaire (.xlsx) to upload.")],
    )
    received = BooleanField("Mark the response as received (submitted)", default=True)


def _lead(evaluation_id: int) -> Access:
    return evaluation_access(evaluation_id).require(MANAGE)


def _render_index(access: Access, new_link: tuple[m.Vendor, str] | None = None):  # type: ignore[no-untyped-def]
    rows = ops.intake_overview(db_session(), access.evaluation)
    return render_template(
        "intake/index.html",
        access=access,
        rows=rows,
        new_link=new_link,
        action=ActionForm(formdata=None),
        received=sum(1 for r in rows if r.status == "submitted"),
    )


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _render_index(_lead(evaluation_id))


@bp.route("/vendors/<int:vendor_id>/links", methods=["POST"])
@login_required
def create_link(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id).require_writable()
    vendor = vendor_of(access, vendor_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = db_session()
    try:
        _link, token = ops.create_link(session, access.evaluation, vendor, access.user)
    except ops.IntakeError as exc:
        session.rollback()
        flash(f"No link made for {vendor.name}: {exc.errors['link']}.", "error")
        return redirect(url_for("intake.index", evaluation_id=evaluation_id))
    session.commit()
    # Shown once, in this response only: the token is not kept anywhere.
    url = url_for("portal.response", token=token, _external=True)
    page = _render_index(access, new_link=(vendor, url))
    return Response(page, headers={"Cache-Control": "no-store"})


@bp.route("/links/<int:link_id>/revoke", methods=["POST"])
@login_required
def revoke_link(evaluation_id: int, link_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id).require_writable()
    session = db_session()
    link = session.get(m.VendorLink, link_id)
    if link is None or link.vendor.evaluation_id != access.evaluation.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if ops.revoke_link(session, link, access.user):
        session.commit()
        flash(f"The link of {link.vendor.name} is revoked: it no longer opens anything.", "success")
    return redirect(url_for("intake.index", evaluation_id=evaluation_id))


@bp.route("/vendors/<int:vendor_id>/reopen", methods=["POST"])
@login_required
def reopen(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id).require_writable()
    vendor = vendor_of(access, vendor_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = db_session()
    try:
        ops.reopen_response(session, vendor, access.user, form.reason.data or "")
    except ops.IntakeError as exc:
        session.rollback()
        flash(f"{vendor.name}: {exc.errors['response']}.", "error")
    else:
        session.commit()
        flash(f"The response of {vendor.name} is reopened as a draft.", "success")
    return redirect(url_for("intake.index", evaluation_id=evaluation_id))


@bp.route("/vendors/<int:vendor_id>/questionnaire.xlsx")
@login_required
def questionnaire(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    vendor = vendor_of(access, vendor_id)
    # Blank: a prefilled workbook would show the lead a sealed response.
    data = build_questionnaire(ops.questionnaire_spec(db_session(), access.evaluation, vendor))
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="questionnaire-{vendor.key}.xlsx"'},
    )


def _render_vendor(
    access: Access,
    vendor: m.Vendor,
    form: UploadForm | None = None,
    upload_errors: list[str] | None = None,
    code: int = 200,
):  # type: ignore[no-untyped-def]
    session = db_session()
    questions = ops.questions_of(session, access.evaluation)
    content = ops.response_content(session, vendor)
    return render_template(
        "intake/vendor.html",
        access=access,
        vendor=vendor,
        response=vendor.response,
        status_label=ops.STATUS_LABELS.get(
            vendor.response.status if vendor.response else "not_started"
        ),
        questions=questions,
        completeness=completeness_of(questions, content),
        # Sealed: no answers reach the page before scoring opens.
        content=None if access.evaluation.sealed else content,
        show_pricing=access.can_see_pricing(),
        form=form or UploadForm(formdata=None),
        upload_errors=upload_errors or [],
        action=ActionForm(formdata=None),
        can_import=access.evaluation.stage in ops.IMPORT_STAGES,
        pricing_labels=PRICING_MODEL_LABELS,
    ), code


@bp.route("/vendors/<int:vendor_id>")
@login_required
def vendor(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    return _render_vendor(access, vendor_of(access, vendor_id))


@bp.route("/vendors/<int:vendor_id>/upload", methods=["POST"])
@login_required
def upload(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id).require_writable()
    vendor = vendor_of(access, vendor_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_vendor(access, vendor, form, code=422)
    session = db_session()
    data = form.workbook.data.read(MAX_UPLOAD_BYTES + 1)
    spec = ops.questionnaire_spec(session, access.evaluation, vendor)
    try:
        content = parse_questionnaire(data, spec)
        completeness = ops.import_questionnaire(
            session, vendor, content, user=access.user, submit=form.received.data
        )
    except QuestionnaireError as exc:
        session.rollback()
        return _render_vendor(access, vendor, form, exc.errors, 422)
    except ops.IntakeError as exc:
        session.rollback()
        return _render_vendor(access, vendor, form, list(exc.errors.values()), 422)
    session.commit()
    missing = completeness.missing()
    flash(
        f"The questionnaire of {vendor.name} was imported"
        + (" and marked received." if form.received.data else " as a draft.")
        + (f" Still missing: {'; '.join(missing)}." if missing else ""),
        "success",
    )
    return redirect(url_for("intake.vendor", evaluation_id=evaluation_id, vendor_id=vendor_id))
