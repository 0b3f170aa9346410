"""The vendor's questions and answers in its portal: every published answer (nobody's
name on it), its own questions with their answers, and the form to ask another."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from rfp.areas.clarifications import operations as ops
from rfp.areas.clarifications.forms import AskForm
from rfp.areas.clarifications.queries import seen_by_vendor
from rfp.areas.intake.portal_routes import note_use, open_portal, portal_blueprint
from rfp.areas.intake.queries import Portal
from rfp.core.db import utcnow
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import Stage

bp = portal_blueprint("portal_clarifications", __name__, "/questions")


def _questions(portal: Portal) -> list[tuple[int, str]]:
    """The RFP's questions a vendor may ask about (its own words for them)."""
    return [(q.id, q.text) for c in portal.evaluation.criteria for q in c.questions]


def _render(portal: Portal, form: AskForm | None = None, code: int = 200) -> Any:
    evaluation = portal.evaluation
    deadline = evaluation.deadline
    page = render_template(
        "portal/clarifications.html",
        portal=portal,
        portal_token=portal.token,
        portal_section="questions",
        items=seen_by_vendor(db_session(), portal.vendor),
        vendor_id=portal.vendor.id,
        form=form or AskForm(formdata=None).set_questions(_questions(portal)),
        open=evaluation.stage == Stage.OPEN and (deadline is None or utcnow() < deadline),
    )
    note_use(portal)
    return page, code


@bp.route("", methods=["GET", "POST"])
def index(token: str):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    if request.method == "GET":
        return _render(portal)
    form = AskForm().set_questions(_questions(portal))
    if form.validate_on_submit():
        done = commit(
            lambda: ops.ask(db_session(), portal.link, form.text.data or "", form.chosen_question),
            form,
        )
        if done and done.value is not None:
            flash(
                f"Your question is sent (Q{done.value.number}). Its answer appears here; if "
                "it is published to every vendor, your name is not on it.",
                "success",
            )
            return redirect(url_for("portal_clarifications.index", token=token))
    return _render(portal, form, 422)
