"""Clarification Q&A: a vendor asks through its link while the evaluation is open; the
lead answers the asker alone, or publishes the answer to every vendor without the
asker's name. Every answer is mailed (through the loopback SMTP server) and audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures.mail import html_of, text_of

QUESTION = "Alpha CX asks: are Saturdays in scope at the same hours?"


def _ask(client: Any, token: str, text: str = QUESTION, question_id: str = "") -> Any:
    return client.post(
        f"/portal/{token}/questions", data={"text": text, "question_id": question_id}
    )


def _question_id(world: Any, key: str) -> int:
    with world.db.transaction() as s:
        return s.scalar(select(m.Question.id).filter_by(evaluation_id=world.evaluation, key=key))


def _clarifications(world: Any) -> list[m.Clarification]:
    with world.db.transaction() as s:
        return list(s.scalars(select(m.Clarification).order_by(m.Clarification.number)))


def _answer(client: Any, world: Any, clarification: m.Clarification, **data: str) -> Any:
    prefix = f"q{clarification.id}-"
    return client.post(
        f"/evaluations/{world.evaluation}/clarifications/{clarification.id}/answer",
        data={prefix + name: value for name, value in data.items()},
    )


def test_a_vendor_asks_about_a_question_and_the_lead_is_told(client, world, smtp_server):
    token = world.link("alpha")
    response = _ask(client, token, question_id=str(_question_id(world, "timezone")))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your question is sent (Q1)" in page
    assert QUESTION in page and "waiting for an answer" in page
    [asked] = _clarifications(world)
    assert (asked.number, asked.status, asked.vendor_id) == (1, "open", world.vendors["alpha"])
    [event] = world.audit("clarification.asked")
    assert event.actor == "vendor portal: alpha" and event.new["question"] == "timezone"
    assert world.run_mail() == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "Lena Lead <lena@buyer.example>"
    assert mail["Subject"] == "Q1: a vendor asked a question — Test evaluation"
    assert "Alpha CX asked question Q1" in text_of(mail)
    assert "It is about the question “Time zone overlap”." in text_of(mail)
    assert f"http://rfp.test/evaluations/{world.evaluation}/clarifications#q1" in text_of(mail)


def test_a_question_is_refused_when_empty_too_long_or_about_another_evaluations_question(
    client, world
):
    token = world.link("alpha")
    cases = [
        ({"text": "   "}, "Write your question."),
        ({"text": "x" * 5001}, "5000 characters"),
        ({"text": "ok", "question_id": "999999"}, "Not a valid choice"),
    ]
    for data, message in cases:
        response = client.post(f"/portal/{token}/questions", data={"question_id": "", **data})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert _clarifications(world) == []


def test_questions_close_with_the_deadline(client, world):
    token = world.link("alpha")
    with world.db.transaction() as s:
        link = s.scalar(select(m.VendorLink).filter_by(vendor_id=world.vendors["alpha"]))
        link.expires_at = None  # the link would stop at the deadline anyway: test the rule
        s.get(m.Evaluation, world.evaluation).deadline = utcnow()
    response = _ask(client, token)
    assert response.status_code in (404, 422)
    assert _clarifications(world) == []


def test_the_lead_answers_the_asker_alone(client, auth, world, smtp_server):
    alpha, beta = world.link("alpha"), world.link("beta")
    _ask(client, alpha)
    world.run_mail()
    smtp_server.messages.clear()
    [asked] = _clarifications(world)
    auth.login("lena")
    response = _answer(client, world, asked, answer="Yes, same hours.", action="answer")
    assert response.status_code == 302
    [answered] = _clarifications(world)
    assert answered.status == "answered" and answered.answered_at is not None
    assert world.run_mail() == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "Alpha CX <bids@alpha.example>"
    assert "The answer, for you alone:" in text_of(mail) and "Yes, same hours." in text_of(mail)
    auth.logout()
    assert "Yes, same hours." in client.get(f"/portal/{alpha}/questions").get_data(as_text=True)
    assert "Yes, same hours." not in client.get(f"/portal/{beta}/questions").get_data(as_text=True)
    auth.login("ana")
    panel = client.get(f"/evaluations/{world.evaluation}/clarifications").get_data(as_text=True)
    assert "Yes, same hours." not in panel and "No answer has been published." in panel


def test_the_lead_publishes_the_answer_to_every_vendor_without_the_asker(
    client, auth, world, smtp_server
):
    alpha, beta = world.link("alpha"), world.link("beta")
    _ask(client, alpha)
    world.run_mail()
    smtp_server.messages.clear()
    [asked] = _clarifications(world)
    auth.login("lena")
    lead_page = client.get(f"/evaluations/{world.evaluation}/clarifications").get_data(as_text=True)
    assert "asked by Alpha CX" in lead_page
    public = "Are Saturdays in scope at the same hours?"
    response = _answer(
        client,
        world,
        asked,
        answer="Yes: 07:00-22:00 Central.",
        public_text=public,
        action="publish",
    )
    assert response.status_code == 302
    [published] = _clarifications(world)
    assert published.status == "published" and published.public_text == public
    assert published.text == QUESTION  # the vendor's own words stay on the record
    [event] = world.audit("clarification.published")
    assert event.old == {"status": "open", "answer": None, "question": QUESTION}
    assert event.new == {
        "status": "published",
        "answer": "Yes: 07:00-22:00 Central.",
        "question": public,
    }
    assert world.run_mail() == 2
    assert sorted(str(mail["To"]) for mail in smtp_server.messages) == [
        "Alpha CX <bids@alpha.example>",
        "Beta Support <bids@beta.example>",
    ]
    [to_beta] = smtp_server.to("bids@beta.example")
    for body in (text_of(to_beta), html_of(to_beta)):
        assert "Alpha" not in body
        assert "Saturdays in scope" in body and "07:00-22:00 Central" in body
    auth.logout()
    beta_page = client.get(f"/portal/{beta}/questions").get_data(as_text=True)
    assert public in beta_page and "Yes: 07:00-22:00 Central." in beta_page
    assert "Alpha" not in beta_page
    auth.login("vic")
    panel = client.get(f"/evaluations/{world.evaluation}/clarifications").get_data(as_text=True)
    assert public in panel and "Alpha CX" not in panel


def test_a_private_answer_may_be_published_later_but_a_published_one_is_final(client, auth, world):
    _ask(client, world.link("alpha"))
    [asked] = _clarifications(world)
    auth.login("lena")
    _answer(client, world, asked, answer="First answer", action="answer")
    response = _answer(
        client, world, asked, answer="Better answer", public_text="Saturdays?", action="publish"
    )
    assert response.status_code == 302
    [published] = _clarifications(world)
    assert (published.status, published.answer) == ("published", "Better answer")
    refused = _answer(
        client, world, asked, answer="Changed", public_text="Saturdays?", action="publish"
    )
    assert refused.status_code == 422
    assert "Q1 is published already: correct it with an addendum." in refused.get_data(as_text=True)
    assert _clarifications(world)[0].answer == "Better answer"


def test_an_answer_needs_its_text_and_a_published_question(client, auth, world):
    _ask(client, world.link("alpha"))
    [asked] = _clarifications(world)
    auth.login("lena")
    refused = _answer(client, world, asked, answer="", public_text="", action="publish")
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Write the answer." in body
    assert "Give the question as every vendor will read it." in body
    assert _clarifications(world)[0].status == "open"


def test_questions_are_answered_only_while_the_evaluation_is_open(client, auth, world):
    _ask(client, world.link("alpha"))
    [asked] = _clarifications(world)
    world.unseal()
    auth.login("lena")
    refused = _answer(client, world, asked, answer="Late", action="answer")
    assert refused.status_code in (409, 422)
    assert _clarifications(world)[0].status == "open"


def test_only_the_lead_answers(client, auth, world):
    _ask(client, world.link("alpha"))
    [asked] = _clarifications(world)
    for user in ("ana", "vic"):
        auth.login(user)
        assert _answer(client, world, asked, answer="x", action="answer").status_code == 403
        auth.logout()
    auth.login("otto")
    assert _answer(client, world, asked, answer="x", action="answer").status_code == 404


def test_the_stages_page_warns_of_questions_left_unanswered_before_scoring(client, auth, world):
    _ask(client, world.link("alpha"))
    auth.login("lena")
    page = client.get(f"/evaluations/{world.evaluation}/stage").get_data(as_text=True)
    assert "1 vendor question still waits for an answer (Q&amp;A)." in page
