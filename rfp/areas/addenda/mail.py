"""The e-mail telling a vendor of a new addendum (rendered when it is sent)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.addenda.queries import attachments_of
from rfp.core.mail import Rendered, html_of_text
from rfp.domain.formatting import when


def addendum_published(session: Session, message: m.MailMessage) -> Rendered:
    addendum = session.get(m.Addendum, message.context["addendum_id"])
    evaluation = session.get(m.Evaluation, addendum.evaluation_id) if addendum else None
    if addendum is None or evaluation is None:
        raise LookupError("the addendum of this message no longer exists")
    lines = [
        f"Dear {message.to_name},",
        "",
        f"Addendum {addendum.number} to the request for proposal “{evaluation.title}” was "
        f"published on {when(addendum.published_at)}: {addendum.title}.",
    ]
    if addendum.body:
        lines += ["", addendum.body]
    if addendum.new_deadline is not None:
        lines += [
            "",
            "The response deadline moves from "
            f"{when(addendum.old_deadline)} to {when(addendum.new_deadline)}.",
        ]
    if addendum.question_id is not None:
        lines += [
            "",
            f"The question “{addendum.old_question_text}” now reads:",
            f"“{addendum.new_question_text}”",
        ]
    files = attachments_of(session, evaluation.id).get(addendum.id, [])
    if files:
        names = ", ".join(d.filename for d in files)
        lines += ["", f"Published with it, on your response page (Documents): {names}."]
    lines += [
        "",
        "Please acknowledge it on your response page (Addenda), opened with the link you "
        "were sent: a response cannot be submitted until every addendum is acknowledged.",
        "",
        "This message was sent by the procurement team's evaluation tool.",
    ]
    text = "\n".join(lines)
    return Rendered(text=text, html=html_of_text(text))
