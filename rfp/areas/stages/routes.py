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
from rfp.domain.formatting import counted, when
from rfp.domain.scoring import Result
from rfp.domain.vocabulary import Stage

bp = Blueprint(
    "stages",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/stage",
)

MOVED = {
    Stage.OPEN: "The evaluation is open: send each vendor its response link from the Intake "
    "tab; vendors respond until the deadline.",
    Stage.SCORING: "Scoring has started: the responses are unsealed and evaluators can score.",
    Stage.CONSENSUS: "Consensus is open: every evaluator's scores are frozen, and each "
    "evaluator now sees the panel's scores beside their own.",
}


def _moved_message(moved: ops.Moved) -> str:
    message = MOVED[moved.stage]
    if moved.closed:
        closed = "; ".join(
            f"{c.name} ({counted(c.blank, 'blank')})" if c.blank else c.name for c in moved.closed
        )
        message += f" Submitted as {'it' if len(moved.closed) == 1 else 'they'} stood: {closed}" + (
            "; the blanks are listed as missing." if any(c.blank for c in moved.closed) else "."
        )
    if moved.warnings:
        message += f" ({counted(len(moved.warnings), 'warning')} noted.)"
    return message


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
    early = next_stage is not None and ops.unseals_early(evaluation, next_stage)
    if early:
        advance_form.note.label.text = "Why unseal before the deadline (required, audited)"
    return render_template(
        "stages/index.html",
        access=access,
        evaluation=evaluation,
        checks=queries.summarise_readiness(queries.checks_before(session, evaluation, result)),
        open_items=queries.open_items_before_award(session, evaluation, result),
        next_stage=next_stage,
        early=early,
        previous_stage=ops.previous_stage(evaluation),
        no_way_back=ops.no_way_back(evaluation),
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
            confirmed=form.confirmed,
        ),
        form,
    )
    if done.refused is not None:
        if done.refused.field == "confirm":  # unsealing before the deadline: confirm first
            return _confirm_unsealing(access, form)
        if done.refused.field == "note":  # the reason it needs: under its field
            return _render(access, advance_form=form)
        flash(done.refused.message, "error")  # a blocker stands: the stage page shows why
        return _back_to_stage(access)
    assert done.value is not None
    flash(_moved_message(done.value), "success")
    return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))


def _confirm_unsealing(access: a.Access, form: forms.AdvanceForm) -> str:
    evaluation = access.evaluation
    return render_template(
        "stages/confirm.html",
        access=access,
        evaluation=evaluation,
        title="Unseal the responses before the deadline?",
        lead=f"The response deadline is {when(evaluation.deadline)}. Starting scoring now "
        "unseals every response: evaluators read them, and vendors can no longer change "
        "theirs (their links stop working).",
        facts=[("Reason (audited)", form.note.data or "")],
        open_items=[
            c.message
            for c in queries.checks_before(db_session(), evaluation)
            if c.level == queries.WARNING and c.field != "note"
        ],
        open_heading="Still open",
        action=url_for("stages.advance", evaluation_id=evaluation.id),
        form=form,
        fields=["to", "note"],
        button="Unseal the responses and start scoring",
    )


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
                open_items_reason=form.open_items_reason.data or "",
                confirmed=form.confirmed,
            ),
            form,
        )
        if done and vendor is not None:
            flash(f"Awarded to {vendor.name}. The evaluation is decided and read-only.", "success")
            return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))
        if done.refused is not None and done.refused.field == "confirm" and vendor is not None:
            return _confirm_award(access, form, result, vendor)
    return _render(access, result=result, decide_form=form)


def _confirm_award(
    access: a.Access, form: forms.DecideForm, result: Result | None, vendor: m.Vendor
) -> str:
    evaluation = access.evaluation
    open_items = queries.open_items_before_award(db_session(), evaluation, result)
    outcome = result.vendor(vendor.key) if result is not None else None
    facts = [
        (
            "Awarded vendor",
            f"{vendor.name}, ranked {outcome.rank} at {outcome.total:.1f}"
            + ("" if outcome.complete else " (provisional)")
            if outcome is not None
            else vendor.name,
        ),
        ("Rationale", form.rationale.data or ""),
    ]
    if form.override_reason.data and outcome is not None and outcome.rank != 1:
        facts.append(("Why not the first-ranked vendor", form.override_reason.data))
    if open_items:
        facts.append(("Why award with these items open", form.open_items_reason.data or ""))
    return render_template(
        "stages/confirm.html",
        access=access,
        evaluation=evaluation,
        title=f"Record the award to {vendor.name}?",
        lead="Recording the award closes the evaluation: it becomes decided and read-only, "
        "and nothing can be scored, amended or recorded after it.",
        facts=facts,
        open_items=[item.message for item in open_items],
        open_heading="Still open, and kept with the award",
        action=url_for("stages.decide", evaluation_id=evaluation.id),
        form=form,
        fields=["vendor_id", "rationale", "override_reason", "open_items_reason"],
        button="Record the award and close the evaluation",
    )
