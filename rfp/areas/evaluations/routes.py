"""Creating an evaluation, its overview, and its settings and scope."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from rfp import models as m
from rfp.areas.criteria.forms import load_criteria_tree
from rfp.areas.evaluations import operations as ops
from rfp.areas.evaluations.forms import (
    NewEvaluationForm,
    anchor_values,
    scope_values,
    settings_form,
)
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.areas.stages.operations import (
    NEXT_STAGE,
    STAGE_PURPOSE,
    checks_before,
    summarise_readiness,
    weight_sums,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.operations import SetupError
from rfp.core.unit_of_work import show_refusal
from rfp.domain.scoring.cost import hours_per_month
from rfp.scenario import ScenarioError
from rfp.scenario.convert import cost_scope_of

bp = Blueprint("evaluations", __name__, template_folder="templates", url_prefix="/evaluations")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # type: ignore[no-untyped-def]
    form = NewEvaluationForm()
    errors: list[str] = []
    if form.validate_on_submit():
        session = db_session()
        user = session.get(m.User, current_user.id)
        title, description = form.title.data or "", form.description.data or ""
        evaluation = None
        if form.start.data == "template":
            evaluation = ops.create_from_template(session, user, title, description)
        elif form.start.data == "blank":
            evaluation = ops.create_blank(session, user, title, description)
        elif not form.scenario.data:
            form.scenario.errors.append("Choose the scenario file to upload.")
        else:
            try:
                evaluation = ops.create_from_file(session, user, form.scenario.data.read(), title)
            except ScenarioError as exc:
                session.rollback()
                errors = exc.errors
        if evaluation is not None:
            session.commit()
            flash(f"Evaluation “{evaluation.title}” created. You are its lead.", "success")
            return redirect(url_for("evaluations.overview", evaluation_id=evaluation.id))
    return render_template("evaluations/new.html", form=form, errors=errors)


def _scope_figures(evaluation: m.Evaluation) -> dict[str, Any]:
    """The cost model's volume figures, when the scope has them."""
    cost_scope = cost_scope_of(evaluation.scope or {})
    if cost_scope is None:
        return {}
    hours = hours_per_month(cost_scope)
    out: dict[str, Any] = {
        "hours": hours,
        "fte": hours / cost_scope.fte_hours_per_month,
        "term": cost_scope.term_months,
    }
    if cost_scope.inhouse_rate is not None:
        out["inhouse_tco"] = cost_scope.term_months * hours * cost_scope.inhouse_rate
    return out


def _next_steps(access: a.Access, counts: dict[str, int]) -> list[tuple[str, str | None]]:
    """What this user should do next: (sentence, link or None)."""
    ev, ident = access.evaluation, {"evaluation_id": access.evaluation.id}
    endpoints = current_app.view_functions

    def link(endpoint: str) -> str | None:
        return url_for(endpoint, **ident) if endpoint in endpoints else None

    stage = ev.stage
    if access.is_lead:
        if stage == "draft":
            steps = [
                ("Check the scope, scale and price formula.", link("evaluations.settings")),
                ("Review the criteria, questions and weights.", link("criteria.index")),
                (
                    "If the weights are in debate, derive them from pairwise comparisons "
                    "by you and the evaluators.",
                    link("decision.index"),
                ),
            ]
            if not counts["vendors"]:
                steps.append(("Add the vendors invited to respond.", link("vendors.index")))
            if not counts["evaluators"]:
                steps.append(("Add the evaluators who will score.", link("members.index")))
            steps.append(
                (
                    "Go through the readiness checklist and open the evaluation.",
                    link("stages.index"),
                )
            )
            return steps
        if stage == "open":
            return [
                ("Type in each vendor's response as it arrives.", link("vendors.index")),
                (
                    "At the deadline, start scoring: that unseals the responses.",
                    link("stages.index"),
                ),
            ]
        if stage == "scoring":
            return [
                ("Follow the evaluators' progress.", link("members.index")),
                ("When every scorecard is submitted, open consensus.", link("stages.index")),
            ]
        if stage == "consensus":
            return [
                ("Review the flagged scores and record consensus.", link("consensus.index")),
                ("Read the ranking.", link("results.index")),
                ("Record the award.", link("stages.index")),
            ]
        return [
            ("Read the results.", link("results.index")),
            ("Download the reports.", link("reports.index")),
        ]
    if access.role == "evaluator":
        ahp: list[tuple[str, str | None]] = []
        if stage == "draft" and access.can_judge_weights():
            ahp = [
                (
                    "The lead asks for your view of how much each criterion matters: "
                    "compare them two at a time.",
                    link("decision.judgment"),
                )
            ]
        if ev.sealed:
            return ahp + [
                (
                    "Responses are sealed until scoring starts. Meanwhile, read the criteria "
                    "you will score against.",
                    link("criteria.index"),
                )
            ]
        if stage == "scoring":
            return [
                (
                    "Declare any conflict of interest, then score each vendor.",
                    link("scorecards.index"),
                )
            ]
        return [("Read the results.", link("results.index"))]
    return [("Read the results and download the reports.", link("results.index"))]


