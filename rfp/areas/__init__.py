"""Blueprints, one per area of the product, each with its forms beside it."""

from __future__ import annotations

from flask import Flask

from rfp import models as m
from rfp.core.extensions import db_session, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> m.User | None:
    """The account a session or remember-me cookie names ("<id>:<session token>", see
    User.get_id), while that token is its current one and the account is active."""
    ident, _, token = user_id.partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db_session().get(m.User, int(ident))
    if user is None or not user.is_active or not user.has_session_token(token):
        return None
    return user


# The areas' blueprints, in the order their templates are searched.
BLUEPRINT_MODULES = (
    "rfp.areas.accounts.routes",
    "rfp.areas.accounts.admin_routes",
    "rfp.areas.evaluations.dashboard_routes",
    "rfp.areas.evaluations.routes",
    "rfp.areas.criteria.routes",
    "rfp.areas.vendors.routes",
    "rfp.areas.people.routes",
    "rfp.areas.stages.routes",
    "rfp.areas.scorecards.routes",
    "rfp.areas.references.routes",
    "rfp.areas.consensus.routes",
    "rfp.areas.weights.routes",
    "rfp.areas.results.routes",
    "rfp.areas.pilot.routes",
    "rfp.areas.reports.routes",
    "rfp.areas.audit.routes",
    "rfp.areas.intake.portal_routes",
    "rfp.areas.intake.routes",
    "rfp.areas.mail.routes",
    # Issue 12: Q&A, addenda and documents (each with its pages in the vendor portal).
    "rfp.areas.clarifications.routes",
    "rfp.areas.clarifications.portal_routes",
    "rfp.areas.addenda.routes",
    "rfp.areas.addenda.portal_routes",
    "rfp.areas.documents.routes",
    "rfp.areas.documents.portal_routes",
    "rfp.areas.letters.routes",
)


def register(app: Flask) -> None:
    import importlib

    for name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(name).bp)


# Areas whose background jobs (rfp.core.jobs) register their kind when imported: the app
# imports them with its blueprints; `rfp worker` and `rfp run-jobs` through this.
JOB_AREAS = ("rfp.areas.reports",)


def register_job_kinds() -> None:
    import importlib

    for name in JOB_AREAS:
        importlib.import_module(name)
