"""Fixtures of the browser tests: the app served by a real HTTP server, and Chromium.

The app runs in a thread (werkzeug's `make_server` on a free port) on a temporary
SQLite database, with CSRF checks on as in production. The browser is Debian's
chromium driven by Playwright; the tests skip when it is missing, unless
RFP_REQUIRE_E2E is set (CI), where a missing browser fails them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rfp.core.db import Base
from tests.fixtures.browser import BROWSER_ARGS, CHROMIUM, CspWatch, LiveServer, require_chromium


@pytest.fixture
def live_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """The app on an empty database (latest schema), served over HTTP."""
    require_chromium()
    from werkzeug.serving import make_server

    from rfp import create_app

    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
            "EXPORT_DIR": str(tmp_path / "exports"),
        }
    )
    db = app.extensions["rfp.core.db"]
    Base.metadata.create_all(db.engine)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(base=f"http://127.0.0.1:{server.server_port}", app=app, db=db)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
        db.dispose()


@pytest.fixture
def browser(live_server: LiveServer) -> Iterator[Any]:
    """Headless Chromium (Debian's; never a downloaded one), watched for violations of
    the Content-Security-Policy: every page of every test that uses it fails the test
    at its end if the browser refused an inline script, handler or style, or anything
    from another origin (see CspWatch)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        watched = CspWatch(launched)
        try:
            yield watched
            assert not watched.violations, "Content-Security-Policy violations:\n" + "\n".join(
                watched.violations
            )
        finally:
            launched.close()
