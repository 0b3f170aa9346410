"""Unbound extensions, initialised by create_app()."""

from __future__ import annotations

from flask import Flask, current_app, g
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session

from rfp.core.db import Database

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to continue."
login_manager.login_message_category = "info"
csrf = CSRFProtect()


def init_database(app: Flask) -> Database:
    database = Database(app.config["DATABASE_URL"])
    app.extensions["rfp.core.db"] = database
    app.teardown_appcontext(_close_session)
    return database


def database() -> Database:
    return current_app.extensions["rfp.core.db"]


def db_session() -> Session:
    """The request's session. The view commits once; teardown rolls back what is left."""
    if "db_session" not in g:
        g.db_session = database().session()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
