"""Error pages in the app's look (HTML), or JSON for API requests.

An error page never needs the database: when the request failed on it, the page frame
(which shows the logged-in user) would fail again, so the page falls back to a frame
that reads nothing (errors/bare.html), and a database that does not answer is a 503.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from rfp.core.finite_json import NotFiniteFigure

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Not possible at this stage",
    413: "File too large",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}

EXPLANATIONS = {
    400: "The request could not be understood. Go back and try again.",
    403: "Your role in this evaluation does not allow this.",
    404: "There is nothing here, or it is not yours to see.",
    409: "The evaluation's stage does not allow this change.",
    413: "The file is larger than the upload limit.",
    500: "The error has been logged. Nothing was saved.",
    503: "The database is not answering. Nothing was saved: try again in a minute.",
}
# Errors that say the database is away (refused, dropped, locked, out of connections),
# not that the request was wrong.
DATABASE_AWAY = (sa.OperationalError, sa.InterfaceError, sa.TimeoutError, sa.DisconnectionError)
RACE = (
    "Someone else saved the same thing at the same moment. Nothing of yours was saved: "
    "reload the page and try again."
)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(
    code: int, description: str | None = None, *, bare: bool = False, title: str = ""
) -> tuple[Response | str, int]:
    """The error page (or JSON) for `code`. `bare`: without the page frame, which reads
    the logged-in user from the database; used anyway when the frame fails."""
    title = title or TITLES.get(code, "Error")
    detail = description or EXPLANATIONS.get(code, "")
    if _wants_json():
        return jsonify({"error": title, "detail": detail, "status": code}), code
    if not bare:
        try:
            return render_template("errors/error.html", code=code, title=title, detail=detail), code
        except Exception:  # noqa: BLE001 - the frame needed the database; show the bare page
            current_app.logger.exception("The error page's frame failed on %s", request.path)
    # Straight from the Jinja environment: render_template runs the context processors,
    # and Flask-Login's loads the logged-in user from the database.
    page = current_app.jinja_env.get_template("errors/bare.html")
    return page.render(code=code, title=title, detail=detail), code


def _unique_violation(error: Exception) -> bool:
    """A unique constraint refused a row (a race), as opposed to another integrity error
    (a missing parent, a NULL: a bug, answered 500 and logged with its traceback)."""
    if not isinstance(error, sa.IntegrityError):
        return False
    orig = error.orig
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)


def _roll_back_the_session(*, drop: bool) -> None:
    """Roll back the request's session after a database error, so that nothing later in
    the request (the error page, teardown) reuses a broken transaction; `drop` it too
    when the database is away (the logged-in user then cannot be read again)."""
    session = g.get("db_session")
    if session is None:
        return
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; nothing is left to undo
        session.invalidate()
        drop = True
    if drop:
        g.pop("db_session", None)
        session.close()


def register_errorhandlers(app: Flask) -> None:
    def handle_http(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if code == 401:
            from flask import redirect, url_for

            if not _wants_json():
                return redirect(url_for("auth.login", next=request.full_path))
        description = error.description if code in (400, 409, 413) else None
        # Werkzeug's generic descriptions are not written for our users.
        if description and description.startswith(("The browser (or proxy)", "The data value")):
            description = None
        return render_error(code, description)

    def handle_csrf(error: CSRFError) -> ResponseReturnValue:
        return render_error(
            400,
            "The form has expired or is missing its security token. "
            "Reload the page and submit again.",
        )

    def handle_unexpected(error: Exception) -> ResponseReturnValue:
        if isinstance(error, HTTPException):
            return handle_http(error)
        if isinstance(error, sa.SQLAlchemyError):
            _roll_back_the_session(drop=isinstance(error, DATABASE_AWAY))
        if isinstance(error, DATABASE_AWAY):
            app.logger.error("The database did not answer on %s: %s", request.path, error)
            response, code = render_error(503, bare=True)
            return response, code, {"Retry-After": "30"}
        if isinstance(error, StaleDataError) or _unique_violation(error):
            # A unique row written twice at once (two tabs, two people), or a versioned row
            # changed by someone else between this request's read and its write
            # (rfp.core.versions): a conflict, not a crash. The save that lost wrote nothing.
            app.logger.warning("Conflicting write on %s: %s", request.path, error)
            return render_error(409, RACE, title="Saved twice at once")
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(500)

    def handle_not_finite(error: NotFiniteFigure) -> ResponseReturnValue:
        app.logger.error("Not sent on %s: %s", request.path, error)
        return render_error(500, str(error))

    app.register_error_handler(NotFiniteFigure, handle_not_finite)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
