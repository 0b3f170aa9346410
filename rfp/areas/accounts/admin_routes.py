"""User administration (admin only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.accounts import operations as ops
from rfp.areas.accounts import queries
from rfp.areas.accounts.forms import NewUserForm, UserForm
from rfp.core.access import require_admin
from rfp.core.db import utcnow
from rfp.core.extensions import db_session
from rfp.core.throttle import login_throttle
from rfp.core.unit_of_work import commit

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")


@bp.route("/users")
@login_required
def users():  # type: ignore[no-untyped-def]
    require_admin()
    return render_template("admin/users.html", users=queries.every_user(db_session()), now=utcnow())


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user():  # type: ignore[no-untyped-def]
    admin = require_admin()
    form = NewUserForm()
    if form.validate_on_submit():
        done = commit(
            lambda: ops.create_user(
                db_session(),
                form.username.data,
                form.name.data,
                form.password.data,
                email=form.email.data or None,
                is_admin=form.is_admin.data,
                active=form.active.data,
                by=admin,
            ),
            form,
        )
        if done:
            flash(f"Account {done.value.username} created.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):  # type: ignore[no-untyped-def]
    admin = require_admin()
    user = db_session().get(m.User, user_id)
    if user is None:
        abort(404)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.update_user(
                db_session(),
                user,
                admin,
                username=form.username.data,
                name=form.name.data,
                email=form.email.data or None,
                is_admin=form.is_admin.data,
                active=form.active.data,
                password=form.password.data or None,
            ),
            form,
        )
        if done:
            flash(f"Account {user.username} saved.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock_user(user_id: int):  # type: ignore[no-untyped-def]
    """Lift a lock after too many failed log-ins (and forget the account's failures)."""
    admin = require_admin()
    user = db_session().get(m.User, user_id)
    if user is None:
        abort(404)
    done = commit(lambda: ops.unlock_user(db_session(), user, admin))
    if done.value:
        login_throttle().clear(user.username)
        flash(f"Account {user.username} unlocked: it may log in again.", "success")
    else:
        flash(f"Account {user.username} was not locked.", "info")
    return redirect(url_for("admin.users"))
