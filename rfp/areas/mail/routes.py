"""The outbox of an evaluation (lead and admin): every message sent for it, its status
and last error, and "send again" for one that was not delivered. Allowed once the
evaluation is decided too: the outcome letters go out then."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from rfp.areas.mail import operations as ops
from rfp.areas.mail import queries
from rfp.areas.mail.pages import outbox_page
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.forms import CheckedForm
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import MailStatus

bp = Blueprint(
    "mail",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/mail",
)


class SendAgainForm(CheckedForm):
    """The "send again" button: CSRF only."""


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.MANAGE)
    session = db_session()
    status = request.args.get("status", "")
    shown = MailStatus(status) if status in MailStatus.values() else None
    page = outbox_page(
        queries.outbox(session, access.evaluation, shown),
        queries.counts_by_status(session, access.evaluation),
        shown,
    )
    return render_template(
        "mail/index.html",
        access=access,
        evaluation=access.evaluation,
        page=page,
        statuses=list(MailStatus),
        limit=queries.OUTBOX_LIMIT,
    )


@bp.route("/messages/<int:message_id>/send-again", methods=["POST"])
@login_required
def send_again(evaluation_id: int, message_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.MANAGE)
    message = queries.message_of(db_session(), access.evaluation, message_id)
    if message is None:
        abort(404)
    if not SendAgainForm().validate_on_submit():
        abort(400)
    done = commit(
        lambda: ops.send_again(db_session(), access.evaluation, message, access.user),
        SendAgainForm(formdata=None),
    )
    if done:
        flash(f"“{message.subject}” is queued to be sent again.", "success")
    else:
        assert done.refused is not None
        flash(done.refused.message, "error")
    return redirect(url_for("mail.index", evaluation_id=evaluation_id))
