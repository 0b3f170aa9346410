"""Blueprints, one per area of the product, each with its forms beside it."""

from __future__ import annotations

from flask import Flask

from rfp import models as m
from rfp.extensions import db_session, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> m.User | None:
    if not user_id.isdigit():
        return None
    user = db_session().get(m.User, int(user_id))
    return user if user is not None and user.is_active else None


def register(app: Flask) -> None:
    from rfp.web import (
        admin,
        audit,
        auth,
        consensus,
        criteria,
        dashboard,
        decision,
        evaluations,
        intake,
        members,
        portal,
        references,
        reports,
        results,
        scorecards,
        stages,
        vendors,
    )

    for module in (
        auth,
        admin,
        dashboard,
        evaluations,
        criteria,
        vendors,
        members,
        stages,
        scorecards,
        references,
        consensus,
        decision,
        results,
        reports,
        audit,
        portal,
        intake,
    ):
        app.register_blueprint(module.bp)
