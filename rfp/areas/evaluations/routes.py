"""Creating an evaluation, its overview, and its settings and scope."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from rfp import models as m
from rfp.areas.criteria.queries import load_criteria_tree
from rfp.areas.evaluations import operations as ops
from rfp.areas.evaluations import queries
from rfp.areas.evaluations.forms import NewEvaluationForm, scale_points, settings_form
from rfp.areas.evaluations.pages import Step, next_steps, overview_counts, scope_figures
from rfp.areas.people.queries import pending_invitations_of
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.areas.stages.operations import NEXT_STAGE, STAGE_PURPOSE
from rfp.areas.stages.queries import (
    awarded_vendor,
    checks_before,
    summarise_readiness,
    weight_sums,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.core.versions import VERSION_FIELD

bp = Blueprint("evaluations", __name__, template_folder="templates", url_prefix="/evaluations")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # type: ignore[no-untyped-def]
    session = db_session()
    lead = session.get(m.User, current_user.id)
    rights = current_app.config["RFP_IMPORT_ALLOWED"]
    form = NewEvaluationForm()
    rejected = False  # the scenario file was refused
    if form.validate_on_submit():
        upload = form.scenario.data
        done = commit(
            lambda: ops.create_evaluation(
                session,
                lead,
                form.start.data or "",
                form.title.data or "",
                form.description.data or "",
                scenario=upload.read() if upload else None,
                import_rights=rights,
            ),
            form,
        )
        if done and done.value is not None:
            flash(f"Evaluation “{done.value.title}” created. You are its lead.", "success")
            pending = len(pending_invitations_of(session, done.value))
            if pending:
                flash(
                    f"The file names {pending} evaluator{'s' if pending != 1 else ''}: confirm "
                    "each one on the People page before they are invited (their scores in "
                    "the file were not imported; only an administrator's import keeps them).",
                    "info",
                )
            return redirect(url_for("evaluations.overview", evaluation_id=done.value.id))
        rejected = True
    return render_template(
        "evaluations/new.html",
        form=form,
        rejected=rejected,
        may_import=ops.may_import(session, lead, rights),
        import_rights=ops.IMPORT_RIGHTS.get(rights, "administrators"),
    )


def _linked(access: a.Access, steps: list[Step]) -> list[tuple[str, str | None]]:
    """Each step with the link to its page (none where the area is not installed)."""
    endpoints = current_app.view_functions
    ident = {"evaluation_id": access.evaluation.id}
    return [
        (text, url_for(endpoint, **ident) if endpoint in endpoints else None)
        for text, endpoint in steps
    ]


@bp.route("/<int:evaluation_id>")
@login_required
def overview(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    session = db_session()
    evaluation = access.evaluation
    load_criteria_tree(session, evaluation)
    progress = progress_by_evaluation(session, [evaluation.id])[evaluation.id]
    counts = overview_counts(evaluation, progress, queries.question_count(session, evaluation))
    total, _off = weight_sums(evaluation)
    checks = (
        summarise_readiness(checks_before(session, evaluation))
        if access.is_lead and evaluation.current_stage.collecting
        else []
    )
    return render_template(
        "evaluations/overview.html",
        access=access,
        evaluation=evaluation,
        counts=counts,
        progress=progress,
        figures=scope_figures(evaluation),
        scope=evaluation.scope or {},
        next_steps=_linked(access, next_steps(access, counts)),
        next_stage=NEXT_STAGE.get(evaluation.current_stage),
        purpose=STAGE_PURPOSE,
        award=awarded_vendor(session, evaluation),
        weight_total=total,
        checks=checks,
        readiness=m.READINESS_ITEMS,
    )


@bp.route("/<int:evaluation_id>/settings", methods=["GET", "POST"])
@login_required
def settings(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    evaluation = access.evaluation
    form = settings_form(evaluation)
    if form.validate_on_submit():
        old_points = form.anchor_points
        done = commit(
            lambda: ops.update_settings(db_session(), evaluation, access.user, **form.changes()),
            form,
        )
        if done:
            changes = done.value or {}
            if not changes:
                flash("Nothing changed.", "info")
            else:
                flash(f"Settings saved ({len(changes)} changed).", "success")
                points = scale_points(evaluation.scale_min, evaluation.scale_max)
                if points and points != old_points:
                    flash("The scale changed: write the anchor text of each point.", "info")
            return redirect(url_for("evaluations.settings", evaluation_id=evaluation_id))
        if done.refused is not None and done.refused.field == VERSION_FIELD:
            flash(done.refused.message, "error")  # the form shows the current values
            form = settings_form(evaluation, current=True)
    has_cost = ops.has_cost_criterion(evaluation)
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
