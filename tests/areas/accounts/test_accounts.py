"""Accounts: logging in, changing one's password, and the administrator's accounts
(creating, editing, refusing what would lock them out), each refusal under its field."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from tests.fixtures.evaluations import audit, make_user
from tests.fixtures.setup import count

NEW_PASSWORD = "a-brand-new-password"


def user_named(db: Any, username: str) -> m.User | None:
    with db.transaction() as s:
        return s.scalar(select(m.User).where(m.User.username == username))


def error_under(page: str, label: str) -> str:
    """The error messages shown in the field labelled `label`."""
    start = re.search(rf">\s*{label}", page).start()
    end = page.find('<div class="field', start)
    errors = re.findall(r'<p class="error"[^>]*>([^<]*)</p>', page[start:end])
    return html.unescape(" ".join(errors))


# -- logging in ----------------------------------------------------------------------------


def test_logging_in_notes_the_time_and_follows_a_local_next(client, db, demo):
    assert user_named(db, "morgan").last_login_at is None
    response = client.post(
        "/login?next=/evaluations", data={"username": " Morgan ", "password": "rfp-demo-2027"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/evaluations"
    assert user_named(db, "morgan").last_login_at is not None


def test_a_next_to_another_site_is_not_followed(client, demo):
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "morgan", "password": "rfp-demo-2027"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_an_inactive_account_cannot_log_in(client, db, demo):
    with db.transaction() as s:
        s.scalar(select(m.User).where(m.User.username == "dana")).active = False
    response = client.post("/login", data={"username": "dana", "password": "rfp-demo-2027"})
    assert response.status_code == 200
    assert "Unknown username or wrong password." in error_under(response.data.decode(), "Password")
    assert user_named(db, "dana").last_login_at is None


# -- one's own password ----------------------------------------------------------------------


def test_a_password_is_changed_with_the_current_one_and_audited(client, auth, db, demo):
    auth.login("dana")
    wrong = client.post(
        "/account/password",
        data={"current": "not-my-password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "The current password is wrong." in error_under(wrong.data.decode(), "Current password")
    assert audit(db, "user.password_set") == []

    done = client.post(
        "/account/password",
        data={"current": "rfp-demo-2027", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert user_named(db, "dana").check_password(NEW_PASSWORD)
    [event] = audit(db, "user.password_set")
    assert event.target == "dana"
    auth.logout()
    auth.login("dana", NEW_PASSWORD)


# -- the administrator's accounts --------------------------------------------------------------


def _account(**changes: Any) -> dict[str, Any]:
    data = {
        "username": "sam",
        "name": "Sam Lee",
        "email": "sam@fernbrook.example",
        "password": NEW_PASSWORD,
        "active": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_admin_creates_an_account(client, auth, db, demo):
    auth.login("admin")
    response = client.post("/admin/users/new", data=_account(active=None, is_admin="y"))
    assert response.status_code == 302
    sam = user_named(db, "sam")
    assert (sam.name, sam.email, sam.is_admin, sam.active) == (
        "Sam Lee",
        "sam@fernbrook.example",
        True,
        False,
    )
    assert sam.check_password(NEW_PASSWORD)
    [event] = audit(db, "user.created")
    assert event.new == {"admin": True}


@pytest.mark.parametrize(
    ("changes", "label", "message"),
    [
        ({"password": ""}, "Password", "A new account needs a password."),
        ({"username": "DANA"}, "Username", "'DANA' is already taken"),
        ({"email": "DANA@fernbrook.example"}, "E-mail", "is already used by another account"),
    ],
)
def test_a_new_account_is_refused_under_the_field_at_fault(
    client, auth, db, demo, changes, label, message
):
    with db.transaction() as s:
        s.scalar(select(m.User).where(m.User.username == "dana")).email = "dana@fernbrook.example"
    users = count(db, m.User)
    auth.login("admin")
    response = client.post("/admin/users/new", data=_account(**changes))
    assert response.status_code == 200
    assert message in error_under(response.data.decode(), label)
    assert count(db, m.User) == users
    assert audit(db, "user.created") == []


def test_the_admin_edits_an_account_and_the_change_is_audited(client, auth, db, demo):
    elena = make_user(db, "elena")
    auth.login("admin")
    response = client.post(
        f"/admin/users/{elena}",
        data={"username": "elena", "name": "Elena Brooks", "active": "y", "password": ""},
    )
    assert response.status_code == 302
    [event] = audit(db, "user.updated")
    assert event.old["name"] == "Elena Brooks (CFO)" and event.new["name"] == "Elena Brooks"
    assert audit(db, "user.password_set") == []  # an empty password keeps the current one

    client.post(
        f"/admin/users/{elena}",
        data={"username": "elena", "name": "Elena Brooks", "active": "y", "password": NEW_PASSWORD},
    )
    assert user_named(db, "elena").check_password(NEW_PASSWORD)
    assert len(audit(db, "user.password_set")) == 1
    assert len(audit(db, "user.updated")) == 1  # the profile did not change


@pytest.mark.parametrize(
    ("who", "changes", "label", "message"),
    [
        ("elena", {"username": "Dana"}, "Username", "'Dana' is already taken"),
        ("elena", {"email": "dana@fernbrook.example"}, "E-mail", "used by another account"),
        ("admin", {"is_admin": None}, "Administrator", "cannot remove your own administrator"),
        ("admin", {"active": None}, "Administrator", "or deactivate yourself"),
    ],
)
def test_an_edit_is_refused_under_the_field_at_fault(
    client, auth, db, demo, who, changes, label, message
):
    with db.transaction() as s:
        s.scalar(select(m.User).where(m.User.username == "dana")).email = "dana@fernbrook.example"
    target = user_named(db, who)
    auth.login("admin")
    data = {
        "username": target.username,
        "name": "Renamed",
        "active": "y",
        "is_admin": "y" if target.is_admin else None,
        **changes,
    }
    response = client.post(
        f"/admin/users/{target.id}", data={k: v for k, v in data.items() if v is not None}
    )
    assert response.status_code == 200
    assert message in error_under(response.data.decode(), label)
    assert user_named(db, who).name == target.name
    assert audit(db, "user.updated") == []
