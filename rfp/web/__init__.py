"""Blueprints, one per area of the product, each with its forms beside it."""

from __future__ import annotations

from flask import Flask

from .. import models as m
from ..extensions import db_session, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> m.User | None:
    if not user_id.isdigit():
        return None
    user = db_session().get(m.User, int(user_id))
    return user if user is not None and user.is_active else None


def register(app: Flask) -> None:
    from . import admin, auth, dashboard

    for module in (auth, admin, dashboard):
        app.register_blueprint(module.bp)
    for name in OPTIONAL_BLUEPRINTS:
        module = _optional(name)
        if module is not None:
            app.register_blueprint(module.bp)


# Areas built in their own modules; each exposes `bp`.
OPTIONAL_BLUEPRINTS = (
    "evaluations",
    "criteria",
    "vendors",
    "members",
    "stages",
    "scorecards",
    "references",
    "consensus",
    "results",
    "audit",
    "reports",
    "portal",
    "intake",
    "decision",
)


def _optional(name: str):  # type: ignore[no-untyped-def]
    import importlib
    import importlib.util

    if importlib.util.find_spec(f"{__name__}.{name}") is None:
        return None
    return importlib.import_module(f"{__name__}.{name}")
