"""`rfp serve` logs each request, but never a vendor portal token: a log line with one
would be a working link to a vendor's response."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from rfp.core.redaction import redact

TOKEN = "Zq9-secret-portal-token-4fJx8"


def test_portal_tokens_are_replaced_in_a_request_line():
    assert (
        redact(f"GET /portal/{TOKEN}/questionnaire.xlsx?x=1 HTTP/1.1")
        == "GET /portal/[token]/questionnaire.xlsx?x=1 HTTP/1.1"
    )
    assert redact(f"POST /portal/{TOKEN} HTTP/1.1") == "POST /portal/[token] HTTP/1.1"
    assert redact("GET /evaluations/3/intake HTTP/1.1") == "GET /evaluations/3/intake HTTP/1.1"
    assert redact(redact(f"GET /portal/{TOKEN} HTTP/1.1")) == "GET /portal/[token] HTTP/1.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_rfp_serve_does_not_write_portal_tokens_to_its_request_log(tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "RFP_ENV": "development",
        "RFP_INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}",
        "EXPORT_DIR": str(tmp_path / "exports"),
    }
    env.pop("SECRET_KEY", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "rfp.cli", "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(f"{base}/login")
                    break
                except OSError:
                    assert server.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "rfp serve did not start"
                    time.sleep(0.2)
            assert _get(f"{base}/portal/{TOKEN}") == 404
            assert _get(f"{base}/portal/{TOKEN}/questionnaire.xlsx") == 404
            assert _get(f"{base}/login?from=/portal/{TOKEN}") == 200
        finally:
            server.terminate()
            server.wait(10)
    text = log.read_text()
    assert "GET /portal/[token] HTTP/1.1" in text  # the requests were logged ...
    assert "GET /portal/[token]/questionnaire.xlsx HTTP/1.1" in text
    assert "GET /login?from=/portal/[token] HTTP/1.1" in text
    assert TOKEN not in text  # ... without the secret
