"""The criteria and questions editor: kinds, weights (shown as percentages of their
level), guidance, order. Read-only for evaluators and viewers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import func, select

from rfp import models as m
from rfp.areas.criteria import operations as ops
from rfp.areas.criteria import question_operations as question_ops
from rfp.areas.criteria.forms import (
    BandRow,
    CriterionForm,
    QuestionForm,
    ReasonForm,
    band_rows,
    load_criteria_tree,
    parse_band_rows,
    scores_on,
    weight_table,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.operations import SetupError
from rfp.core.unit_of_work import show_refusal
from rfp.domain.formatting import counted
from rfp.domain.scoring.model import Scale

bp = Blueprint(
    "criteria",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/criteria",
)


def _criterion(access: a.Access, criterion_id: int) -> m.Criterion:
    criterion = db_session().get(m.Criterion, criterion_id)
    if criterion is None or criterion.evaluation_id != access.evaluation.id:
        abort(404)
    return criterion


def _question(access: a.Access, question_id: int) -> m.Question:
    question = db_session().get(m.Question, question_id)
    if question is None or question.evaluation_id != access.evaluation.id:
        abort(404)
    return question


def _criterion_fields(form: CriterionForm) -> dict[str, Any]:
    """What the criterion form gives add_criterion and update_criterion alike."""
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "weight": form.weight.data,
        "description": form.description.data or "",
        "reason": form.reason.data or "",
    }


def _question_fields(form: QuestionForm) -> dict[str, Any]:
    """What the question form gives add_question and update_question alike (the answer
    type, unit and bands differ: a new question has defaults, an edit keeps what the form
    did not post)."""
    return {
        "text": form.text.data,
        "kind": form.kind.data,
        "weight": form.weight.data or 0,
        "guidance": form.guidance.data or "",
        "reason": form.reason.data or "",
    }


def _posted_bands(
    evaluation: m.Evaluation, form: QuestionForm
) -> tuple[list[dict[str, float | None]] | None | bool, list[BandRow] | None, list[str]]:
    """The score bands a question form posted: (bands, rows as typed, errors naming the
    row). False when the form carried no bands editor (keep what is stored); None when
    the question takes no number."""
    if "bands_posted" not in request.form:
        return False, None, []
    bands, rows, errors = parse_band_rows(
        request.form, Scale(evaluation.scale_min, evaluation.scale_max)
    )
    if form.answer_type.data != "number" or form.kind.data != "scored":
        return None, rows, []
    return bands or None, rows, errors


def _render_question(
    access: a.Access,
    form: QuestionForm,
    criterion: m.Criterion,
    question: m.Question | None,
    rows: list[BandRow] | None,
    errors: list[str],
) -> str:
    evaluation = access.evaluation
    return render_template(
        "criteria/question_form.html",
        access=access,
        form=form,
        criterion=criterion,
        question=question,
        evaluation=evaluation,
        band_rows=rows if rows is not None else band_rows(question.bands if question else None),
        band_errors=errors,
        scale=(evaluation.scale_min, evaluation.scale_max),
    )


def _back(access: a.Access, anchor: str = "") -> Any:
    url = url_for("criteria.index", evaluation_id=access.evaluation.id)
    return redirect(f"{url}#{anchor}" if anchor else url)


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    return _render_index(access, ReasonForm(), {}, {})


def _render_index(
    access: a.Access, form: ReasonForm, errors: dict[str, str], typed: dict[str, str]
) -> str:
    evaluation = access.evaluation
    load_criteria_tree(evaluation)
    scores = db_session().scalar(
        select(func.count()).select_from(m.Score).where(m.Score.evaluation_id == evaluation.id)
    )
    return render_template(
        "criteria/index.html",
        access=access,
        evaluation=evaluation,
        table=weight_table(evaluation),
        form=form,
        errors=errors,
        typed=typed,
        editable=access.is_lead and not evaluation.read_only,
        scores=scores,
    )


@bp.route("/weights", methods=["POST"])
@login_required
def save_weights(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    form = ReasonForm()
    evaluation = access.evaluation
    errors: dict[str, str] = {}
    criterion_weights: dict[int, float] = {}
    question_weights: dict[int, float] = {}
    for criterion in evaluation.criteria:
        items = [(f"criterion-{criterion.id}", criterion.id, criterion_weights)]
        items += [
            (f"question-{q.id}", q.id, question_weights)
            for q in criterion.questions
            if q.kind == "scored"
        ]
        for name, item_id, target in items:
            raw = (request.form.get(name) or "").strip()
            if not raw:
                continue
            try:
                target[item_id] = float(raw)
            except ValueError:
                errors[name] = "Must be a number."
    if form.validate_on_submit() and not errors:
        session = db_session()
        try:
            count = ops.save_weights(
                session,
                evaluation,
                access.user,
                criterion_weights,
                question_weights,
                reason=form.reason.data or "",
            )
        except SetupError as exc:
            session.rollback()
            if exc.field == "reason":
                form.reason.errors.append(exc.message)
            else:
                errors[exc.field] = exc.message
        else:
            session.commit()
            flash(
                f"{counted(count, 'weight')} saved." if count else "No weight changed.",
                "success" if count else "info",
            )
            return _back(access)
    return _render_index(access, form, errors, dict(request.form))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_criterion(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    form = CriterionForm(data={"weight": 10})
    if form.validate_on_submit():
        try:
            criterion = ops.add_criterion(
                db_session(),
                access.evaluation,
                access.user,
                **_criterion_fields(form),
            )
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db_session().commit()
            flash(f"Criterion “{criterion.name}” added.", "success")
            return _back(access, f"criterion-{criterion.id}")
    return render_template(
        "criteria/criterion_form.html",
        access=access,
        form=form,
        criterion=None,
        evaluation=access.evaluation,
    )


@bp.route("/<int:criterion_id>/edit", methods=["GET", "POST"])
@login_required
def edit_criterion(evaluation_id: int, criterion_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    criterion = _criterion(access, criterion_id)
    form = CriterionForm(obj=criterion)
    if request.method == "POST":
        access.require_writable()
    if form.validate_on_submit():
        try:
            changed = ops.update_criterion(
                db_session(),
                criterion,
                access.user,
                **_criterion_fields(form),
            )
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db_session().commit()
            flash(
                "Criterion saved." if changed else "Nothing changed.",
                "success" if changed else "info",
            )
            return _back(access, f"criterion-{criterion.id}")
    return render_template(
        "criteria/criterion_form.html",
        access=access,
        form=form,
        criterion=criterion,
        evaluation=access.evaluation,
    )


@bp.route("/<int:criterion_id>/delete", methods=["GET", "POST"])
@login_required
def delete_criterion(evaluation_id: int, criterion_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    criterion = _criterion(access, criterion_id)
    form = ReasonForm()
    if form.validate_on_submit():
        name = criterion.name
        try:
            ops.delete_criterion(
                db_session(), criterion, access.user, reason=form.reason.data or ""
            )
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db_session().commit()
            flash(f"Criterion “{name}” deleted.", "success")
            return _back(access)
    return render_template(
        "criteria/confirm_delete.html",
        access=access,
        form=form,
        evaluation=access.evaluation,
        what="criterion",
        name=criterion.name,
        questions=len(criterion.questions),
        scores=scores_on([q.id for q in criterion.questions]),
    )


@bp.route("/<int:criterion_id>/move/<direction>", methods=["POST"])
@login_required
def move_criterion(evaluation_id: int, criterion_id: int, direction: str):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    criterion = _criterion(access, criterion_id)
    if direction not in ("up", "down") or not ReasonForm().validate_on_submit():
        abort(400)
    ops.move_criterion(db_session(), criterion, access.user, direction)
    db_session().commit()
    return _back(access, f"criterion-{criterion.id}")


@bp.route("/<int:criterion_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(evaluation_id: int, criterion_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    criterion = _criterion(access, criterion_id)
    form = QuestionForm(data={"weight": 1})
    rows: list[BandRow] | None = None
    errors: list[str] = []
    if form.validate_on_submit():
        bands, rows, errors = _posted_bands(access.evaluation, form)
        if not errors:
            try:
                question = question_ops.add_question(
                    db_session(),
                    criterion,
                    access.user,
                    **_question_fields(form),
                    answer_type=form.answer_type.data or "text",
                    unit=form.unit.data or "",
                    bands=bands or None,
                )
            except SetupError as exc:
                show_refusal(form, exc)
            else:
                db_session().commit()
                flash("Question added.", "success")
                return _back(access, f"question-{question.id}")
    return _render_question(access, form, criterion, None, rows, errors)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(evaluation_id: int, question_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    question = _question(access, question_id)
    form = QuestionForm(obj=question)
    if request.method == "POST":
        access.require_writable()
    rows: list[BandRow] | None = None
    errors: list[str] = []
    if form.validate_on_submit():
        bands, rows, errors = _posted_bands(access.evaluation, form)
        if not errors:
            try:
                changed = question_ops.update_question(
                    db_session(),
                    question,
                    access.user,
                    **_question_fields(form),
                    answer_type=form.answer_type.data if "answer_type" in request.form else None,
                    unit=form.unit.data if "unit" in request.form else None,
                    bands=bands,
                )
            except SetupError as exc:
                show_refusal(form, exc)
            else:
                db_session().commit()
                flash(
                    "Question saved." if changed else "Nothing changed.",
                    "success" if changed else "info",
                )
                return _back(access, f"question-{question.id}")
    return _render_question(access, form, question.criterion, question, rows, errors)


@bp.route("/questions/<int:question_id>/delete", methods=["GET", "POST"])
@login_required
def delete_question(evaluation_id: int, question_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    question = _question(access, question_id)
    form = ReasonForm()
    if form.validate_on_submit():
        criterion_id = question.criterion_id
        try:
            question_ops.delete_question(
                db_session(), question, access.user, reason=form.reason.data or ""
            )
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db_session().commit()
            flash("Question deleted.", "success")
            return _back(access, f"criterion-{criterion_id}")
    return render_template(
        "criteria/confirm_delete.html",
        access=access,
        form=form,
        evaluation=access.evaluation,
        what="question",
        name=question.text,
        questions=0,
        scores=scores_on([question.id]),
    )


@bp.route("/questions/<int:question_id>/move/<direction>", methods=["POST"])
@login_required
def move_question(evaluation_id: int, question_id: int, direction: str):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    question = _question(access, question_id)
    if direction not in ("up", "down") or not ReasonForm().validate_on_submit():
        abort(400)
    question_ops.move_question(db_session(), question, access.user, direction)
    db_session().commit()
    return _back(access, f"question-{question.id}")
