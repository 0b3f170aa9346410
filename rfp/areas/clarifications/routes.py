"""The Q&A of an evaluation. The lead reads every question with its asker and answers
it (to the asker, or published to every vendor); the panel and viewers read the
published answers, as vendors do, without the askers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.clarifications import operations as ops
from rfp.areas.clarifications.forms import AnswerForm
from rfp.areas.clarifications.queries import clarification_of, clarifications_of
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import ClarificationStatus, Stage

bp = Blueprint(
    "clarifications",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/clarifications",
)


def _render(
    access: a.Access, failed: tuple[m.Clarification, AnswerForm] | None = None, code: int = 200
) -> Any:
    evaluation = access.evaluation
    items = clarifications_of(db_session(), evaluation.id, published_only=not access.is_lead)
    forms = {}
    answerable = access.is_lead and evaluation.stage == Stage.OPEN
    if answerable:
        forms = {c.id: AnswerForm.of(c) for c in items if not c.published}
        if failed is not None:
            forms[failed[0].id] = failed[1]
    return render_template(
        "clarifications/index.html",
        access=access,
        evaluation=evaluation,
        items=items,
        waiting=[c for c in items if c.status == ClarificationStatus.OPEN],
        answered=[c for c in items if c.status != ClarificationStatus.OPEN],
        forms=forms,
        answerable=answerable,
    ), code


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _render(a.evaluation_access(evaluation_id).require(a.VIEW_SETUP))


@bp.route("/<int:clarification_id>/answer", methods=["POST"])
@login_required
def answer(evaluation_id: int, clarification_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    clarification = clarification_of(db_session(), evaluation_id, clarification_id)
    if clarification is None:
        abort(404)
    form = AnswerForm(prefix=f"q{clarification.id}")
    if form.validate_on_submit():
        publishing = form.publishing
        done = commit(
            lambda: ops.answer(
                db_session(),
                clarification,
                access.user,
                form.answer.data or "",
                publish=publishing,
                public_text=form.public_text.data or "",
            ),
            form,
        )
        if done:
            flash(
                f"Q{clarification.number} is published to every vendor, without the asker."
                if publishing
                else f"Q{clarification.number} is answered to the vendor who asked.",
                "success",
            )
            return redirect(url_for("clarifications.index", evaluation_id=evaluation_id))
    return _render(access, (clarification, form), 422)
