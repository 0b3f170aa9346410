"""The password policy and the username rule (issue 14): one function each, and every
place that sets a password or names an account goes through it (the administrator's
form, changing one's password, a set-your-password link, the lead's "new account" on
the people page; `rfp create-user` in tests/cli)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core import credentials, jobs
from rfp.core.refusal import Refused
from tests.areas.accounts.test_accounts import error_under
from tests.areas.accounts.test_password_links import _invited_omar, _path
from tests.fixtures.mail import links_in

# -- passwords ---------------------------------------------------------------------------------

WEAK = [
    ("short-pw", "must be at least 10 characters"),
    ("1234567890", "is one of the most common passwords"),
    ("          ", "cannot be only spaces"),
    ("\t\t\t\t\t\t\t\t\t\t\t", "cannot be only spaces"),
    ("Password123", "is one of the most common passwords"),
    ("QWERTYUIOP", "is one of the most common passwords"),
    ("Summer2025!", "is one of the most common passwords"),
    ("dana-whitfield-2027", "cannot contain the username"),
    ("xx-DANA-WHITFIELD", "cannot contain the username"),
]


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_a_weak_password_is_refused_with_the_reason(password, message):
    with pytest.raises(Refused) as refused:
        credentials.check_password(password, username="dana-whitfield", field="new")
    assert refused.value.field == "new"
    assert message in refused.value.message


@pytest.mark.parametrize("password", ["rfp-demo-2027", "correct horse battery", "ana-is-here-22"])
def test_a_sound_password_is_accepted(password):
    # "ana" is in "ana-is-here-22", but a username shorter than 3 letters is not looked
    # for inside a password; "ab"'s is this test's.
    credentials.check_password(password, username="ab")


def test_the_common_passwords_ship_with_the_package():
    common = credentials.common_passwords()
    assert len(common) > 3000
    assert {"1234567890", "password123", "qwertyuiop", "iloveyou123"} <= common


def test_the_administrators_form_refuses_a_common_password(client, auth, db, demo):
    auth.login("admin")
    response = client.post(
        "/admin/users/new",
        data={"username": "zoe", "name": "Zoe Park", "password": "1234567890", "active": "y"},
    )
    assert response.status_code == 200
    assert "is one of the most common passwords" in error_under(response.data.decode(), "Password")
    with db.transaction() as s:
        assert s.scalar(select(m.User).where(m.User.username == "zoe")) is None


def test_changing_ones_password_to_spaces_is_refused(client, auth, db, demo):
    auth.login("dana")
    spaces = " " * 12
    response = client.post(
        "/account/password", data={"current": "rfp-demo-2027", "new": spaces, "confirm": spaces}
    )
    assert response.status_code == 200
    assert "cannot be only spaces" in error_under(response.data.decode(), "New password")
    with db.transaction() as s:
        assert s.scalar(select(m.User).where(m.User.username == "dana")).check_password(
            "rfp-demo-2027"
        )


def test_a_set_password_link_refuses_the_username_as_password(client, auth, db, demo, smtp_server):
    omar = _invited_omar(client, auth, db, demo)
    jobs.run_pending(db)
    [link] = links_in(smtp_server.to("omar@fernbrook.example")[0])
    client.get(_path(link))
    response = client.post(
        "/account/set-password", data={"password": "omar-omar-omar", "confirm": "omar-omar-omar"}
    )
    assert response.status_code == 200
    assert "cannot contain the username" in error_under(response.data.decode(), "New password")
    with db.transaction() as s:
        assert s.get(m.User, omar).password_hash is None


# -- usernames ---------------------------------------------------------------------------------

CYRILLIC_A = "\u0430"
HOSTILE = [
    (f"d{CYRILLIC_A}na", "looks like the existing account 'dana'"),  # Cyrillic а
    ("mοrgan", "looks like the existing account 'morgan'"),  # Greek omicron
    ("rnorgan", "looks like the existing account 'morgan'"),  # r+n reads as m
    ("m0rgan", "looks like the existing account 'morgan'"),
    ("ｍｏｒｇａｎ", "'morgan' is already taken"),  # fullwidth: NFKC makes it morgan
    ("dana\u202e", "invisible or direction-changing character (U+202E"),  # RTL override
    ("da\u200bna", "invisible or direction-changing character (U+200B"),  # zero-width space
    ("eve\u2066x", "invisible or direction-changing character"),  # an isolate
    ("<b>eve</b>", "letters a-z, digits"),
    ("eve smith", "letters a-z, digits"),
    ("évelyne", "letters a-z, digits"),
    ("   ", "is required"),
]


@pytest.mark.parametrize(("username", "message"), HOSTILE)
def test_a_hostile_username_is_refused(username, message):
    with pytest.raises(Refused) as refused:
        credentials.check_username(username, ["dana", "morgan", "elena"])
    assert refused.value.field == "username"
    assert message in refused.value.message


def test_a_username_is_stored_nfkc_normalised():
    assert credentials.check_username(" ｚｏｅ.park ", ["dana"]) == "zoe.park"


@pytest.mark.parametrize(("username", "message"), HOSTILE[:3] + HOSTILE[5:7] + HOSTILE[8:9])
def test_the_leads_new_account_form_applies_the_same_rule(
    client, auth, db, demo, username, message
):
    auth.login("morgan")
    response = client.post(
        f"/evaluations/{demo['evaluation']}/people/add",
        data={
            "role": "evaluator",
            "account": "new",
            "name": "Someone New",
            "email": "someone.new@x.example",
            "username": username,
        },
    )
    assert response.status_code == 200
    assert message in error_under(response.data.decode(), "Username")
    with db.transaction() as s:
        assert s.scalar(select(m.User).where(m.User.email == "someone.new@x.example")) is None


@pytest.mark.parametrize(("username", "message"), HOSTILE[:2] + HOSTILE[5:6] + HOSTILE[8:9])
def test_the_administrators_form_applies_it_to_new_and_renamed_accounts(
    client, auth, db, demo, username, message
):
    auth.login("admin")
    new = client.post(
        "/admin/users/new",
        data={"username": username, "name": "X", "password": "long-enough-pw", "active": "y"},
    )
    assert message in error_under(new.data.decode(), "Username")
    with db.transaction() as s:
        elena = s.scalar(select(m.User).where(m.User.username == "elena"))
    renamed = client.post(
        f"/admin/users/{elena.id}",
        data={"username": username, "name": elena.name, "active": "y"},
    )
    assert message in error_under(renamed.data.decode(), "Username")
    with db.transaction() as s:
        assert s.get(m.User, elena.id).username == "elena"


def test_an_address_that_makes_a_look_alike_username_gets_a_free_one(client, auth, db, demo):
    """No username typed: the one made from the address skips look-alikes of others."""
    auth.login("morgan")
    response = client.post(
        f"/evaluations/{demo['evaluation']}/people/add",
        data={"role": "viewer", "account": "new", "name": "M", "email": "m0rgan@x.example"},
    )
    assert response.status_code == 302
    with db.transaction() as s:
        made = s.scalar(select(m.User.username).where(m.User.email == "m0rgan@x.example"))
    assert made == "m0rgan2"
