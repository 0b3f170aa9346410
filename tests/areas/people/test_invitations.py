"""Adding people without typing their passwords: someone new is invited by e-mail to
set their own, an account that can log in gets a note that it was added, and the
people page shows each invitation and sends it again (loopback SMTP server)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from rfp import models as m
from rfp.core import jobs
from rfp.core.db import utcnow
from rfp.domain.vocabulary import MailStatus
from tests.fixtures.evaluations import events, make_user, membership_id
from tests.fixtures.mail import links_in, text_of

TITLE = "Customer service outsourcing 2027"


def _url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/people{rest}"


def _retry_now(db: Any) -> None:
    with db.transaction() as s:
        s.execute(update(m.Job).values(run_after=utcnow() - timedelta(seconds=1)))


def test_the_add_form_asks_for_no_password(client, auth, demo):
    auth.login("morgan")
    page = client.get(_url(demo["evaluation"], "/add")).get_data(as_text=True)
    assert 'type="password"' not in page
    assert "invite them by e-mail" in page


def test_someone_new_is_invited_by_email_to_set_their_own_password(
    client, auth, db, demo, smtp_server
):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    response = client.post(
        _url(evaluation_id, "/add"),
        data={
            "role": "viewer",
            "account": "new",
            "name": "Sam Lee (COO)",
            "email": "sam.lee@fernbrook.example",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Sam Lee (COO) added as viewer. An invitation to set a password is on its way" in page
    with db.transaction() as s:
        sam = s.scalar(select(m.User).where(m.User.email == "sam.lee@fernbrook.example"))
        assert sam.username == "sam.lee"  # made from the address
        assert sam.password_hash is None  # nobody typed one
        assert s.scalar(select(m.Membership.role).where(m.Membership.user_id == sam.id)) == "viewer"
    [event] = events(db, evaluation_id, "mail.invitation")
    assert (event.target, event.new) == ("Sam Lee (COO)", {"role": "viewer"})

    assert jobs.run_pending(db) == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == f"Morgan Avery invited you to read the results — {TITLE}"
    assert mail["To"] == '"Sam Lee (COO)" <sam.lee@fernbrook.example>'
    assert "as a viewer: you read the results and download the reports" in text_of(mail)
    [link] = links_in(mail)
    auth.logout()
    client.get(link.removeprefix("http://rfp.test"))
    done = client.post(
        "/account/set-password",
        data={"password": "sams-own-password", "confirm": "sams-own-password"},
    )
    assert done.headers["Location"] == f"/evaluations/{evaluation_id}"
    auth.logout()
    auth.login("sam.lee", "sams-own-password")
    assert client.get(f"/evaluations/{evaluation_id}/results").status_code == 200


def test_an_account_that_can_log_in_gets_a_note_that_it_was_added(
    client, auth, db, demo, smtp_server
):
    evaluation_id = demo["evaluation"]
    omar = make_user(db, "omar", "Omar Haddad", email="omar@fernbrook.example")
    auth.login("morgan")
    page = client.post(
        _url(evaluation_id, "/add"),
        data={"role": "evaluator", "account": "existing", "user_id": str(omar)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "A note is on its way to omar@fernbrook.example." in page
    jobs.run_pending(db)
    [mail] = smtp_server.messages
    assert mail["Subject"] == f"Morgan Avery added you to score vendors — {TITLE}"
    text = text_of(mail)
    assert "Scoring is due on Friday 25 September 2026." in text
    assert links_in(mail) == [
        f"http://rfp.test/evaluations/{evaluation_id}",
        "http://rfp.test/login",
    ]
    with db.transaction() as s:
        assert s.scalar(select(m.AccountToken)) is None  # no link to set a password


def test_an_account_without_an_address_is_added_and_the_lead_told_to_tell_them(
    client, auth, db, demo, smtp_server
):
    omar = make_user(db, "omar", "Omar Haddad")
    auth.login("morgan")
    page = client.post(
        _url(demo["evaluation"], "/add"),
        data={"role": "viewer", "account": "existing", "user_id": str(omar)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Their account has no e-mail address: tell them yourself." in page
    assert jobs.run_pending(db) == 0


def test_an_invitation_not_delivered_shows_on_the_people_page_and_is_sent_again(
    client, auth, db, demo, smtp_server
):
    evaluation_id = demo["evaluation"]
    smtp_server.refuse = "550 mailbox unavailable"
    auth.login("morgan")
    client.post(
        _url(evaluation_id, "/add"),
        data={"role": "evaluator", "account": "new", "name": "Zoe Park", "email": "zoe@x.example"},
    )
    for _ in range(5):  # MAX_ATTEMPTS: the send fails each time
        _retry_now(db)
        jobs.run_pending(db)
    page = client.get(_url(evaluation_id)).get_data(as_text=True)
    assert "no password yet" in page and "not delivered" in page
    assert "Send the invitation again" in page
    smtp_server.refuse = None
    zoe = membership_id(db, evaluation_id, "zoe")
    again = client.post(_url(evaluation_id, f"/{zoe}/invite"), follow_redirects=True)
    assert "A new invitation is on its way to zoe@x.example" in again.get_data(as_text=True)
    jobs.run_pending(db)
    [mail] = smtp_server.messages
    assert len(links_in(mail)) == 1
    page = client.get(_url(evaluation_id)).get_data(as_text=True)
    assert "delivered" in page and "not delivered" not in page
    with db.transaction() as s:
        statuses = list(s.scalars(select(m.MailMessage.status).order_by(m.MailMessage.id)))
    assert statuses == [MailStatus.FAILED, MailStatus.SENT]


def test_someone_with_a_password_is_not_invited_again(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    priya = membership_id(db, evaluation_id, "priya")
    page = client.post(_url(evaluation_id, f"/{priya}/invite"), follow_redirects=True)
    assert "Priya Raman has a password already" in page.get_data(as_text=True)
    with db.transaction() as s:
        assert s.scalar(select(m.MailMessage)) is None
