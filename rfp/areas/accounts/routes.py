"""Log in, log out, change password; ask for a new password by e-mail and set one with
the link an invitation or a reset carries."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from rfp import models as m
from rfp.areas.accounts import operations as ops
from rfp.areas.accounts import password_links
from rfp.areas.accounts.forms import ForgotPasswordForm, LoginForm, PasswordForm, SetPasswordForm
from rfp.core.extensions import db_session
from rfp.core.refusal import INVALID
from rfp.core.throttle import login_throttle
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import TokenPurpose

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login form cannot be an open redirect."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("dashboard.index")
    return target


def lockout_policy() -> ops.LockoutPolicy:
    config = current_app.config
    return ops.LockoutPolicy(config["RFP_LOCKOUT_AFTER"], config["RFP_LOCKOUT_MINUTES"])


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{-(-seconds // 60)} minutes"


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """Log in. Wrong passwords are slowed down per account and per address (429 with
    the time to wait), and enough of them in a row lock the account (429 too, until
    the lock runs out or an administrator lifts it)."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    username, address = form.username.data, request.remote_addr or ""
    throttle = login_throttle()
    wait = throttle.wait_seconds(username, address)
    if wait:
        form.password.errors = [
            f"Too many failed log-ins: wait {_wait_text(wait)} before trying again."
        ]
        response = current_app.make_response((render_template("auth/login.html", form=form), 429))
        response.headers["Retry-After"] = str(wait)
        return response
    done = commit(lambda: ops.log_in(db_session(), username, form.password.data), form)
    if done:
        throttle.clear(username)
        login_user(done.value, remember=form.remember.data)
        return redirect(_safe_next(request.args.get("next")))
    if done.refused.kind == INVALID:
        throttle.failed(username, address)
        locked = commit(
            lambda: ops.note_failed_login(db_session(), username, lockout_policy(), address=address)
        ).value
        if locked is None:
            return render_template("auth/login.html", form=form)
        form.password.errors = [ops.locked_message(locked)]
    # The account is locked (now, or already).
    return render_template("auth/login.html", form=form), 429


def _current_user() -> m.User:
    return db_session().get(m.User, current_user.id)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():  # type: ignore[no-untyped-def]
    """Log out: the account's session token changes, so no copy of this session's
    cookies (nor a remember-me cookie) logs anyone in again."""
    user = _current_user()
    commit(lambda: ops.end_sessions(db_session(), user))
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account():  # type: ignore[no-untyped-def]
    return render_template("auth/account.html", user=_current_user())


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_sessions():  # type: ignore[no-untyped-def]
    """Log out of every session of the account, on every computer (audited)."""
    user = _current_user()
    commit(lambda: ops.end_sessions(db_session(), user, everywhere=True))
    logout_user()
    flash("Every session of your account has ended, on every computer. Log in again.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = PasswordForm()
    if form.validate_on_submit():
        user = _current_user()
        done = commit(
            lambda: ops.change_own_password(db_session(), user, form.current.data, form.new.data),
            form,
        )
        if done:
            # Every other session ended with the new password; this one goes on, with
            # the account's new session token (and a remember-me cookie if it had one).
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)
            remembered = cookie in request.cookies
            login_user(user, remember=remembered)
            flash("Your password has been changed. Your other sessions have ended.", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)


# -- a new password by e-mail ----------------------------------------------------------------

# The link's token, between opening the link and setting the password: kept in the
# (signed) session cookie so that the page the form is on has no secret in its address,
# and a referrer or a log of that page gives nothing away.
LINK_IN_SESSION = "set_password_link"


def _private(page: str | Response) -> Response:
    response = page if isinstance(page, Response) else Response(page)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/account/forgot-password", methods=["GET", "POST"])
def forgot_password():  # type: ignore[no-untyped-def]
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        address = form.email.data.strip()
        commit(lambda: ops.request_password_reset(db_session(), address, request.remote_addr or ""))
        # The same answer whether an account uses the address or not.
        flash(
            f"If an account uses {address}, a link to set a new password is on its way. "
            f"It works once, for {_minutes_of_a_reset()} minutes.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _minutes_of_a_reset() -> int:
    return round(password_links.lifetime(TokenPurpose.PASSWORD_RESET).total_seconds() / 60)


@bp.route("/account/set-password/<token>")
def set_password_link(token: str):  # type: ignore[no-untyped-def]
    """The link of a message: nothing is spent by opening it (mail scanners follow
    links); the token waits in the session for the form."""
    session[LINK_IN_SESSION] = token[:100]
    return _private(redirect(url_for("auth.set_password")))


@bp.route("/account/set-password", methods=["GET", "POST"])
def set_password():  # type: ignore[no-untyped-def]
    token = session.get(LINK_IN_SESSION, "")
    link = password_links.usable_link(db_session(), token) if token else None
    if link is None:
        return _private(render_template("auth/set_password.html", form=None, link=None))
    form = SetPasswordForm()
    if form.validate_on_submit():
        done = commit(
            lambda: ops.set_password_by_link(db_session(), token, form.password.data), form
        )
        if done and done.value is not None:
            session.pop(LINK_IN_SESSION, None)
            user, evaluation_id = done.value.user, done.value.evaluation_id
            logout_user()
            login_user(user)
            flash("Your password is set. You are logged in.", "success")
            if evaluation_id is not None:
                return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))
            return redirect(url_for("dashboard.index"))
    return _private(render_template("auth/set_password.html", form=form, link=link))
