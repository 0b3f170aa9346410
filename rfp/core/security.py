"""Security headers on every response, set in one place (an after_request hook).

- Content-Security-Policy: scripts, styles, images and fonts come from the app itself
  only; no inline script, no inline event handler, no inline style attribute (the
  pages' behaviour lives in rfp/static/js); no plugin, no <base>, forms post to the app
  only, and no other site may frame a page (`frame-ancestors 'none'`, and the older
  X-Frame-Options: DENY for browsers that predate it).
- X-Content-Type-Options: nosniff, so that a download is never run as a page.
- Referrer-Policy: a vendor portal URL is a secret (/portal/<token>), and so is a
  set-your-password link (/account/set-password/<token>): those pages send no referrer
  at all; elsewhere only the origin leaves the app.
- Strict-Transport-Security when the app runs behind HTTPS (RFP_SECURE_COOKIES=1).
- Cache-Control: no-store on portal pages, so that a shared computer's cache does not
  keep a vendor's link or response.

And one check before every request: an address (path or query) with a control character
is refused with a 400 naming the parameter, before a view passes it to the database
(PostgreSQL refuses a NUL with an error). Forms check their own fields
(rfp.core.forms.CheckedForm), with the message under the field.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

from rfp.domain.control_characters import control_problem

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"
PORTAL_PREFIX = "/portal/"
SECRET_PREFIXES = (PORTAL_PREFIX, "/account/set-password")
# A file sent back as a download is never a page: nothing in it runs (documents area).
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def security_headers(path: str, *, https: bool) -> dict[str, str]:
    """The headers every response to `path` carries."""
    portal = path.startswith(PORTAL_PREFIX)
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer"
        if path.startswith(SECRET_PREFIXES)
        else "strict-origin-when-cross-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if portal:
        headers["Cache-Control"] = "no-store"
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def register_security_headers(app: Flask) -> None:
    https = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in security_headers(request.path, https=https).items():
            # A route that set a stricter header keeps it (a document download's
            # sandboxing policy, its private no-store caching).
            response.headers.setdefault(name, value)
        return response


def address_problem(path: str, query: dict[str, list[str]]) -> str | None:
    """Why a request's address is refused (a control character), or None."""
    problem = control_problem(path)
    if problem:
        return f"The address {problem}."
    for name, values in query.items():
        for text in (name, *values):
            problem = control_problem(text)
            if problem:
                return f"The address's parameter {name!r} {problem}."
    return None


def register_address_check(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters_in_the_address() -> None:
        problem = address_problem(request.path, request.args.to_dict(flat=False))
        if problem:
            abort(400, problem)
