"""Revocable sessions (issue 14): the session and remember-me cookies name the account's
session token, which a log-out, "log out of all sessions", a password change and a
deactivation replace; the remember-me cookie lasts 14 days with the session cookie's
flags; an unknown username costs a password check like a real one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from tests.fixtures.evaluations import audit

PASSWORD = "rfp-demo-2027"
NEW_PASSWORD = "a-brand-new-password"
REMEMBER = "remember_token"


def logged_in(client: Any) -> bool:
    """A page only a logged-in person gets (else: a redirect to the login page)."""
    response = client.get("/account/password")
    return response.status_code == 200


def log_in(client: Any, username: str = "dana", *, remember: bool = False) -> None:
    data = {"username": username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def a_browser_with(app: Any, **cookies: str) -> Any:
    """A new client holding only copies of the given cookies (what a thief would have)."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def copied_cookies(client: Any, *names: str) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in names}


def a_laptop_remembered(app: Any, username: str = "dana") -> tuple[Any, dict[str, str]]:
    """Another browser of the same person, logged in with "Keep me logged in", and a copy
    of its remember-me cookie."""
    laptop = app.test_client()
    log_in(laptop, username, remember=True)
    return laptop, copied_cookies(laptop, REMEMBER)


def test_a_copied_session_cookie_stops_working_after_logout(app, client, demo):
    log_in(client)
    copy = a_browser_with(app, **copied_cookies(client, "session"))
    assert logged_in(copy)  # the copy works while the session lasts
    client.post("/logout")
    assert not logged_in(copy)
    assert not logged_in(client)


def test_a_remember_me_cookie_stops_working_after_logout(app, client, demo):
    log_in(client, remember=True)
    remembered = copied_cookies(client, REMEMBER)
    assert logged_in(a_browser_with(app, **remembered))  # it logs a new browser in
    client.post("/logout")
    assert not logged_in(a_browser_with(app, **remembered))


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, client, db, demo):
    log_in(client)
    laptop, remembered = a_laptop_remembered(app)
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert logged_in(client)
    assert not logged_in(laptop)
    assert not logged_in(a_browser_with(app, **remembered))


def test_deactivating_an_account_ends_its_sessions(app, client, db, demo):
    dana, remembered = a_laptop_remembered(app)
    with db.transaction() as s:
        user = s.scalar(select(m.User).where(m.User.username == "dana"))
        target = {"username": user.username, "name": user.name, "email": user.email or ""}
    log_in(client, "admin")
    response = client.post(f"/admin/users/{user.id}", data=target)  # "active" unticked
    assert response.status_code == 302
    assert not logged_in(dana)
    with db.transaction() as s:  # reactivated, the old cookies still do nothing
        s.scalar(select(m.User).where(m.User.username == "dana")).active = True
    assert not logged_in(dana)
    assert not logged_in(a_browser_with(app, **remembered))


def test_log_out_of_all_sessions_ends_them_everywhere_and_is_audited(app, client, demo, db):
    log_in(client)
    laptop, remembered = a_laptop_remembered(app)
    page = client.get("/account").data.decode()
    assert "Log out of all sessions" in page
    response = client.post("/account/sessions/end")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert not logged_in(client)
    assert not logged_in(laptop)
    assert not logged_in(a_browser_with(app, **remembered))
    assert [e.target for e in audit(db, "user.sessions_ended")] == ["dana"]
    log_in(client)  # the password still works
    assert logged_in(client)


def test_a_cookie_of_the_old_kind_names_no_one(app, demo, login_as, db):
    """Before issue 14 the session held the bare account id: such a cookie is refused."""
    browser = app.test_client()
    with db.transaction() as s:
        dana_id = s.scalar(select(m.User.id).where(m.User.username == "dana"))
    with browser.session_transaction() as session:
        session["_user_id"] = str(dana_id)
        session["_fresh"] = True
    assert not logged_in(browser)


def set_cookie_headers(response: Any, name: str) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}="))


@pytest.fixture
def secure_client(database_url, tmp_path, monkeypatch, demo):  # type: ignore[no-untyped-def]
    from rfp import create_app

    monkeypatch.setenv("RFP_SECURE_COOKIES", "1")
    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / "secure"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "EXPORT_DIR": str(tmp_path / "exports"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    yield app.test_client()
    app.extensions["rfp.core.db"].dispose()


def test_the_remember_me_cookie_has_the_session_cookies_flags_and_lasts_14_days(secure_client):
    response = secure_client.post(
        "https://localhost/login", data={"username": "dana", "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    for name in ("session", REMEMBER):
        header = set_cookie_headers(response, name)
        flags = {part.strip().split("=")[0].lower() for part in header.split(";")}
        assert {"secure", "httponly"} <= flags, header
        assert "SameSite=Lax" in header, header
    header = set_cookie_headers(response, REMEMBER)
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert timedelta(days=13) < expires - datetime.now(UTC) <= timedelta(days=14)


def test_the_remember_me_cookie_differs_after_a_logout(client, demo):
    log_in(client, remember=True)
    first = client.get_cookie(REMEMBER).value
    client.post("/logout")
    log_in(client, remember=True)
    assert client.get_cookie(REMEMBER).value != first


# -- the time a log-in takes does not tell whether the account exists -------------------------


@pytest.fixture
def password_checks(monkeypatch):  # type: ignore[no-untyped-def]
    """Every password hash checked, counted (the check itself still runs)."""
    from rfp.models import users

    checked: list[str] = []
    real = users.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(users, "check_password_hash", counting)
    return checked


@pytest.mark.parametrize(
    "username",
    ["nobody-at-all", "dana", "invited"],
    ids=["unknown account", "real account, wrong password", "account with no password yet"],
)
def test_every_failed_log_in_checks_one_password_hash(client, demo, password_checks, username):
    from tests.fixtures.evaluations import make_user

    make_user(client.application.extensions["rfp.core.db"], "invited", password=False)
    response = client.post("/login", data={"username": username, "password": "wrong-password"})
    assert response.status_code == 200
    assert len(password_checks) == 1
    # Hashed by the same method as the accounts' own hashes (the same cost).
    assert password_checks[0] == "pbkdf2:sha256:1000"
