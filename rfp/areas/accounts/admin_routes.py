"""User administration (admin only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from rfp import models as m
from rfp.areas.accounts.operations import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    create_user,
    set_password,
)
from rfp.core.access import require_admin
from rfp.core.audit import record
from rfp.core.extensions import db_session

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")

USERNAME = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$",
    message="Letters, digits, '_', '-' and '.', starting with a letter or digit.",
)


class UserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80), USERNAME])
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "E-mail", validators=[Optional(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. Leave empty "
        "to keep the current one.",
    )
    is_admin = BooleanField("Administrator (manages users, leads every evaluation)")
    active = BooleanField("Active (may log in)", default=True)


@bp.route("/users")
@login_required
def users():  # type: ignore[no-untyped-def]
    require_admin()
    people = db_session().scalars(select(m.User).order_by(func.lower(m.User.name))).all()
    return render_template("admin/users.html", users=people)


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user():  # type: ignore[no-untyped-def]
    admin = require_admin()
    form = UserForm()
    if form.validate_on_submit():
        session = db_session()
        if not form.password.data:
            form.password.errors.append("A new account needs a password.")
        else:
            try:
                user = create_user(
                    session,
                    form.username.data,
                    form.name.data,
                    form.password.data,
                    email=form.email.data or None,
                    is_admin=form.is_admin.data,
                    by=admin,
                )
                user.active = form.active.data
            except AccountError as exc:
                field, _, message = str(exc).partition(": ")
                getattr(form, field, form.username).errors.append(message)
            else:
                session.commit()
                flash(f"Account {user.username} created.", "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):  # type: ignore[no-untyped-def]
    admin = require_admin()
    session = db_session()
    user = session.get(m.User, user_id)
    if user is None:
        abort(404)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        taken = session.scalar(
            select(m.User).where(
                func.lower(m.User.username) == form.username.data.lower(), m.User.id != user.id
            )
        )
        email_taken = form.email.data and session.scalar(
            select(m.User).where(
                func.lower(m.User.email) == form.email.data.lower(), m.User.id != user.id
            )
        )
        if taken:
            form.username.errors.append("This username is already taken.")
        elif email_taken:
            form.email.errors.append("This e-mail is used by another account.")
        elif user.id == admin.id and (not form.is_admin.data or not form.active.data):
            form.is_admin.errors.append(
                "You cannot remove your own administrator rights or deactivate yourself."
            )
        else:
            old = {
                "username": user.username,
                "name": user.name,
                "email": user.email,
                "admin": user.is_admin,
                "active": user.active,
            }
            user.username = form.username.data
            user.name = form.name.data
            user.email = form.email.data or None
            user.is_admin = form.is_admin.data
            user.active = form.active.data
            new = {
                "username": user.username,
                "name": user.name,
                "email": user.email,
                "admin": user.is_admin,
                "active": user.active,
            }
            try:
                if form.password.data:
                    set_password(session, user, form.password.data, by=admin)
            except AccountError as exc:
                form.password.errors.append(str(exc).split(": ", 1)[-1])
            else:
                if old != new:
                    record(session, None, admin, "user.updated", user.username, old=old, new=new)
                session.commit()
                flash(f"Account {user.username} saved.", "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)
