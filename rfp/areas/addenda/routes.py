"""The addenda of an evaluation: every member reads them; the lead publishes one while
the evaluation is open and sees who has acknowledged each."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from rfp.areas.addenda import operations as ops
from rfp.areas.addenda.forms import AddendumForm
from rfp.areas.addenda.pages import addendum_rows
from rfp.areas.addenda.queries import addenda_of, attachments_of
from rfp.areas.criteria.queries import questions_in_order
from rfp.areas.documents.delivery import document_limit, document_store, read_upload
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.operations import response_frozen
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import Stage

bp = Blueprint(
    "addenda",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/addenda",
)


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    evaluation = access.evaluation
    session = db_session()
    rows = addendum_rows(
        addenda_of(session, evaluation.id),
        attachments_of(session, evaluation.id),
        evaluation.vendors if access.is_lead else (),
    )
    return render_template(
        "addenda/index.html",
        access=access,
        evaluation=evaluation,
        rows=rows,
        can_publish=access.is_lead and evaluation.stage == Stage.OPEN,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id).require_stage(
        Stage.OPEN, message="Addenda are published while the evaluation is open for responses."
    )
    evaluation = access.evaluation
    form = AddendumForm().set_questions(questions_in_order(db_session(), evaluation))
    if request.method == "POST" and form.validate_on_submit():
        upload = form.file.data
        file = None
        if upload is not None and getattr(upload, "filename", ""):
            file = (read_upload(upload.stream, document_limit()), upload.filename)
        done = commit(
            lambda: ops.publish_addendum(
                db_session(),
                document_store(),
                evaluation,
                access.user,
                form.details(file),
                document_limit(),
            ),
            form,
        )
        if done and done.value is not None:
            flash(
                f"Addendum {done.value.number} is published: every vendor sees it on its "
                "response page and must acknowledge it before submitting.",
                "success",
            )
            return redirect(url_for("addenda.index", evaluation_id=evaluation_id))
    code = 422 if request.method == "POST" else 200
    return render_template(
        "addenda/new.html",
        access=access,
        evaluation=evaluation,
        form=form,
        deadline_passed=response_frozen(evaluation) is not None,
    ), code
