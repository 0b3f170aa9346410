"""The lead's view of vendor intake: status per vendor, portal links, questionnaires.

Lead and admin only (evaluators and viewers: 403). Until scoring opens the responses
are sealed: this area shows each vendor's status, last change and how complete its
response is, never the answers themselves.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.intake import operations as ops
from rfp.areas.intake.forms import ActionForm, UploadForm
from rfp.areas.intake.pages import overview, vendor_page
from rfp.areas.intake.queries import (
    intake_data,
    link_of,
    questionnaire_spec,
    questions_of,
    response_content,
)
from rfp.areas.intake.questionnaire import MIMETYPE, build_questionnaire
from rfp.core.access import MANAGE, Access, evaluation_access, vendor_of
from rfp.core.db import utcnow
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import Outcome, commit
from rfp.core.upload_safety import MAX_UPLOAD_BYTES
from rfp.domain.vocabulary import ResponseStatus

bp = Blueprint(
    "intake",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/intake",
)


def _lead(evaluation_id: int) -> Access:
    return evaluation_access(evaluation_id).require(MANAGE)


def _action() -> ActionForm:
    """The posted button's form: 400 unless it validates (CSRF, a reason of 500 at most)."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def _back(evaluation_id: int):  # type: ignore[no-untyped-def]
    return redirect(url_for("intake.index", evaluation_id=evaluation_id))


def _why(done: Outcome[Any]) -> str:
    """What a refused change was refused for (its message, already on the form)."""
    return done.refused.message if done.refused is not None else ""


def _render_index(access: Access, new_link: tuple[m.Vendor, str] | None = None) -> str:
    rows = overview(intake_data(db_session(), access.evaluation), access.evaluation, utcnow())
    return render_template(
        "intake/index.html",
        access=access,
        rows=rows,
        new_link=new_link,
        action=ActionForm(formdata=None),
        received=sum(1 for r in rows if r.status == ResponseStatus.SUBMITTED),
        collecting=access.evaluation.current_stage.collecting,
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
    form = _action()
    done = commit(
        lambda: ops.create_link(db_session(), access.evaluation, vendor, access.user), form
    )
    if not done or done.value is None:
        flash(f"No link made for {vendor.name}: {_why(done)}.", "error")
        return _back(evaluation_id)
    _link, token = done.value
    # Shown once, in this response only: the token is not kept anywhere.
    url = url_for("portal.response", token=token, _external=True)
    page = _render_index(access, new_link=(vendor, url))
    return Response(page, headers={"Cache-Control": "no-store"})


@bp.route("/vendors/<int:vendor_id>/invite", methods=["POST"])
@login_required
def send_invitation(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    """E-mail the vendor its invitation with a new portal link (made when it is sent)."""
    access = _lead(evaluation_id).require_writable()
    vendor = vendor_of(access, vendor_id)
    form = _action()
    done = commit(
        lambda: ops.send_invitation(db_session(), access.evaluation, vendor, access.user), form
    )
    if done:
        flash(
            f"An invitation with a new link is on its way to {vendor.contact_email}; "
            f"{vendor.name}'s earlier link stops working when it is sent.",
            "success",
        )
    else:
        flash(f"No invitation sent to {vendor.name}: {_why(done)}.", "error")
    return _back(evaluation_id)


@bp.route("/links/<int:link_id>/revoke", methods=["POST"])
@login_required
def revoke_link(evaluation_id: int, link_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id).require_writable()
    link = link_of(db_session(), access.evaluation, link_id)
    if link is None:
        abort(404)
    _action()
    if commit(lambda: ops.revoke_link(db_session(), link, access.user)).value:
        flash(f"The link of {link.vendor.name} is revoked: it no longer opens anything.", "success")
    return _back(evaluation_id)


@bp.route("/vendors/<int:vendor_id>/reopen", methods=["POST"])
@login_required
def reopen(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id).require_writable()
    vendor = vendor_of(access, vendor_id)
    form = _action()
    done = commit(
        lambda: ops.reopen_response(db_session(), vendor, access.user, form.reason.data or ""),
        form,
    )
    if done:
        flash(f"The response of {vendor.name} is reopened as a draft.", "success")
    else:
        flash(f"{vendor.name}: {_why(done)}.", "error")
    return _back(evaluation_id)


@bp.route("/vendors/<int:vendor_id>/questionnaire.xlsx")
@login_required
def questionnaire(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    vendor = vendor_of(access, vendor_id)
    # Blank: a prefilled workbook would show the lead a sealed response.
    data = build_questionnaire(questionnaire_spec(db_session(), access.evaluation, vendor))
    return Response(
        data,
        mimetype=MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="questionnaire-{vendor.key}.xlsx"'},
    )


def _render_vendor(
    access: Access, vendor: m.Vendor, form: UploadForm | None = None, code: int = 200
):  # type: ignore[no-untyped-def]
    session = db_session()
    page = vendor_page(
        vendor,
        questions_of(session, access.evaluation),
        response_content(session, vendor),
        show_pricing=access.can_see_pricing(),
    )
    return render_template(
        "intake/vendor.html",
        access=access,
        page=page,
        form=form or UploadForm(formdata=None),
        action=ActionForm(formdata=None),
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
    workbook = form.workbook.data.read(MAX_UPLOAD_BYTES + 1)
    received = bool(form.received.data)
    done = commit(
        lambda: ops.import_workbook(
            db_session(), vendor, workbook, user=access.user, submit=received
        ),
        form,
    )
    if not done or done.value is None:
        return _render_vendor(access, vendor, form, code=422)
    missing = done.value.missing()
    flash(
        f"The questionnaire of {vendor.name} was imported"
        + (" and marked received." if received else " as a draft.")
        + (f" Still missing: {'; '.join(missing)}." if missing else "")
        + (
            " It is an older questionnaire, without the Rate lines and Volume tiers sheets:"
            " like its answers, the response's rate lines and volume tiers are the file's"
            " (none)."
            if done.value.older
            else ""
        ),
        "success",
    )
    return redirect(url_for("intake.vendor", evaluation_id=evaluation_id, vendor_id=vendor_id))
