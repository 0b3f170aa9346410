"""The criteria and questions editor: kinds, weights (shown as percentages of their
level), guidance, order. Read-only for evaluators and viewers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.criteria import forms, queries
from rfp.areas.criteria import operations as ops
from rfp.areas.criteria import question_operations as question_ops
from rfp.areas.criteria.pages import weight_table
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.core.versions import VERSION_FIELD
from rfp.domain.formatting import counted
from rfp.domain.vocabulary import AnswerType

bp = Blueprint(
    "criteria",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/criteria",
)


def _saved(changed: bool | None, message: str) -> None:
    flash(message if changed else "Nothing changed.", "success" if changed else "info")


def _back(access: a.Access, anchor: str = "") -> Any:
    url = url_for("criteria.index", evaluation_id=access.evaluation.id)
    return redirect(f"{url}#{anchor}" if anchor else url)


def _render_index(access: a.Access, form: forms.ReasonForm) -> str:
    session, evaluation = db_session(), access.evaluation
    return render_template(
        "criteria/index.html",
        access=access,
        evaluation=evaluation,
        table=weight_table(evaluation.criteria),
        form=form,
        weight_errors=forms.weight_errors(form),
        editable=access.is_lead and not evaluation.read_only,
        scores=queries.evaluation_score_count(session, evaluation),
    )


def _render_criterion(
    access: a.Access, form: forms.CriterionForm, criterion: m.Criterion | None
) -> str:
    return render_template(
        "criteria/criterion_form.html",
        access=access,
        form=form,
        criterion=criterion,
        evaluation=access.evaluation,
    )


def _render_question(
    access: a.Access,
    form: forms.QuestionForm,
    criterion: m.Criterion,
    question: m.Question | None,
) -> str:
    evaluation = access.evaluation
    return render_template(
        "criteria/question_form.html",
        access=access,
        form=form,
        criterion=criterion,
        question=question,
        evaluation=evaluation,
        scale=(evaluation.scale_min, evaluation.scale_max),
    )


def _confirm_delete(
    access: a.Access,
    what: str,
    name: str,
    question_ids: list[int],
    delete: Callable[[str], object],
    deleted: str,
    anchor: str = "",
) -> Any:
    """Confirm a deletion, with what it takes along (questions, scores), then delete
    with the reason given."""
    form = forms.ReasonForm()
    if form.validate_on_submit():
        reason = form.reason.data or ""
        if commit(lambda: delete(reason), form):
            flash(deleted, "success")
            return _back(access, anchor)
    return render_template(
        "criteria/confirm_delete.html",
        access=access,
        form=form,
        evaluation=access.evaluation,
        what=what,
        name=name,
        questions=len(question_ids) if what == "criterion" else 0,
        scores=queries.score_count(db_session(), question_ids),
    )


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    criteria = queries.load_criteria_tree(db_session(), access.evaluation)
    return _render_index(access, forms.weights_form(criteria))


@bp.route("/weights", methods=["POST"])
@login_required
def save_weights(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    evaluation = access.evaluation
    criteria = queries.load_criteria_tree(db_session(), evaluation)
    form = forms.weights_form(criteria)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.save_weights(
                db_session(),
                evaluation,
                access.user,
                *forms.weights_of(form),
                reason=form.reason.data or "",
                opened=forms.opened_versions(form),
            ),
            form,
        )
        if done:
            count = done.value
            flash(
                f"{counted(count, 'weight')} saved." if count else "No weight changed.",
                "success" if count else "info",
            )
            return _back(access)
        if done.refused is not None and done.refused.field == VERSION_FIELD:
            flash(done.refused.message, "error")
            criteria = queries.load_criteria_tree(db_session(), evaluation)
            form = forms.weights_form(criteria, current=True)
    return _render_index(access, form)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_criterion(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id).require_writable()
    form = forms.CriterionForm(data={"weight": 10})
    if form.validate_on_submit():
        done = commit(
            lambda: ops.add_criterion(
                db_session(), access.evaluation, access.user, **form.changes()
            ),
            form,
        )
        if done and done.value is not None:
            flash(f"Criterion “{done.value.name}” added.", "success")
            return _back(access, f"criterion-{done.value.id}")
    return _render_criterion(access, form, None)


@bp.route("/<int:criterion_id>/edit", methods=["GET", "POST"])
@login_required
def edit_criterion(evaluation_id: int, criterion_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    criterion = queries.criterion_of(db_session(), access.evaluation, criterion_id)
    form = forms.CriterionForm(obj=criterion)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.update_criterion(
                db_session(),
                criterion,
                access.user,
                **form.changes(),
                opened_version=form.version.data,
            ),
            form,
        )
        if done:
            _saved(done.value, "Criterion saved.")
            return _back(access, f"criterion-{criterion.id}")
        if done.refused is not None and done.refused.field == VERSION_FIELD:
            flash(done.refused.message, "error")  # the form shows the current values
            form = forms.CriterionForm(formdata=None, obj=criterion)
    return _render_criterion(access, form, criterion)


@bp.route("/<int:criterion_id>/delete", methods=["GET", "POST"])
@login_required
def delete_criterion(evaluation_id: int, criterion_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id).require_writable()
    criterion = queries.criterion_of(db_session(), access.evaluation, criterion_id)
    question_ids = [q.id for q in criterion.questions]
    return _confirm_delete(
        access,
        "criterion",
        criterion.name,
        question_ids,
        lambda reason: ops.delete_criterion(db_session(), criterion, access.user, reason=reason),
        f"Criterion “{criterion.name}” deleted.",
    )


def _direction(direction: str) -> str:
    """A move needs a valid form (its CSRF token) and a direction the editor offers."""
    if direction not in ("up", "down") or not forms.ReasonForm().validate_on_submit():
        abort(400)
    return direction


@bp.route("/<int:criterion_id>/move/<direction>", methods=["POST"])
@login_required
def move_criterion(evaluation_id: int, criterion_id: int, direction: str):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    criterion = queries.criterion_of(db_session(), access.evaluation, criterion_id)
    direction = _direction(direction)
    commit(lambda: ops.move_criterion(db_session(), criterion, access.user, direction))
    return _back(access, f"criterion-{criterion.id}")


@bp.route("/<int:criterion_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(evaluation_id: int, criterion_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id).require_writable()
    criterion = queries.criterion_of(db_session(), access.evaluation, criterion_id)
    form = forms.question_form(access.evaluation, data={"weight": 1})
    if form.validate_on_submit():
        done = commit(
            lambda: question_ops.add_question(
                db_session(),
                criterion,
                access.user,
                **form.changes(),
                answer_type=form.answer_type.data or AnswerType.TEXT,
                unit=form.unit.data or "",
                bands=form.bands or None,
            ),
            form,
        )
        if done and done.value is not None:
            flash("Question added.", "success")
            return _back(access, f"question-{done.value.id}")
    return _render_question(access, form, criterion, None)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(evaluation_id: int, question_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    question = queries.question_of(db_session(), access.evaluation, question_id)
    form = forms.question_form(access.evaluation, question)
    if form.validate_on_submit():
        done = commit(
            lambda: question_ops.update_question(
                db_session(),
                question,
                access.user,
                **form.changes(),
                # What the form did not post stays as it is.
                answer_type=form.answer_type.data if "answer_type" in request.form else None,
                unit=form.unit.data if "unit" in request.form else None,
                bands=form.bands,
                opened_version=form.version.data,
            ),
            form,
        )
        if done:
            _saved(done.value, "Question saved.")
            return _back(access, f"question-{question.id}")
        if done.refused is not None and done.refused.field == VERSION_FIELD:
            flash(done.refused.message, "error")  # the form shows the current values
            form = forms.question_form(access.evaluation, question, formdata=None)
    return _render_question(access, form, question.criterion, question)


@bp.route("/questions/<int:question_id>/delete", methods=["GET", "POST"])
@login_required
def delete_question(evaluation_id: int, question_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id).require_writable()
    question = queries.question_of(db_session(), access.evaluation, question_id)
    return _confirm_delete(
        access,
        "question",
        question.text,
        [question.id],
        lambda reason: question_ops.delete_question(
            db_session(), question, access.user, reason=reason
        ),
        "Question deleted.",
        f"criterion-{question.criterion_id}",
    )


@bp.route("/questions/<int:question_id>/move/<direction>", methods=["POST"])
@login_required
def move_question(evaluation_id: int, question_id: int, direction: str):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    question = queries.question_of(db_session(), access.evaluation, question_id)
    direction = _direction(direction)
    commit(lambda: question_ops.move_question(db_session(), question, access.user, direction))
    return _back(access, f"question-{question.id}")
