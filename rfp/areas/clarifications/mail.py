"""The Q&A e-mails (rendered when they are sent): a question for the leads, an answer to
the asker, a published answer to every vendor. A published one never names the asker."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.mail import Rendered, base_url, html_of_text

FOOTER = "This message was sent by the procurement team's evaluation tool."


def _load(session: Session, message: m.MailMessage) -> tuple[m.Clarification, m.Evaluation]:
    clarification = session.get(m.Clarification, message.context["clarification_id"])
    if clarification is None:
        raise LookupError("the question of this message no longer exists")
    evaluation = session.get(m.Evaluation, clarification.evaluation_id)
    assert evaluation is not None
    return clarification, evaluation


def _about(clarification: m.Clarification) -> list[str]:
    if clarification.question is None:
        return []
    return [f"It is about the question “{clarification.question.text}”.", ""]


def _rendered(lines: list[str]) -> Rendered:
    text = "\n".join(lines)
    return Rendered(text=text, html=html_of_text(text))


def question_asked(session: Session, message: m.MailMessage) -> Rendered:
    clarification, evaluation = _load(session, message)
    vendor = clarification.vendor.name if clarification.vendor else "A vendor"
    return _rendered(
        [
            f"Dear {message.to_name},",
            "",
            f"{vendor} asked question Q{clarification.number} about “{evaluation.title}”:",
            "",
            clarification.text,
            "",
            *_about(clarification),
            "Answer it to the vendor alone, or publish the answer to every vendor without "
            "the asker's name:",
            f"{base_url()}/evaluations/{evaluation.id}/clarifications#q{clarification.number}",
            "",
            FOOTER,
        ]
    )


def answer_to_asker(session: Session, message: m.MailMessage) -> Rendered:
    clarification, evaluation = _load(session, message)
    return _rendered(
        [
            f"Dear {message.to_name},",
            "",
            f"Your question Q{clarification.number} about the request for proposal "
            f"“{evaluation.title}” is answered. You asked:",
            "",
            clarification.text,
            "",
            *_about(clarification),
            "The answer, for you alone:",
            "",
            clarification.answer,
            "",
            "It is also on your response page (Questions and answers), opened with the link "
            "you were sent.",
            "",
            FOOTER,
        ]
    )


def answer_published(session: Session, message: m.MailMessage) -> Rendered:
    clarification, evaluation = _load(session, message)
    return _rendered(
        [
            f"Dear {message.to_name},",
            "",
            f"A vendor's question about the request for proposal “{evaluation.title}” is "
            f"answered for every vendor (Q{clarification.number}; who asked is not "
            "disclosed).",
            "",
            f"Question: {clarification.public_text}",
            "",
            *_about(clarification),
            f"Answer: {clarification.answer}",
            "",
            "Every published answer is on your response page (Questions and answers), "
            "opened with the link you were sent. Take it into account in your response.",
            "",
            FOOTER,
        ]
    )
