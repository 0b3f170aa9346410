"""Error pages in the app's look (HTML), or JSON for API requests."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
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
}

EXPLANATIONS = {
    400: "The request could not be understood. Go back and try again.",
    403: "Your role in this evaluation does not allow this.",
    404: "There is nothing here, or it is not yours to see.",
    409: "The evaluation's stage does not allow this change.",
    413: "The file is larger than the upload limit.",
    500: "The error has been logged. Nothing was saved.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(code: int, description: str | None = None):  # type: ignore[no-untyped-def]
    title = TITLES.get(code, "Error")
    detail = description or EXPLANATIONS.get(code, "")
    if _wants_json():
        return jsonify({"error": title, "detail": detail, "status": code}), code
    return render_template("errors/error.html", code=code, title=title, detail=detail), code


def register_errorhandlers(app: Flask) -> None:
    def handle_http(error: HTTPException):  # type: ignore[no-untyped-def]
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

    def handle_csrf(error: CSRFError):  # type: ignore[no-untyped-def]
        return render_error(
            400,
            "The form has expired or is missing its security token. "
            "Reload the page and submit again.",
        )

    def handle_unexpected(error: Exception):  # type: ignore[no-untyped-def]
        if isinstance(error, HTTPException):
            return handle_http(error)
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(500)

    def handle_not_finite(error: NotFiniteFigure):  # type: ignore[no-untyped-def]
        app.logger.error("Not sent on %s: %s", request.path, error)
        return render_error(500, str(error))

    app.register_error_handler(NotFiniteFigure, handle_not_finite)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
