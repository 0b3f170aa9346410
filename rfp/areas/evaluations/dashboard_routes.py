"""The dashboard: the evaluations I take part in, with my role, stage and progress."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from rfp import models as m
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
    if current_user.is_admin:
        rows = [
            (ev, None)
            for ev in session.scalars(
                select(m.Evaluation).order_by(
                    m.Evaluation.created_at.desc(), m.Evaluation.id.desc()
                )
            )
        ]
        mine = {
            ms.evaluation_id: ms
            for ms in session.scalars(
                select(m.Membership).where(m.Membership.user_id == current_user.id)
            )
        }
        rows = [(ev, mine.get(ev.id)) for ev, _ in rows]
    else:
        # Rows unpack like tuples (Result.tuples() is deprecated since SQLAlchemy 2.1).
        rows = [
            (evaluation, membership)
            for evaluation, membership in session.execute(
                select(m.Evaluation, m.Membership)
                .join(m.Membership, m.Membership.evaluation_id == m.Evaluation.id)
                .where(m.Membership.user_id == current_user.id)
                .where((m.Membership.role != "evaluator") | m.Membership.active.is_(True))
                .order_by(m.Evaluation.created_at.desc(), m.Evaluation.id.desc())
            )
        ]
    progress = progress_by_evaluation(session, [ev.id for ev, _ in rows])
    return render_template("dashboard/index.html", rows=rows, progress=progress)
