"""Weights (AHP) and the price-formula choice: where the weights come from.

The lead invites participants (themselves and evaluators), each fills a pairwise
comparison of the criteria on Saaty's scale, and the lead reads each one's consistency,
the combined result and the weights it gives beside the current ones, and applies them
while the evaluation is in draft. Participants who are not lead open only their own
comparison (`Access.can_judge_weights`). The price formula chosen from the results
page's side-by-side comparison follows the settings' rule (a reason after draft).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from rfp.areas.weights import operations as ops
from rfp.areas.weights.forms import (
    SCALE_WORDS,
    ApplyWeightsForm,
    ComparisonForm,
    ParticipantsForm,
    PriceFormulaForm,
    parse_comparison,
)
from rfp.areas.weights.pages import build_weights_page, consistency, pair_rows
from rfp.core import access as a
from rfp.core.extensions import db_session

bp = Blueprint(
    "decision", __name__, template_folder="templates", url_prefix="/evaluations/<int:evaluation_id>"
)

DRAFT_ONLY = (
    "AHP weighting happens while the evaluation is in draft: its weights are fixed since "
    "it left draft."
)


def _refused(exc: ops.DecisionError) -> None:
    db_session().rollback()
    abort(exc.status, description=exc.message[:1].upper() + exc.message[1:] + ".")


def _participants_form(panel: ops.AhpPanel, **kwargs: Any) -> ParticipantsForm:
    form = ParticipantsForm(**kwargs)
    form.participants.choices = [
        (p.membership_id, f"{p.name} ({p.role})") for p in panel.participants
    ]
    return form


@bp.route("/weights")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    panel = ops.ahp_panel(db_session(), access.evaluation)
    page = build_weights_page(panel)
    own = panel.participant(access.membership.id) if access.membership else None
    invite = _participants_form(
        panel, formdata=None, participants=[p.membership_id for p in panel.participants
                                            if p.invited]
    )  # fmt: skip
    return render_template(
        "decision/index.html",
        access=access,
        page=page,
        invite=invite,
        apply_form=ApplyWeightsForm(formdata=None, expected=page.fingerprint or ""),
        draft=access.evaluation.stage == "draft",
        may_judge=access.can_judge_weights(),
        own_filled=bool(own and own.analysis),
    )


@bp.route("/weights/participants", methods=["POST"])
@login_required
def participants(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_stage("draft", message=DRAFT_ONLY)
    session = db_session()
    form = _participants_form(ops.ahp_panel(session, access.evaluation))
    if not form.validate_on_submit():
        abort(400, description="Choose participants among the lead and the evaluators listed.")
    try:
        changed = ops.set_participants(
            session, access.evaluation, access.user, form.participants.data or []
        )
    except ops.DecisionError as exc:
        _refused(exc)
    session.commit()
    flash("Participants saved." if changed else "No change.", "success" if changed else "info")
    return redirect(url_for("decision.index", evaluation_id=evaluation_id) + "#participants")


@bp.route("/weights/judgment", methods=["GET", "POST"])
@login_required
def judgment(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The current user's own pairwise comparison of the criteria."""
    access = a.evaluation_access(evaluation_id)
    if not access.can_judge_weights():
        abort(403)
    session = db_session()
    evaluation = access.evaluation
    panel = ops.ahp_panel(session, evaluation)
    criteria = [(c.key, c.name) for c in panel.criteria]
    form = ComparisonForm(formdata=None if request.method == "GET" else request.form)
    errors: dict[str, str] = {}
    posted: dict[str, str] | None = None
    if request.method == "POST":
        access.require_writable()
        access.require_stage("draft", message=DRAFT_ONLY)
        if not form.validate_on_submit():
            abort(400, description="The form has expired; reload the page and submit again.")
        if form.criteria.data != ",".join(panel.keys):
            flash(
                "The criteria changed while you were comparing them: the form now shows "
                "the current ones. Nothing was saved.",
                "error",
            )
        else:
            matrix, errors = parse_comparison(request.form, criteria)
            if matrix is not None:
                assert access.membership is not None
                try:
                    ops.save_judgment(
                        session, evaluation, access.membership, access.user, panel.keys, matrix
                    )
                except ops.DecisionError as exc:
                    _refused(exc)
                session.commit()
                flash("Your comparison is saved.", "success")
                return redirect(url_for("decision.judgment", evaluation_id=evaluation_id))
            posted = {k: v for k, v in request.form.items() if k.startswith("pair-")}
    assert access.membership is not None
    mine = panel.participant(access.membership.id)
    analysis = mine.analysis if mine else None
    form.criteria.data = ",".join(panel.keys)
    return render_template(
        "decision/judgment.html",
        access=access,
        form=form,
        rows=pair_rows(criteria, mine.matrix if mine else None, posted, errors),
        errors=errors,
        analysis=analysis,
        consistency=consistency(analysis, panel.names, None) if analysis else None,
        stale=bool(mine and mine.stale),
        criteria=panel.criteria,
        writable=evaluation.stage == "draft",
        scale_words=SCALE_WORDS,
    )


@bp.route("/weights/apply", methods=["POST"])
@login_required
def apply(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_stage("draft", message=DRAFT_ONLY)
    form = ApplyWeightsForm()
    if not form.validate_on_submit():
        abort(400, description="The form has expired; reload the page and submit again.")
    session = db_session()
    try:
        weights = ops.apply_ahp_weights(
            session, access.evaluation, access.user, expected=form.expected.data or None
        )
    except ops.DecisionError as exc:
        _refused(exc)
    session.commit()
    flash(f"The AHP weights are now the criterion weights ({len(weights)} criteria).", "success")
    return redirect(url_for("decision.index", evaluation_id=evaluation_id))


@bp.route("/price-formula", methods=["POST"])
@login_required
def price_formula(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The lead chooses a formula from the results page's side-by-side comparison."""
    access = a.lead_access(evaluation_id)
    form = PriceFormulaForm()
    back = url_for("results.index", evaluation_id=evaluation_id) + "#price-formulas"
    if not form.validate_on_submit() or form.formula() is None:
        abort(400, description="Choose one of the four price formulas.")
    session = db_session()
    try:
        changed = ops.set_price_formula(
            session, access.evaluation, access.user, form.formula(), form.reason.data or ""
        )
    except ops.DecisionError as exc:
        session.rollback()
        if exc.status != 400:
            abort(exc.status, description=exc.message)
        flash(exc.message[:1].upper() + exc.message[1:], "error")
        return redirect(back)
    session.commit()
    if changed:
        flash(f"The price formula is now {form.formula()}.", "success")
    return redirect(back)
