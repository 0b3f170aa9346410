"""People: leads, evaluators (optionally limited to some criteria) and viewers, with
each evaluator's progress. Evaluators leave the panel inactive, never deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional

from rfp import models as m
from rfp.areas.accounts.operations import MIN_PASSWORD_LENGTH, AccountError
from rfp.areas.evaluations.forms import MultiCheckboxField, options
from rfp.areas.people import operations as ops
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.operations import SetupError
from rfp.core.unit_of_work import show_refusal

bp = Blueprint(
    "members",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/people",
)

ROLE_CHOICES = [
    ("evaluator", "Evaluator: scores the vendors and records reference calls"),
    ("viewer", "Viewer: reads the results and downloads the reports (leadership)"),
    ("lead", "Lead: runs the evaluation with you"),
]


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Length(max=5000)])


class LimitsForm(FlaskForm):
    criteria = MultiCheckboxField(
        "Limit to these criteria",
        coerce=int,
        description="Leave all unticked to have them score every scored criterion.",
    )


class AddMemberForm(LimitsForm):
    role = RadioField("Role", choices=options(ROLE_CHOICES), default="evaluator")
    account = RadioField(
        "Account",
        choices=options([("existing", "An existing account"), ("new", "A new account")]),
        default="existing",
    )
    user_id = SelectField("Person", coerce=int, validate_choice=False)
    username = StringField("Username", validators=[Optional(), Length(max=80)])
    name = StringField("Full name", validators=[Optional(), Length(max=200)])
    email = EmailField(
        "E-mail", validators=[Optional(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(
        "Initial password",
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"At least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
        description=f"At least {MIN_PASSWORD_LENGTH} characters; pass it on, they can change it.",
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        if self.account.data == "existing":
            if not self.user_id.data:
                self.user_id.errors.append("Choose a person.")
                ok = False
        else:
            for field in (self.username, self.name, self.password):
                if not (field.data or "").strip():
                    field.errors.append("Required for a new account.")
                    ok = False
        if self.role.data != "evaluator" and self.criteria.data:
            self.criteria.errors.append("Only evaluators are limited to some criteria.")
            ok = False
        return ok


def _membership(access: a.Access, membership_id: int) -> m.Membership:
    membership = db_session().get(m.Membership, membership_id)
    if membership is None or membership.evaluation_id != access.evaluation.id:
        abort(404)
    return membership


def _scored_criteria(evaluation: m.Evaluation) -> list[m.Criterion]:
    return [c for c in evaluation.criteria if c.kind == "scored"]


def _chosen(evaluation: m.Evaluation, ids: list[int] | None) -> list[m.Criterion]:
    wanted = set(ids or [])
    return [c for c in _scored_criteria(evaluation) if c.id in wanted]


def _back(evaluation_id: int):  # type: ignore[no-untyped-def]
    return redirect(url_for("members.index", evaluation_id=evaluation_id))


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.MANAGE)
    evaluation = access.evaluation
    session = db_session()
    memberships = session.scalars(
        select(m.Membership)
        .where(m.Membership.evaluation_id == evaluation.id)
        .options(
            selectinload(m.Membership.user),
            selectinload(m.Membership.criteria),
            selectinload(m.Membership.conflicts).selectinload(m.ConflictDeclaration.vendor),
        )
        .order_by(m.Membership.id)
    ).all()
    progress = {
        p.membership_id: p for p in progress_by_evaluation(session, [evaluation.id])[evaluation.id]
    }
    kept = dict(
        session.execute(
            select(m.Score.membership_id, func.count())
            .where(m.Score.evaluation_id == evaluation.id)
            .group_by(m.Score.membership_id)
        ).all()
    )
    by_role: dict[str, list[m.Membership]] = {"lead": [], "evaluator": [], "viewer": []}
    for membership in memberships:
        by_role.setdefault(membership.role, []).append(membership)
    by_role["evaluator"].sort(key=lambda ms: (not ms.active, ms.id))
    return render_template(
        "members/index.html",
        access=access,
        evaluation=evaluation,
        by_role=by_role,
        progress=progress,
        kept=kept,
        editable=not evaluation.read_only,
        form=ReasonForm(),
    )


@bp.route("/add", methods=["GET", "POST"])
@login_required
def add(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    evaluation = access.evaluation
    session = db_session()
    form = AddMemberForm()
    members = {ms.user_id for ms in evaluation.memberships}
    people = session.scalars(
        select(m.User).where(m.User.active.is_(True)).order_by(func.lower(m.User.name))
    ).all()
    form.user_id.choices = options([(0, "— choose —")]) + options(
        [(u.id, f"{u.name} ({u.username})") for u in people if u.id not in members]
    )
    form.criteria.choices = options((c.id, c.name) for c in _scored_criteria(evaluation))
    if form.validate_on_submit():
        criteria = _chosen(evaluation, form.criteria.data)
        try:
            if form.account.data == "existing":
                person = session.get(m.User, form.user_id.data)
                if person is None or not person.active:
                    raise SetupError("user_id", "Choose an active account.")
                membership = ops.add_member(
                    session, evaluation, person, form.role.data, access.user, criteria=criteria
                )
            else:
                membership = ops.add_new_account(
                    session,
                    evaluation,
                    access.user,
                    username=form.username.data.strip(),
                    name=form.name.data.strip(),
                    email=form.email.data or None,
                    password=form.password.data,
                    role=form.role.data,
                    criteria=criteria,
                )
        except (SetupError, AccountError) as exc:
            session.rollback()
            field, _, message = (
                (exc.field, "", exc.message)
                if isinstance(exc, SetupError)
                else str(exc).partition(": ")
            )
            target = getattr(form, "user_id" if field == "user" else field, None)
            (target.errors if target is not None else form.form_errors).append(message)
        else:
            session.commit()
            flash(f"{membership.user.name} added as {membership.role}.", "success")
            return _back(evaluation_id)
    return render_template("members/add.html", access=access, evaluation=evaluation, form=form)


@bp.route("/<int:membership_id>/edit", methods=["GET", "POST"])
@login_required
def edit(evaluation_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    membership = _membership(access, membership_id)
    if membership.role != "evaluator":
        abort(404)
    form = LimitsForm(data={"criteria": [c.id for c in membership.criteria]})
    form.criteria.choices = options((c.id, c.name) for c in _scored_criteria(access.evaluation))
    if form.validate_on_submit():
        try:
            chosen = _chosen(access.evaluation, form.criteria.data)
            changed = ops.update_limits(db_session(), membership, access.user, chosen)
        except SetupError as exc:
            show_refusal(form, exc, "criteria")
        else:
            db_session().commit()
            flash(
                "Assignment saved." if changed else "Nothing changed.",
                "success" if changed else "info",
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
    form = ReasonForm()
    scores = db_session().scalar(
        select(func.count()).select_from(m.Score).where(m.Score.membership_id == membership.id)
    )
    if form.validate_on_submit():
        session = db_session()
        name = membership.user.name
        try:
            if membership.role == "evaluator":
                ops.deactivate_evaluator(session, membership, access.user, form.reason.data or "")
            else:
                ops.remove_member(session, membership, access.user, form.reason.data or "")
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            session.commit()
            flash(
                f"{name} is off the panel; their {scores} scores are kept, out of the aggregate."
                if membership.role == "evaluator"
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
    done: str,
) -> Any:
    """A one-button change to a member with a reason (reactivate, reopen): the operation's
    refusal is flashed, success is flashed as `done` with the member's {name}."""
    access = a.lead_access(evaluation_id)
    membership = _membership(access, membership_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change(db_session(), membership, access.user, form.reason.data or "")
    except SetupError as exc:
        db_session().rollback()
        flash(exc.message, "error")
    else:
        db_session().commit()
        flash(done.format(name=membership.user.name), "success")
    return _back(evaluation_id)
