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


def init_jobs(app: Flask, database: Database) -> None:
    """Background jobs (rfp.core.jobs): the runner the config names. The worker thread
    starts with the first request of each process (so that a server that forks its
    workers after loading the app gets one thread per worker)."""
    from rfp.core import jobs

    dispatcher = jobs.dispatcher_for_config(database, app.config)
    jobs.set_dispatcher(database, dispatcher)
    app.extensions["rfp.jobs"] = dispatcher
    if isinstance(dispatcher, jobs.ThreadDispatcher):
        app.before_request(dispatcher.start)


def database() -> Database:
    found = current_app.extensions["rfp.core.db"]
    assert isinstance(found, Database)  # init_database put it there
    return found


def db_session() -> Session:
    """The request's session. The view commits once; teardown rolls back what is left."""
    if "db_session" not in g:
        g.db_session = database().session()
    session = g.db_session
    assert isinstance(session, Session)  # only the line above sets it
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
