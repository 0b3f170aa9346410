"""Helpers of the browser tests (the fixtures are in conftest.py): where the browser is,
how it is launched, and logging in through the form."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rfp.core.db import Database

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "rfp-demo-2027"


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("RFP_REQUIRE_E2E"):
        pytest.fail(f"{CHROMIUM} is missing and RFP_REQUIRE_E2E is set")
    pytest.skip(f"{CHROMIUM} is not installed")


@dataclass
class LiveServer:
    base: str  # http://127.0.0.1:<port>
    app: Any
    db: Database


def log_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
