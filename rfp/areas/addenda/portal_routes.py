"""The vendor's addenda in its portal: each addendum with what it changed, and the
button that acknowledges it (its submission waits for every acknowledgement)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for

from rfp.areas.addenda import operations as ops
from rfp.areas.addenda.forms import AcknowledgeForm
from rfp.areas.addenda.pages import addendum_rows
from rfp.areas.addenda.queries import acknowledged_by, addenda_of, addendum_of, attachments_of
from rfp.areas.intake.portal_routes import note_use, open_portal, portal_blueprint
from rfp.core.db import utcnow
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import Stage

bp = portal_blueprint("portal_addenda", __name__, "/addenda")


@bp.route("")
def index(token: str):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    session = db_session()
    evaluation = portal.evaluation
    deadline = evaluation.deadline
    rows = addendum_rows(addenda_of(session, evaluation.id), attachments_of(session, evaluation.id))
    page = render_template(
        "portal/addenda.html",
        portal=portal,
        portal_token=token,
        portal_section="addenda",
        rows=rows,
        acknowledged=acknowledged_by(session, portal.vendor.id),
        open=evaluation.stage == Stage.OPEN and (deadline is None or utcnow() < deadline),
        form=AcknowledgeForm(formdata=None),
    )
    note_use(portal)
    return page


@bp.route("/<int:addendum_id>/acknowledge", methods=["POST"])
def acknowledge(token: str, addendum_id: int):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    addendum = addendum_of(db_session(), portal.evaluation.id, addendum_id)
    if addendum is None:
        abort(404)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        abort(400)
    done: Any = commit(lambda: ops.acknowledge(db_session(), portal.link, addendum))
    if done.value:
        flash(f"Addendum {addendum.number} is acknowledged.", "success")
    return redirect(url_for("portal_addenda.index", token=token))
