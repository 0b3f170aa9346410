"""The outcome letters' changes: saving the lead's words, starting again from the draft,
and sending (which freezes the letter and queues its e-mail with the PDF attached).
Allowed once the award is recorded, although the evaluation is read-only then: a letter
changes nothing of the result. Flush and audit, never commit.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.letters import queries
from rfp.areas.letters.drafting import (
    LetterWords,
    awarded,
    draft_words,
    letter_document,
    letter_kind,
)
from rfp.areas.mail.operations import queue_vendor_notice
from rfp.core.audit import changed_fields, record
from rfp.core.db import utcnow
from rfp.core.mail import AttachmentRef
from rfp.core.refusal import CONFLICT, NOT_FOUND, Refused
from rfp.domain.letters import LetterDocument, letter_text
from rfp.domain.vocabulary import LetterKind, Stage

MAX_FIELD_LENGTH = 20_000
FIELDS = ("opening", "strengths", "weaknesses", "closing")
PDF_LOADER = "rfp.areas.letters.messages:letter_pdf"
SUBJECTS = {
    LetterKind.AWARD: "Your proposal is selected",
    LetterKind.DEBRIEF: "Outcome of your proposal",
}


def require_award(evaluation: m.Evaluation) -> None:
    """Letters exist once the award is recorded (the evaluation is decided)."""
    if evaluation.current_stage != Stage.DECIDED or evaluation.award_vendor_id is None:
        raise Refused("stage", "Outcome letters are written once the award is recorded.", CONFLICT)


def _require_vendor(evaluation: m.Evaluation, vendor: m.Vendor) -> None:
    if vendor.evaluation_id != evaluation.id:
        raise Refused("vendor", "No such vendor.", NOT_FOUND)


def _clean(field: str, text: str) -> str:
    text = text.replace("\x00", "").replace("\r\n", "\n").strip()
    if len(text) > MAX_FIELD_LENGTH:
        raise Refused(field, f"At most {MAX_FIELD_LENGTH:,} characters.")
    return text


def save_letter(
    session: Session,
    evaluation: m.Evaluation,
    vendor: m.Vendor,
    user: m.User,
    words: LetterWords,
    *,
    disclose_winner_price: bool,
) -> m.OutcomeLetter:
    """Save the lead's words (the first save makes the letter; a sent one is frozen)."""
    require_award(evaluation)
    _require_vendor(evaluation, vendor)
    cleaned = {name: _clean(name, getattr(words, name)) for name in FIELDS}
    if not cleaned["opening"]:
        raise Refused("opening", "The letter needs its opening paragraph.")
    kind = letter_kind(evaluation, vendor)
    disclose = disclose_winner_price and kind == LetterKind.DEBRIEF
    letter = queries.saved_letter(session, evaluation, vendor)
    if letter is not None and letter.sent:
        raise Refused(
            "letter", f"The letter to {vendor.name} was sent; it cannot change.", CONFLICT
        )
    new = {**cleaned, "disclose_winner_price": disclose}
    created = letter is None
    if letter is None:
        letter = m.OutcomeLetter(evaluation_id=evaluation.id, vendor_id=vendor.id, kind=kind)
        session.add(letter)
        old, changed = {}, new
    else:
        old, changed = changed_fields({name: getattr(letter, name) for name in new}, new)
        letter.kind = kind
    for name, value in new.items():
        setattr(letter, name, value)
    letter.saved_at = utcnow()
    letter.saved_by_id = user.id
    session.flush()
    if created or changed:
        record(
            session,
            evaluation,
            user,
            "letter.saved",
            f"{kind.label} to {vendor.name}",
            old=old or None,
            new=changed,
        )
    return letter


def redraft(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor, user: m.User
) -> m.OutcomeLetter | None:
    """Put the generated draft back in place of the saved words (not once sent). A letter
    never saved is the draft already: nothing is written (None)."""
    require_award(evaluation)
    _require_vendor(evaluation, vendor)
    letter = queries.saved_letter(session, evaluation, vendor)
    if letter is None:
        return None
    if letter.sent:
        raise Refused(
            "letter", f"The letter to {vendor.name} was sent; it cannot change.", CONFLICT
        )
    results = queries.results_of(session, evaluation)
    outcome = results.result.vendor(vendor.key)
    words = draft_words(
        evaluation, results, outcome, queries.vendor_file(session, evaluation, vendor, results)
    )
    old = {name: getattr(letter, name) for name in FIELDS}
    for name in FIELDS:
        setattr(letter, name, getattr(words, name))
    letter.disclose_winner_price = False
    letter.saved_at = utcnow()
    letter.saved_by_id = user.id
    session.flush()
    record(
        session,
        evaluation,
        user,
        "letter.redrafted",
        f"{LetterKind(letter.kind).label} to {vendor.name}",
        old=old,
    )
    return letter


def document_of(
    session: Session,
    evaluation: m.Evaluation,
    vendor: m.Vendor,
    words: LetterWords,
    *,
    disclose_winner_price: bool,
    signature: str,
    dated: date,
) -> LetterDocument:
    """The letter as it reads now (the preview and what is sent)."""
    require_award(evaluation)
    results = queries.results_of(session, evaluation)
    if awarded(evaluation, results) is None:
        raise Refused("stage", "The awarded vendor is no longer in the evaluation.", CONFLICT)
    return letter_document(
        evaluation,
        results,
        results.result.vendor(vendor.key),
        words,
        contact_name=vendor.contact_name or vendor.name,
        disclose_winner_price=disclose_winner_price,
        signature=signature,
        dated=dated,
    )


def words_of(letter: m.OutcomeLetter) -> LetterWords:
    return LetterWords(*(getattr(letter, name) for name in FIELDS))


def send_letter(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor, user: m.User
) -> m.OutcomeLetter:
    """Freeze the saved letter as it reads now and queue its e-mail to the vendor's
    contact, the PDF attached (built from the frozen letter when the mail goes out)."""
    require_award(evaluation)
    _require_vendor(evaluation, vendor)
    letter = queries.saved_letter(session, evaluation, vendor)
    if letter is None:
        raise Refused(
            "letter",
            f"Review the draft of the letter to {vendor.name} and save it before sending.",
            CONFLICT,
        )
    if letter.sent:
        raise Refused(
            "letter",
            f"The letter to {vendor.name} was sent already; a copy can be sent again from "
            "the outbox if it was not delivered.",
            CONFLICT,
        )
    now = utcnow()
    document = document_of(
        session,
        evaluation,
        vendor,
        words_of(letter),
        disclose_winner_price=letter.disclose_winner_price,
        signature=user.name,
        dated=now.date(),
    )
    text = letter_text(document)
    letter.sent_at = now
    letter.sent_by_id = user.id
    letter.sent_document = document.as_dict()
    letter.sent_text = text
    letter.sent_to = (vendor.contact_email or "").strip()
    session.flush()
    kind = LetterKind(letter.kind)
    message = queue_vendor_notice(
        session,
        vendor,
        subject=SUBJECTS[kind],
        text=text,
        attachments=[
            AttachmentRef(
                filename=f"{kind.value}-letter.pdf",
                content_type="application/pdf",
                loader=PDF_LOADER,
                args={"letter_id": letter.id},
            )
        ],
        kind=f"{kind.value}_letter",
        by=user,
    )
    letter.message_id = message.id
    session.flush()
    record(
        session,
        evaluation,
        user,
        "letter.sent",
        f"{kind.label} to {vendor.name}",
        new={
            "to": letter.sent_to,
            "winner_price_disclosed": letter.disclose_winner_price,
        },
    )
    return letter
