"""Log in, log out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from rfp.areas.accounts import operations as ops
from rfp.areas.accounts.forms import LoginForm, PasswordForm
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit

bp = Blueprint("auth", __name__, template_folder="templates")


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
        done = commit(
            lambda: ops.log_in(db_session(), form.username.data, form.password.data), form
        )
        if done:
            login_user(done.value, remember=form.remember.data)
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
        user = current_user._get_current_object()
        done = commit(
            lambda: ops.change_own_password(db_session(), user, form.current.data, form.new.data),
            form,
        )
        if done:
            flash("Your password has been changed.", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)
