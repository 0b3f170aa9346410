"""People: leads, evaluators (optionally limited to some criteria) and viewers, with
each evaluator's progress. Evaluators leave the panel inactive, never deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.people import forms, pages, queries
from rfp.areas.people import operations as ops
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import Role

bp = Blueprint(
    "members",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/people",
)


def _membership(access: a.Access, membership_id: int) -> m.Membership:
    membership = queries.membership_of(db_session(), access.evaluation, membership_id)
    if membership is None:
        abort(404)
    return membership


def _back(evaluation_id: int):  # type: ignore[no-untyped-def]
    return redirect(url_for("members.index", evaluation_id=evaluation_id))


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.MANAGE)
    evaluation = access.evaluation
    session = db_session()
    page = pages.people_page(
        evaluation,
        queries.members_of(session, evaluation),
        queries.progress_of(session, evaluation),
        queries.scores_kept(session, evaluation),
        queries.invitations_of(session, evaluation),
    )
    return render_template(
        "members/index.html",
        access=access,
        evaluation=evaluation,
        page=page,
        pending=queries.pending_invitations_of(session, evaluation),
        criterion_names={c.key: c.name for c in evaluation.criteria},
        form=forms.ReasonForm(),
    )


@bp.route("/pending", methods=["POST"])
@login_required
def pending(evaluation_id: int):  # type: ignore[no-untyped-def]
    """Confirm (add and invite) or dismiss someone a scenario import named."""
    access = a.lead_access(evaluation_id)
    access.require_writable()
    session = db_session()
    form = forms.PendingForm()
    if not form.validate_on_submit():
        abort(400)
    named = queries.pending_invitation_of(session, access.evaluation, form.pending_id.data)
    if named is None:
        abort(400, description="No such person is waiting for confirmation.")
    name = named.name
    if form.action.data == "dismiss":
        done = commit(lambda: ops.dismiss_pending(session, named, access.user), form)
        if done:
            flash(f"{name} dismissed: nobody was invited.", "info")
    else:
        done = commit(lambda: ops.confirm_pending(session, named, access.user), form)
        if done and done.value is not None:
            membership, said = done.value
            flash(_added_words(membership, said), "success")
    if not done:
        assert done.refused is not None
        flash(f"{name}: {done.refused.message}", "error")
    return _back(evaluation_id)


@bp.route("/add", methods=["GET", "POST"])
@login_required
def add(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    evaluation = access.evaluation
    session = db_session()
    criteria = pages.scored_criteria(evaluation)
    form = forms.AddMemberForm()
    form.offer_people(queries.people_to_add(session, evaluation))
    form.offer(criteria)
    if form.validate_on_submit():
        chosen = form.chosen(criteria)
        if form.existing_account:
            added = commit(
                lambda: ops.add_existing_member(
                    session,
                    evaluation,
                    form.user_id.data,
                    form.role.data,
                    access.user,
                    criteria=chosen,
                ),
                form,
            )
            if added and added.value is not None:
                membership, welcome = added.value
                flash(_added_words(membership, welcome), "success")
                return _back(evaluation_id)
        else:
            invited = commit(
                lambda: ops.add_new_account(
                    session,
                    evaluation,
                    access.user,
                    name=form.name.data.strip(),
                    email=form.email.data.strip(),
                    username=(form.username.data or "").strip(),
                    role=form.role.data,
                    criteria=chosen,
                ),
                form,
            )
            if invited and invited.value is not None:
                flash(_added_words(invited.value, ops.INVITED), "success")
                return _back(evaluation_id)
    return render_template("members/add.html", access=access, evaluation=evaluation, form=form)


def _added_words(membership: m.Membership, welcome: str) -> str:
    person = membership.user
    said = {
        ops.INVITED: f"An invitation to set a password is on its way to {person.email}.",
        ops.NOTIFIED: f"A note is on its way to {person.email}.",
        ops.NOT_EMAILED: "Their account has no e-mail address: tell them yourself.",
    }[welcome]
    return f"{person.name} added as {membership.role}. {said}"


@bp.route("/<int:membership_id>/invite", methods=["POST"])
@login_required
def invite(evaluation_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    """Send the invitation again (a new link; the earlier one stops working)."""
    access = a.lead_access(evaluation_id)
    membership = _membership(access, membership_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    done = commit(lambda: ops.send_invitation_again(db_session(), membership, access.user), form)
    if done:
        flash(
            f"A new invitation is on its way to {membership.user.email}; "
            "the link of the earlier one no longer works.",
            "success",
        )
    else:
        assert done.refused is not None
        flash(done.refused.message[:1].upper() + done.refused.message[1:] + ".", "error")
    return _back(evaluation_id)


@bp.route("/<int:membership_id>/edit", methods=["GET", "POST"])
@login_required
def edit(evaluation_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    membership = _membership(access, membership_id)
    if membership.role != Role.EVALUATOR:
        abort(404)
    criteria = pages.scored_criteria(access.evaluation)
    form = forms.LimitsForm(data={"criteria": [c.id for c in membership.criteria]})
    form.offer(criteria)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.update_limits(db_session(), membership, access.user, form.chosen(criteria)),
            form,
            fields=("criteria",),
        )
        if done:
            flash(
                "Assignment saved." if done.value else "Nothing changed.",
                "success" if done.value else "info",
            )
            return _back(evaluation_id)
    return render_template(
        "members/edit.html",
        access=access,
        evaluation=access.evaluation,
        membership=membership,
        form=form,
    )


@bp.route("/<int:membership_id>/remove", methods=["GET", "POST"])
@login_required
def remove(evaluation_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    membership = _membership(access, membership_id)
    evaluator = membership.role == Role.EVALUATOR
    form = forms.ReasonForm()
    scores = queries.score_count(db_session(), membership)
    if form.validate_on_submit():
        name = membership.user.name
        leave = ops.deactivate_evaluator if evaluator else ops.remove_member
        done = commit(
            lambda: leave(db_session(), membership, access.user, form.reason.data or ""), form
        )
        if done:
            flash(
                f"{name} is off the panel; their {scores} scores are kept, out of the aggregate."
                if evaluator
                else f"{name} removed.",
                "success",
            )
            if membership.user_id == current_user.id and not current_user.is_admin:
                return redirect(url_for("dashboard.index"))  # no longer theirs to see
            return _back(evaluation_id)
    return render_template(
        "members/remove.html",
        access=access,
        evaluation=access.evaluation,
        membership=membership,
        evaluator=evaluator,
        form=form,
        scores=scores,
    )


@bp.route("/<int:membership_id>/reactivate", methods=["POST"])
@login_required
def reactivate(evaluation_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    return _change_membership(
        evaluation_id,
        membership_id,
        ops.reactivate_evaluator,
        "{name} is back on the panel; their scores count again.",
    )


@bp.route("/<int:membership_id>/reopen", methods=["POST"])
@login_required
def reopen(evaluation_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    return _change_membership(
        evaluation_id,
        membership_id,
        ops.reopen_scorecard,
        "{name}'s scorecard is open again: they can change their scores and submit again.",
    )


def _change_membership(
    evaluation_id: int,
    membership_id: int,
    change: Callable[[Session, m.Membership, m.User, str], object],
    done_message: str,
) -> Any:
    """A one-button change to a member with a reason (reactivate, reopen): the operation's
    refusal is flashed, success is flashed as `done_message` with the member's {name}."""
    access = a.lead_access(evaluation_id)
    membership = _membership(access, membership_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    done = commit(
        lambda: change(db_session(), membership, access.user, form.reason.data or ""), form
    )
    if done:
        flash(done_message.format(name=membership.user.name), "success")
    else:
        assert done.refused is not None
        flash(done.refused.message, "error")
    return _back(evaluation_id)
