"""Every route of the URL map answers with the security headers, whoever asks and
whatever the answer (a page, a redirect, a download, a refusal, the portal).

The routes come from the app's URL map through the authorization table (a route with
no row fails test_authorization_matrix first); each row is asked by the anonymous
visitor and by the role the row allows, so that allowed and refused answers are both
checked. POSTs send the table's harmless data: nothing is written.
"""

from __future__ import annotations

from typing import Any

import pytest

from rfp.core.security import CONTENT_SECURITY_POLICY, DOWNLOAD_POLICY, SECRET_PREFIXES
from tests.app.authorization_table import HARMLESS_JSON, HARMLESS_POSTS, OK, TABLE, Row
from tests.fixtures.demo_world import (
    build_world,
    fast_hashing_for_module,  # noqa: F401  (module fixture)
    make_app,
    module_database_url,
)

BROWSER_PAGES = {"text/html", "application/json"}


@pytest.fixture(scope="module")
def world(tmp_path_factory, worker_id, fast_hashing_for_module) -> Any:  # noqa: F811
    folder = tmp_path_factory.mktemp("headers")
    app = make_app(module_database_url(folder, "headers", worker_id), folder)
    built = build_world(app)
    yield built
    built.db.dispose()


def _ask(world: Any, role: str, row: Row) -> Any:
    client = world.client(role)
    url = world.url(world.rule(row.endpoint, row.method), row.stage)
    if row.method == "GET":
        response = client.get(url)
    elif row.endpoint in HARMLESS_JSON:
        response = client.post(url, json=HARMLESS_JSON[row.endpoint])
    else:
        response = client.post(url, data=HARMLESS_POSTS.get(row.endpoint, {}))
    response.close()
    return response


def _allowed_role(row: Row) -> str:
    return next(
        (r for r in ("lead", "admin", "evaluator", "viewer") if row.expected[r] == OK), "lead"
    )


def assert_security_headers(response: Any, path: str) -> None:
    headers = response.headers
    where = f"{path} ({response.status_code})"
    # A document download is sandboxed further (rfp.areas.documents.delivery).
    downloaded = (
        response.status_code == 200
        and "/documents/" in path
        and ("attachment" in headers.get("Content-Disposition", ""))
    )
    policy = DOWNLOAD_POLICY if downloaded else CONTENT_SECURITY_POLICY
    assert headers.get("Content-Security-Policy") == policy, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    expected_referrer = (
        "no-referrer" if path.startswith(SECRET_PREFIXES) else "strict-origin-when-cross-origin"
    )
    assert headers.get("Referrer-Policy") == expected_referrer, where
    # The test app runs without RFP_SECURE_COOKIES: no HSTS over plain HTTP.
    assert "Strict-Transport-Security" not in headers, where


@pytest.mark.parametrize("row", TABLE, ids=[row.id for row in TABLE])
def test_every_route_answers_with_the_security_headers(world, row):
    for role in ("anonymous", _allowed_role(row)):
        response = _ask(world, role, row)
        url = world.url(world.rule(row.endpoint, row.method), row.stage)
        assert_security_headers(response, url)


def test_the_policy_allows_no_inline_script_and_no_framing():
    directives = dict(
        part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_static_files_and_unknown_paths_carry_the_headers_too(world):
    client = world.client("anonymous")
    for path in ("/static/rfp.css", "/static/js/page.js", "/no/such/page", "/portal/not-a-token"):
        response = client.get(path)
        response.close()
        assert_security_headers(response, path)


def test_a_portal_page_is_not_cached_and_sends_no_referrer(world):
    ids = world.at("open")
    response = world.client("anonymous").get(f"/portal/{ids.token}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_when_secure_cookies_are_on(tmp_path, monkeypatch):
    from rfp import create_app

    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("RFP_SECURE_COOKIES", "1")
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}
    )
    try:
        response = app.test_client().get("/login", base_url="https://localhost")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        app.extensions["rfp.core.db"].dispose()


def test_no_template_holds_inline_script_event_handlers_or_style_attributes():
    """The policy would block them: behaviour lives in rfp/static/js (a JSON data block,
    <script type="application/json">, is data and allowed)."""
    import re
    from pathlib import Path

    import rfp

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    style_attribute = re.compile(r"\sstyle\s*=", re.I)
    offenders = []
    for path in sorted(Path(rfp.__file__).parent.rglob("*.html")):
        text = path.read_text()
        for name, pattern in (
            ("inline script", inline_script),
            ("event handler", handler),
            ("style attribute", style_attribute),
        ):
            offenders += [f"{path}: {name}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert not offenders, "\n".join(offenders)
