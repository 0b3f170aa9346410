"""Log in, log out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from rfp import models as m
from rfp.areas.accounts.operations import MIN_PASSWORD_LENGTH, AccountError, set_password
from rfp.core.db import utcnow
from rfp.core.extensions import db_session

bp = Blueprint("auth", __name__, template_folder="templates")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this computer")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField(
        "New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new", message="Passwords differ.")],
    )


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login form cannot be an open redirect."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("dashboard.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        session = db_session()
        user = session.scalar(
            select(m.User).where(func.lower(m.User.username) == form.username.data.strip().lower())
        )
        if user is None or not user.check_password(form.password.data) or not user.is_active:
            form.password.errors.append("Unknown username or wrong password.")
        else:
            user.last_login_at = utcnow()
            session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = PasswordForm()
    if form.validate_on_submit():
        session = db_session()
        user = session.get(m.User, current_user.id)
        if not user.check_password(form.current.data):
            form.current.errors.append("The current password is wrong.")
        else:
            try:
                set_password(session, user, form.new.data, by=user)
            except AccountError as exc:
                form.new.errors.append(str(exc).split(": ", 1)[-1])
            else:
                session.commit()
                flash("Your password has been changed.", "success")
                return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)