@bp.route("/<int:evaluation_id>")
@login_required
def overview(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    session = db_session()
    evaluation = access.evaluation
    load_criteria_tree(evaluation)
    progress = progress_by_evaluation(session, [evaluation.id])[evaluation.id]
    counts = {
        "vendors": len(evaluation.vendors),
        "evaluators": len(progress),
        "criteria": len(evaluation.criteria),
        "questions": session.scalar(
            select(func.count())
            .select_from(m.Question)
            .where(m.Question.evaluation_id == evaluation.id)
        ),
        "scores": sum(p.entered for p in progress),
        "expected": sum(p.expected for p in progress),
    }
    award = (
        session.get(m.Vendor, evaluation.award_vendor_id) if evaluation.award_vendor_id else None
    )
    total, off = weight_sums(evaluation)
    checks = (
        summarise_readiness(checks_before(session, evaluation))
        if access.is_lead and evaluation.stage in ("draft", "open")
        else []
    )
    return render_template(
        "evaluations/overview.html",
        access=access,
        evaluation=evaluation,
        counts=counts,
        progress=progress,
        figures=_scope_figures(evaluation),
        scope=evaluation.scope or {},
        next_steps=_next_steps(access, counts),
        next_stage=NEXT_STAGE.get(evaluation.stage),
        purpose=STAGE_PURPOSE,
        award=award,
        weight_total=total,
        checks=checks,
        readiness=m.READINESS_ITEMS,
    )


@bp.route("/<int:evaluation_id>/settings", methods=["GET", "POST"])
@login_required
def settings(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.MANAGE)
    evaluation = access.evaluation
    if request.method == "POST":
        access.require_writable()
    form = settings_form(evaluation, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        session = db_session()
        old_points = form.anchor_points  # type: ignore[attr-defined]
        try:
            changes = ops.update_settings(
                session,
                evaluation,
                session.get(m.User, current_user.id),
                title=form.title.data,
                description=form.description.data or "",
                deadline=form.deadline.data,
                scale_min=form.scale_min.data,
                scale_max=form.scale_max.data,
                anchors=anchor_values(form),
                aggregation=form.aggregation.data,
                dispersion_threshold=form.dispersion_threshold.data,
                price_formula=form.price_formula.data,
                price_zero_multiple=form.price_zero_multiple.data,
                blind_scoring=form.blind_scoring.data,
                two_envelope=form.two_envelope.data,
                scope=scope_values(form),
                reason=form.reason.data or "",
                normalise_evaluators=form.normalise_evaluators.data,
                sensitivity_concentration=form.sensitivity_concentration.data,
            )
        except SetupError as exc:
            show_refusal(form, exc, exc.field, f"{exc.field}_pct")
        else:
            session.commit()
            if not changes:
                flash("Nothing changed.", "info")
            else:
                flash(f"Settings saved ({len(changes)} changed).", "success")
                if "scale_min" in changes or "scale_max" in changes:
                    points = settings_form(evaluation).anchor_points  # type: ignore[attr-defined]
                    if points and points != old_points:
                        flash("The scale changed: write the anchor text of each point.", "info")
            return redirect(url_for("evaluations.settings", evaluation_id=evaluation_id))
    has_cost = any(c.kind == "cost" for c in evaluation.criteria)
    return render_template(
        "evaluations/settings.html",
        access=access,
        evaluation=evaluation,
        form=form,
        warnings=ops.scope_warnings(evaluation.scope or {}, has_cost),
        has_cost=has_cost,
        frozen=evaluation.weights_frozen,
        read_only=evaluation.read_only,
    )
