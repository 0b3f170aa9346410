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
    ParticipantsForm,
    PriceFormulaForm,
    comparison_form,
)
from rfp.areas.weights.pages import build_weights_page, consistency, pair_rows
from rfp.areas.weights.queries import AhpPanel, ahp_panel
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import Stage

bp = Blueprint(
    "decision", __name__, template_folder="templates", url_prefix="/evaluations/<int:evaluation_id>"
)

DRAFT_ONLY = (
    "AHP weighting happens while the evaluation is in draft: its weights are fixed since "
    "it left draft."
)
EXPIRED = "The form has expired; reload the page and submit again."


def _participants_form(panel: AhpPanel, **kwargs: Any) -> ParticipantsForm:
    form = ParticipantsForm(**kwargs)
    form.participants.choices = [
        (p.membership_id, f"{p.name} ({p.role})") for p in panel.participants
    ]
    return form


def _in_draft(access: a.Access) -> a.Access:
    return access.require_stage(Stage.DRAFT, message=DRAFT_ONLY)


@bp.route("/weights")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    panel = ahp_panel(db_session(), access.evaluation)
    page = build_weights_page(panel)
    own = panel.participant(access.membership.id) if access.membership else None
    invited = [p.membership_id for p in panel.participants if p.invited]
    return render_template(
        "decision/index.html",
        access=access,
        page=page,
        invite=_participants_form(panel, formdata=None, participants=invited),
        apply_form=ApplyWeightsForm(formdata=None, expected=page.fingerprint or ""),
        draft=not access.evaluation.weights_frozen,
        may_judge=access.can_judge_weights(),
        own_filled=bool(own and own.analysis),
    )


@bp.route("/weights/participants", methods=["POST"])
@login_required
def participants(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _in_draft(a.lead_access(evaluation_id))
    session = db_session()
    form = _participants_form(ahp_panel(session, access.evaluation))
    if not form.validate_on_submit():
        abort(400, description="Choose participants among the lead and the evaluators listed.")
    done = commit(
        lambda: ops.set_participants(
            session, access.evaluation, access.user, form.participants.data or []
        )
    )
    if done.value:
        flash("Participants saved.", "success")
    else:
        flash("No change.", "info")
    return redirect(url_for("decision.index", evaluation_id=evaluation_id) + "#participants")


@bp.route("/weights/judgment", methods=["GET", "POST"])
@login_required
def judgment(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The current user's own pairwise comparison of the criteria."""
    access = a.evaluation_access(evaluation_id)
    if not access.can_judge_weights():
        abort(403)
    membership = access.membership
    assert membership is not None  # can_judge_weights: a member
    session = db_session()
    evaluation = access.evaluation
    panel = ahp_panel(session, evaluation)
    form = comparison_form(panel.pairs)()
    refused = None
    if request.method == "POST":
        _in_draft(access.require_writable())
        if form.validate_on_submit():
            commit(
                lambda: ops.save_judgment(
                    session, evaluation, membership, access.user, panel.keys, form.matrix()
                )
            )
            flash("Your comparison is saved.", "success")
            return redirect(url_for("decision.judgment", evaluation_id=evaluation_id))
        if form.expired:
            abort(400, description=EXPIRED)
        if form.drawn_for_other_criteria:
            flash(form.criteria.errors[0], "error")
        else:
            refused = form
    mine = panel.participant(membership.id)
    analysis = mine.analysis if mine else None
    form.criteria.data = ",".join(panel.keys)
    rows = pair_rows(panel.pairs, mine.matrix if mine else None, refused)
    return render_template(
        "decision/judgment.html",
        access=access,
        form=form,
        rows=rows,
        errors=[row.error for row in rows if row.error],
        analysis=analysis,
        consistency=consistency(analysis, panel.names, None) if analysis else None,
        stale=bool(mine and mine.stale),
        criteria=panel.criteria,
        writable=not evaluation.weights_frozen,
        scale_words=SCALE_WORDS,
    )


@bp.route("/weights/apply", methods=["POST"])
@login_required
def apply(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _in_draft(a.lead_access(evaluation_id))
    form = ApplyWeightsForm()
    if not form.validate_on_submit():
        abort(400, description=EXPIRED)
    done = commit(
        lambda: ops.apply_ahp_weights(
            db_session(), access.evaluation, access.user, expected=form.expected.data or None
        )
    )
    weights = done.value or {}
    flash(f"The AHP weights are now the criterion weights ({len(weights)} criteria).", "success")
    return redirect(url_for("decision.index", evaluation_id=evaluation_id))


@bp.route("/price-formula", methods=["POST"])
@login_required
def price_formula(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The lead chooses a formula from the results page's side-by-side comparison."""
    access = a.lead_access(evaluation_id)
    form = PriceFormulaForm()
    if not form.validate_on_submit():
        abort(400, description="Choose one of the four price formulas.")
    done = commit(
        lambda: ops.set_price_formula(
            db_session(), access.evaluation, access.user, form.formula, form.reason.data or ""
        ),
        form,
    )
    if not done:
        assert done.refused is not None
        flash(done.refused.message, "error")
    elif done.value:
        flash(f"The price formula is now {form.formula.label.lower()}.", "success")
    return redirect(url_for("results.index", evaluation_id=evaluation_id) + "#price-formulas")
