"""End to end in a real browser (issue 14): Dana ticks "Keep me logged in" on her
laptop; someone copies that browser's cookies into another; from a third browser Dana
uses "Log out of all sessions" on her account page, and the copy, the laptop and the
remember-me cookie are all logged out."""

from __future__ import annotations

from typing import Any

import pytest

from rfp.demo import load_demo
from tests.fixtures.browser import PASSWORD, LiveServer, log_in

pytestmark = pytest.mark.e2e


def is_logged_in(page: Any, base: str) -> bool:
    page.goto(f"{base}/account")
    return "/login" not in page.url


def test_log_out_of_all_sessions_ends_a_remembered_laptop_and_a_copy_of_its_cookies(
    live_server: LiveServer, browser: Any, tmp_path
):
    base = live_server.base
    with live_server.db.transaction() as s:
        load_demo(s)
    laptop = browser.new_context()
    page = laptop.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "dana")
    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=remember]")
    page.click("button:has-text('Log in')")
    page.wait_for_url(lambda url: "/login" not in url)
    cookies = laptop.cookies()
    assert {c["name"] for c in cookies} >= {"session", "remember_token"}
    remember = next(c for c in cookies if c["name"] == "remember_token")
    assert remember["httpOnly"] and remember["sameSite"] == "Lax"

    thief = browser.new_context()
    thief.add_cookies(cookies)
    stolen = thief.new_page()
    assert is_logged_in(stolen, base)

    office = browser.new_page()
    log_in(office, base, "dana")
    office.goto(f"{base}/account")
    office.screenshot(path=str(tmp_path / "account.png"), full_page=True)
    office.click("button:has-text('Log out of all sessions')")
    office.wait_for_url(f"{base}/login")
    assert "Every session of your account has ended" in office.content()

    assert not is_logged_in(stolen, base)
    assert not is_logged_in(page, base)
    only_remembered = browser.new_context()
    only_remembered.add_cookies([remember])
    assert not is_logged_in(only_remembered.new_page(), base)
