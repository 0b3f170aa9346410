"""The dashboard: the evaluations I take part in, with my role, stage and progress."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from rfp.areas.evaluations.queries import dashboard_rows
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.core.extensions import db_session

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.route("/")
def root():  # type: ignore[no-untyped-def]
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("dashboard.index"))


@bp.route("/evaluations")
@login_required
def index():  # type: ignore[no-untyped-def]
    session = db_session()
    rows = dashboard_rows(session, current_user)
    progress = progress_by_evaluation(session, [ev.id for ev, _ in rows])
    return render_template("dashboard/index.html", rows=rows, progress=progress)
