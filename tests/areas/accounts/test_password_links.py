"""Set-your-password links by e-mail, through a real SMTP server on loopback: an
invitation's link works once and expires, a newer link revokes the older, a password
reset answers alike whether the address has an account or not and is throttled, and
no token or address reaches the log or the database in readable form."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from rfp import models as m
from rfp.areas.accounts import operations as ops
from rfp.core import jobs
from rfp.core.db import utcnow
from rfp.domain.vocabulary import MailStatus
from tests.fixtures.evaluations import make_user
from tests.fixtures.mail import html_of, links_in, text_of

TITLE = "Customer service outsourcing 2027"
NEW_PASSWORD = "a-brand-new-password"


def _add(client: Any, evaluation_id: int, user_id: int, role: str = "evaluator") -> Any:
    return client.post(
        f"/evaluations/{evaluation_id}/people/add",
        data={"role": role, "account": "existing", "user_id": str(user_id)},
    )


def _invited_omar(client: Any, auth: Any, db: Any, demo: dict[str, int]) -> int:
    """Omar has an account with no password yet; Morgan adds him as an evaluator."""
    omar = make_user(db, "omar", "Omar Haddad", email="omar@fernbrook.example", password=False)
    auth.login("morgan")
    assert _add(client, demo["evaluation"], omar).status_code == 302
    auth.logout()
    return omar


def _path(url: str) -> str:
    assert url.startswith("http://rfp.test/"), url
    return urlsplit(url).path


def _set_password(client: Any, link: str, password: str = NEW_PASSWORD) -> Any:
    opened = client.get(_path(link))
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/account/set-password"
    return client.post("/account/set-password", data={"password": password, "confirm": password})


def _token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def test_an_invitation_sets_the_password_once_then_the_link_no_longer_works(
    app, client, auth, db, demo, smtp_server
):
    omar = _invited_omar(client, auth, db, demo)
    assert jobs.run_pending(db) == 1
    [mail] = smtp_server.to("omar@fernbrook.example")
    assert mail["Subject"] == f"Morgan Avery invited you to score vendors — {TITLE}"
    assert mail["Reply-To"] == "morgan.avery@fernbrook.example"
    text = text_of(mail)
    assert "Your username is omar." in text and "as an evaluator" in text
    [link] = links_in(mail)
    assert f'href="{link}"' in html_of(mail)
    assert "/account/set-password/" in link

    page = client.get(_path(link), follow_redirects=True).get_data(as_text=True)
    assert "Set your password" in page and "Omar Haddad" in page
    done = client.post(
        "/account/set-password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    # He lands on the evaluation he was invited to, logged in.
    assert done.headers["Location"] == f"/evaluations/{demo['evaluation']}"
    assert client.get(f"/evaluations/{demo['evaluation']}").status_code == 200
    with db.transaction() as s:
        assert s.get(m.User, omar).check_password(NEW_PASSWORD)

    # The same link a second time, in another browser: it no longer works.
    other = app.test_client()
    again = other.get(_path(link), follow_redirects=True).get_data(as_text=True)
    assert "This link no longer works" in again
    refused = other.post(
        "/account/set-password", data={"password": "yet-another-password", "confirm": "x"}
    )
    assert b"This link no longer works" in refused.data
    with db.transaction() as s:
        assert s.get(m.User, omar).check_password(NEW_PASSWORD)


def test_an_invitation_link_expires(app, client, auth, db, demo, smtp_server, monkeypatch):
    monkeypatch.setenv("RFP_INVITATION_DAYS", "2")
    omar = _invited_omar(client, auth, db, demo)
    jobs.run_pending(db)
    [link] = links_in(smtp_server.messages[-1])
    with db.transaction() as s:
        token = s.scalar(select(m.AccountToken).where(m.AccountToken.user_id == omar))
        # RFP_INVITATION_DAYS=2: two days from when the message was sent
        assert token.expires_at - token.created_at == timedelta(days=2)
        assert "until " + token.expires_at.strftime("%Y-%m-%d %H:%M UTC") in text_of(
            smtp_server.messages[-1]
        )
        # Two days pass.
        token.expires_at = utcnow() - timedelta(seconds=1)
    page = client.get(_path(link), follow_redirects=True).get_data(as_text=True)
    assert "This link no longer works" in page
    client.post("/account/set-password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    with db.transaction() as s:
        assert s.get(m.User, omar).password_hash is None


def test_only_the_hash_of_a_link_is_stored_and_no_secret_reaches_the_log(
    client, auth, db, demo, smtp_server, caplog
):
    caplog.set_level(logging.DEBUG)
    omar = _invited_omar(client, auth, db, demo)
    jobs.run_pending(db)
    [link] = links_in(smtp_server.messages[-1])
    token = _token_of(link)
    _set_password(client, link)
    with db.transaction() as s:
        row = s.scalar(select(m.AccountToken).where(m.AccountToken.user_id == omar))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.used_at is not None
        stored = " ".join(
            [
                *(
                    repr((e.target, e.old, e.new, e.reason))
                    for e in s.scalars(select(m.AuditEvent))
                ),
                *(
                    repr((x.subject, x.context, x.last_error))
                    for x in s.scalars(select(m.MailMessage))
                ),
                *(repr(j.payload) + repr(j.result) for j in s.scalars(select(m.Job))),
            ]
        )
    assert token not in stored
    # Every logger but the test's own SMTP server (aiosmtpd logs what it receives).
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail."))
    assert "sent to …@fernbrook.example" in logged
    assert token not in logged
    assert "omar@fernbrook.example" not in logged


def test_a_new_invitation_revokes_the_link_of_the_earlier_one(client, auth, db, demo, smtp_server):
    omar = _invited_omar(client, auth, db, demo)
    jobs.run_pending(db)
    auth.login("morgan")
    with db.transaction() as s:
        ms = s.scalar(select(m.Membership.id).where(m.Membership.user_id == omar))
    again = client.post(f"/evaluations/{demo['evaluation']}/people/{ms}/invite")
    assert again.status_code == 302
    auth.logout()
    jobs.run_pending(db)
    first, second = (links_in(mail)[0] for mail in smtp_server.to("omar@fernbrook.example"))
    assert first != second
    page = client.get(_path(first), follow_redirects=True).get_data(as_text=True)
    assert "This link no longer works" in page
    assert _set_password(client, second).status_code == 302
    with db.transaction() as s:
        assert s.get(m.User, omar).check_password(NEW_PASSWORD)


def test_opening_a_link_spends_nothing_and_a_double_submit_sets_the_password_once(
    app, client, auth, db, demo, smtp_server
):
    """A mail scanner that follows links spends nothing; two submissions racing with
    the same token: the first sets the password, the second is refused."""
    omar = _invited_omar(client, auth, db, demo)
    jobs.run_pending(db)
    [link] = links_in(smtp_server.messages[-1])
    scanner = app.test_client()
    for _ in range(3):
        scanner.get(_path(link), follow_redirects=True)
    token = _token_of(link)
    with db.transaction() as s:
        ops.set_password_by_link(s, token, NEW_PASSWORD)
    with db.transaction() as s, pytest.raises(ops.Refused, match="no longer works"):
        ops.set_password_by_link(s, token, "the-second-password")
    with db.transaction() as s:
        assert s.get(m.User, omar).check_password(NEW_PASSWORD)


def test_a_password_set_another_way_revokes_the_link(client, auth, db, demo, smtp_server):
    omar = _invited_omar(client, auth, db, demo)
    jobs.run_pending(db)
    [link] = links_in(smtp_server.messages[-1])
    with db.transaction() as s:
        ops.set_password(s, s.get(m.User, omar), "set-by-the-admin-1")
    page = client.get(_path(link), follow_redirects=True).get_data(as_text=True)
    assert "This link no longer works" in page


def test_an_invitation_to_an_account_deactivated_before_it_is_sent_is_not_sent(
    client, auth, db, demo, smtp_server
):
    omar = _invited_omar(client, auth, db, demo)
    with db.transaction() as s:
        s.get(m.User, omar).active = False
    assert jobs.run_pending(db) == 1
    assert smtp_server.messages == []
    with db.transaction() as s:
        message = s.scalar(select(m.MailMessage).where(m.MailMessage.kind == "invitation"))
        assert message.status is MailStatus.FAILED
        assert message.last_error == "Not sent: the account no longer exists or is deactivated"
        assert s.scalar(select(m.AccountToken)) is None  # no link was made
    assert jobs.run_pending(db) == 0  # and it is not retried


@pytest.mark.parametrize(
    "token",
    ["short", "x" * 43 + "/..", "a" * 10_000, "%00" * 20, "<script>alert(1)</script>"],
    ids=["short", "traversal", "10000-chars", "nul-bytes", "markup"],
)
def test_a_hostile_token_opens_nothing(client, db, demo, token):
    opened = client.get(f"/account/set-password/{token}", follow_redirects=True)
    # 400: a control character in the address is refused before any view (issue 14).
    assert opened.status_code in (200, 400, 404)
    body = opened.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    if opened.status_code == 200:
        assert "This link no longer works" in body
    posted = client.post(
        "/account/set-password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert posted.status_code == 200 and b"This link no longer works" in posted.data


# -- password reset from the login page -------------------------------------------------------


def _ask(client: Any, address: str) -> Any:
    return client.post("/account/forgot-password", data={"email": address}, follow_redirects=True)


def test_a_reset_answers_alike_whether_the_address_has_an_account_or_not(
    client, db, demo, smtp_server
):
    known = _ask(client, "dana.whitfield@fernbrook.example")
    unknown = _ask(client, "nobody@fernbrook.example")
    assert known.status_code == unknown.status_code == 200

    def said(response: Any, address: str) -> str:
        return response.get_data(as_text=True).replace(address, "ADDRESS")

    assert said(known, "dana.whitfield@fernbrook.example") == said(
        unknown, "nobody@fernbrook.example"
    )
    assert "a link to set a new password is on its way" in known.get_data(as_text=True)
    assert jobs.run_pending(db) == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "Dana Whitfield <dana.whitfield@fernbrook.example>"
    assert mail["Subject"] == "Set a new password for rfp"
    assert "works once, until" in text_of(mail)


def test_a_reset_link_sets_a_new_password_and_the_old_one_works_until_then(
    client, auth, db, demo, smtp_server
):
    _ask(client, "Dana.Whitfield@Fernbrook.example")  # addresses match whatever the case
    jobs.run_pending(db)
    [link] = links_in(smtp_server.messages[-1])
    auth.login("dana")  # the current password still works
    auth.logout()
    assert _set_password(client, link).headers["Location"] == "/evaluations"
    auth.logout()
    refused = client.post("/login", data={"username": "dana", "password": "rfp-demo-2027"})
    assert refused.status_code == 200
    auth.login("dana", NEW_PASSWORD)


def test_resets_are_throttled_per_address_and_per_client(client, db, demo, smtp_server):
    for _ in range(ops.RESETS_PER_ADDRESS + 2):
        page = _ask(client, "dana.whitfield@fernbrook.example").get_data(as_text=True)
        assert "is on its way" in page  # the answer never changes
    jobs.run_pending(db)
    assert len(smtp_server.messages) == ops.RESETS_PER_ADDRESS
    # The same client asking for other addresses: RESETS_PER_CLIENT requests an hour.
    # 3 counted above (the refused ones are not), 6 more reach the limit of 10 ...
    for n in range(ops.RESETS_PER_CLIENT - ops.RESETS_PER_ADDRESS - 1):
        _ask(client, f"nobody{n}@fernbrook.example")
    _ask(client, "luis.ortega@fernbrook.example")  # the 10th: sent
    _ask(client, "priya.raman@fernbrook.example")  # the 11th: throttled
    jobs.run_pending(db)
    assert [str(mail["To"]).split("<")[1] for mail in smtp_server.messages[3:]] == [
        "luis.ortega@fernbrook.example>"
    ]
    # An hour later the client may ask again.
    with db.transaction() as s:
        s.execute(update(m.ThrottleEvent).values(at=utcnow() - timedelta(hours=1, seconds=1)))
    _ask(client, "priya.raman@fernbrook.example")
    jobs.run_pending(db)
    assert smtp_server.messages[-1]["To"] == "Priya Raman <priya.raman@fernbrook.example>"


def test_a_deactivated_account_gets_no_reset(client, db, demo, smtp_server):
    with db.transaction() as s:
        s.scalar(select(m.User).where(m.User.username == "dana")).active = False
    _ask(client, "dana.whitfield@fernbrook.example")
    assert jobs.run_pending(db) == 0
    assert smtp_server.messages == []


def test_the_throttle_keeps_no_address_in_readable_form(client, db, demo):
    _ask(client, "dana.whitfield@fernbrook.example")
    with db.transaction() as s:
        rows = list(s.scalars(select(m.ThrottleEvent)))
    assert {r.bucket for r in rows} == {"reset.address", "reset.client"}
    assert all("@" not in r.key_hash and len(r.key_hash) == 64 for r in rows)


def test_the_login_page_offers_a_new_password(client, demo):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/account/forgot-password"' in page
