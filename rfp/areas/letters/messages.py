"""The outcome letter's PDF as a mail attachment (rfp.core.mail loads it by reference
when the message goes out): built from the letter as it was sent, so a message sent
again from the outbox carries the same letter."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rfp.areas.letters import queries
from rfp.core.mail import NotToBeSent
from rfp.domain.letters import LetterDocument
from rfp.reports.pdf.letters import build_letter_pdf


def letter_pdf(session: Session, args: dict[str, Any]) -> bytes:
    letter = queries.letter_by_id(session, int(args["letter_id"]))
    if letter is None or letter.sent_document is None:
        raise NotToBeSent("the letter no longer exists")
    return build_letter_pdf(LetterDocument.from_dict(letter.sent_document))
