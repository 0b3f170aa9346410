"""Moving an evaluation through its stages: the readiness checklist before `open`,
unsealing at `scoring`, the award at `decided`, and stepping back with a reason."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.criteria.queries import load_criteria_tree
from rfp.areas.stages import forms, queries
from rfp.areas.stages import operations as ops
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.scoring import Result
from rfp.domain.vocabulary import Stage

bp = Blueprint(
    "stages",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/stage",
)

MOVED = {
    Stage.OPEN: "The evaluation is open: vendors respond until the deadline.",
    Stage.SCORING: "Scoring has started: the responses are unsealed and evaluators can score.",
    Stage.CONSENSUS: "Consensus is open: every evaluator now sees the panel's scores.",
}


def _back_to_stage(access: a.Access):  # type: ignore[no-untyped-def]
    return redirect(url_for("stages.index", evaluation_id=access.evaluation.id))


def _render(
    access: a.Access,
    result: Result | None = None,
    advance_form: forms.AdvanceForm | None = None,
    back_form: forms.BackForm | None = None,
    decide_form: forms.DecideForm | None = None,
) -> str:
    session, evaluation = db_session(), access.evaluation
    load_criteria_tree(session, evaluation)
    result = result or queries.result_for_award(session, evaluation)
    next_stage = ops.NEXT_STAGE.get(evaluation.current_stage)
    if advance_form is None:
        readiness = {k: bool((evaluation.readiness or {}).get(k)) for k in m.READINESS_ITEMS}
        advance_form = forms.AdvanceForm(data=readiness)
    advance_form.to.data = next_stage
    return render_template(
        "stages/index.html",
        access=access,
        evaluation=evaluation,
        checks=queries.summarise_readiness(queries.checks_before(session, evaluation, result)),
        next_stage=next_stage,
        previous_stage=ops.PREVIOUS_STAGE.get(evaluation.current_stage),
        purpose=ops.STAGE_PURPOSE,
        advance_form=advance_form,
        back_form=back_form or forms.BackForm(),
        decide_form=decide_form or forms.decide_form(result, evaluation),
        result=result,
        history=queries.stage_history(session, evaluation),
        award=queries.awarded_vendor(session, evaluation),
        readiness_items=m.READINESS_ITEMS,
        question_text={q.key: q.text for c in evaluation.criteria for q in c.questions},
    )


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _render(a.lead_access(evaluation_id))


def _posted(form: Any) -> None:
    """These forms post from the stage page itself: a form that does not validate (its
    token) is a bad request, not something to show again."""
    if not form.validate_on_submit():
        abort(400)


@bp.route("/readiness", methods=["POST"])
@login_required
def readiness(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_stage(
        *Stage.where("collecting"),
        message="The readiness checklist is kept before scoring starts.",
    )
    form = forms.AdvanceForm()
    _posted(form)
    done = commit(
        lambda: ops.save_readiness(db_session(), access.evaluation, access.user, form.readiness())
    )
    flash(
        "Readiness checklist saved." if done.value else "Nothing changed.",
        "success" if done.value else "info",
    )
    return _back_to_stage(access)


@bp.route("/advance", methods=["POST"])
@login_required
def advance(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    evaluation = access.evaluation
    form = forms.AdvanceForm()
    _posted(form)
    ops.require_next(evaluation, form.to.data or "")  # a stage skipped: 409
    done = commit(
        lambda: ops.advance(
            db_session(),
            evaluation,
            access.user,
            form.to.data or "",
            reason=form.note.data or "",
            readiness=form.readiness(),
        ),
        form,
    )
    if done.refused is not None:  # a blocker stands: the stage page shows why
        flash(done.refused.message, "error")
        return _back_to_stage(access)
    message = MOVED[evaluation.current_stage]
    warnings = done.value or []
    if warnings:
        message += f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''} noted.)"
    flash(message, "success")
    return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))


@bp.route("/back", methods=["POST"])
@login_required
def back(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    form = forms.BackForm()
    if form.validate_on_submit():
        ops.require_previous(access.evaluation)  # nowhere to go back to: 409
        reason = form.reason.data or ""
        done = commit(
            lambda: ops.step_back(db_session(), access.evaluation, access.user, reason), form
        )
        if done:
            flash(f"The evaluation is back in {done.value}.", "success")
            return _back_to_stage(access)
    return _render(access, back_form=form)


@bp.route("/decide", methods=["POST"])
@login_required
def decide(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    evaluation = access.evaluation
    access.require_stage(Stage.CONSENSUS, message="The award is recorded at the end of consensus.")
    session = db_session()
    result = queries.result_for_award(session, evaluation)
    form = forms.decide_form(result, evaluation)
    if form.validate_on_submit():
        vendor = queries.vendor_for_award(session, evaluation, form.vendor_id.data)
        done = commit(
            lambda: ops.decide(
                session,
                evaluation,
                access.user,
                result,
                vendor,
                form.rationale.data or "",
                override_reason=form.override_reason.data or "",
            ),
            form,
        )
        if done and vendor is not None:
            flash(f"Awarded to {vendor.name}. The evaluation is decided and read-only.", "success")
            return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))
    return _render(access, result=result, decide_form=form)
