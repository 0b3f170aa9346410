"""Moving an evaluation through its stages: the readiness checklist before `open`,
unsealing at `scoring`, the award at `decided`, and stepping back with a reason."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import Length

from rfp import models as m
from rfp.areas.criteria.queries import load_criteria_tree
from rfp.areas.evaluations.forms import options
from rfp.areas.stages import operations as ops
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.operations import SetupError
from rfp.core.unit_of_work import show_refusal
from rfp.domain.scoring import Result, score_evaluation
from rfp.models.adapter import load_scoring_input

bp = Blueprint(
    "stages",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/stage",
)


class ReadinessForm(FlaskForm):
    pass


for _key, _text in m.READINESS_ITEMS.items():
    setattr(ReadinessForm, _key, BooleanField(_text))


class AdvanceForm(ReadinessForm):
    to = HiddenField()
    note = TextAreaField("Note for the audit trail (optional)", validators=[Length(max=5000)])


class BackForm(FlaskForm):
    reason = TextAreaField("Reason for going back", validators=[Length(max=5000)])


class DecideForm(FlaskForm):
    vendor_id = SelectField("Awarded vendor", coerce=int, validate_choice=False)
    rationale = TextAreaField("Rationale for the award", validators=[Length(max=20000)])
    override_reason = TextAreaField(
        "Why not the first-ranked vendor",
        validators=[Length(max=20000)],
        description="Required when the awarded vendor is not ranked first.",
    )


def _result(evaluation: m.Evaluation) -> Result | None:
    if evaluation.stage != "consensus" or not evaluation.vendors:
        return None
    return score_evaluation(load_scoring_input(db_session(), evaluation))


def _decide_form(result: Result | None, evaluation: m.Evaluation) -> DecideForm:
    form = DecideForm()
    if result is not None:
        ids = {v.key: v.id for v in evaluation.vendors}
        form.vendor_id.choices = options(
            [
                (
                    ids[v.key],
                    f"{v.rank}. {v.name} ({v.total:.1f}{'' if v.complete else ', provisional'})",
                )
                for v in result.ranked
            ]
        )
        if request.method == "GET" and result.ranked:
            form.vendor_id.data = ids[result.ranked[0].key]
    return form


def _render(access: a.Access, **forms):  # type: ignore[no-untyped-def]
    evaluation = access.evaluation
    load_criteria_tree(db_session(), evaluation)
    result = forms.pop("result", None) or _result(evaluation)
    readiness = {k: bool((evaluation.readiness or {}).get(k)) for k in m.READINESS_ITEMS}
    history = (
        db_session()
        .scalars(
            select(m.AuditEvent)
            .where(
                m.AuditEvent.evaluation_id == evaluation.id,
                m.AuditEvent.action.in_(("stage", "responses.unsealed", "award.recorded")),
            )
            .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        )
        .all()
    )
    award = (
        db_session().get(m.Vendor, evaluation.award_vendor_id)
        if evaluation.award_vendor_id
        else None
    )
    advance_form = forms.get("advance_form") or AdvanceForm(data=readiness)
    advance_form.to.data = ops.NEXT_STAGE.get(evaluation.stage)
    return render_template(
        "stages/index.html",
        access=access,
        evaluation=evaluation,
        checks=ops.summarise_readiness(ops.checks_before(db_session(), evaluation, result)),
        next_stage=ops.NEXT_STAGE.get(evaluation.stage),
        previous_stage=ops.PREVIOUS_STAGE.get(evaluation.stage),
        purpose=ops.STAGE_PURPOSE,
        advance_form=advance_form,
        back_form=forms.get("back_form") or BackForm(),
        decide_form=forms.get("decide_form") or _decide_form(result, evaluation),
        result=result,
        history=history,
        award=award,
        readiness_items=m.READINESS_ITEMS,
        question_text={q.key: q.text for c in evaluation.criteria for q in c.questions},
    )


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _render(a.lead_access(evaluation_id))


def _readiness_of(form: ReadinessForm) -> dict[str, bool]:
    return {key: bool(getattr(form, key).data) for key in m.READINESS_ITEMS}


@bp.route("/readiness", methods=["POST"])
@login_required
def readiness(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_stage(
        "draft", "open", message="The readiness checklist is kept before scoring starts."
    )
    form = AdvanceForm()
    if not form.validate_on_submit():
        abort(400)
    changed = ops.save_readiness(db_session(), access.evaluation, access.user, _readiness_of(form))
    db_session().commit()
    flash(
        "Readiness checklist saved." if changed else "Nothing changed.",
        "success" if changed else "info",
    )
    return redirect(url_for("stages.index", evaluation_id=evaluation_id))


@bp.route("/advance", methods=["POST"])
@login_required
def advance(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    evaluation = access.evaluation
    form = AdvanceForm()
    if not form.validate_on_submit():
        abort(400)
    if form.to.data != ops.NEXT_STAGE.get(evaluation.stage) or form.to.data == "decided":
        abort(
            409,
            description=f"The evaluation is in {evaluation.stage}; it cannot move to "
            f"{form.to.data or 'that stage'} from here.",
        )
    session = db_session()
    user = access.user
    try:
        if evaluation.stage == "draft":
            ops.save_readiness(session, evaluation, user, _readiness_of(form))
        warnings = ops.advance(session, evaluation, user, form.to.data, reason=form.note.data or "")
    except SetupError as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("stages.index", evaluation_id=evaluation_id))
    session.commit()
    message = {
        "open": "The evaluation is open: vendors respond until the deadline.",
        "scoring": "Scoring has started: the responses are unsealed and evaluators can score.",
        "consensus": "Consensus is open: every evaluator now sees the panel's scores.",
    }[evaluation.stage]
    if warnings:
        message += f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''} noted.)"
    flash(message, "success")
    return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))


@bp.route("/back", methods=["POST"])
@login_required
def back(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    form = BackForm()
    if form.validate_on_submit():
        try:
            stage = ops.step_back(
                db_session(), access.evaluation, access.user, form.reason.data or ""
            )
        except SetupError as exc:
            db_session().rollback()
            if exc.field != "reason":
                abort(409, description=exc.message)
            form.reason.errors.append(exc.message)
        else:
            db_session().commit()
            flash(f"The evaluation is back in {stage}.", "success")
            return redirect(url_for("stages.index", evaluation_id=evaluation_id))
    return _render(access, back_form=form)


@bp.route("/decide", methods=["POST"])
@login_required
def decide(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    evaluation = access.evaluation
    access.require_stage("consensus", message="The award is recorded at the end of consensus.")
    result = _result(evaluation)
    form = _decide_form(result, evaluation)
    if form.validate_on_submit():
        session = db_session()
        vendor = session.get(m.Vendor, form.vendor_id.data or 0)
        try:
            if vendor is None or vendor.evaluation_id != evaluation.id or result is None:
                raise SetupError("vendor_id", "Choose a qualified vendor.")
            ops.decide(
                session,
                evaluation,
                access.user,
                result,
                vendor,
                form.rationale.data or "",
                override_reason=form.override_reason.data or "",
            )
        except SetupError as exc:
            show_refusal(form, exc, "vendor_id" if exc.field == "vendor" else exc.field)
        else:
            session.commit()
            flash(f"Awarded to {vendor.name}. The evaluation is decided and read-only.", "success")
            return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))
    return _render(access, decide_form=form, result=result)
