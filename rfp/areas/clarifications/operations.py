"""Asking and answering clarification questions. Flush and audit, never commit.

While the evaluation is open and before the deadline, a vendor asks through its link,
optionally about one question of the RFP; the evaluation's leads are told by e-mail.
The lead answers while the evaluation is open: to the asker only, or published to
every vendor, the question shown as the lead words it (prefilled with the vendor's
text, to be cleared of anything that names the asker) and never with the asker's
name. A private answer may be published later; a published answer is final (a
correction is an addendum). Each answer is mailed: a private one to the asker, a
published one to every vendor with a contact e-mail.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.intake.operations import clean_text, vendor_actor
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.mail import queue_mail
from rfp.core.refusal import CONFLICT, Refused, refuse_all
from rfp.domain.vocabulary import ClarificationStatus, MailKind, Role, Stage

MAX_QUESTION = 5_000
MAX_ANSWER = 20_000
RENDERERS = {
    "asked": "rfp.areas.clarifications.mail:question_asked",
    "answered": "rfp.areas.clarifications.mail:answer_to_asker",
    "published": "rfp.areas.clarifications.mail:answer_published",
}


def _text(value: str, field: str, limit: int, empty: str) -> tuple[str, Refused | None]:
    text = clean_text(value or "").strip()
    if not text:
        return text, Refused(field, empty)
    if len(text) > limit:
        return text, Refused(field, f"At most {limit:,} characters.")
    return text, None


def ask(
    session: Session, link: m.VendorLink, text: str, question_id: int | None = None
) -> m.Clarification:
    """The vendor asks a question through its link."""
    vendor = link.vendor
    evaluation = vendor.evaluation
    link.last_used_at = utcnow()
    if evaluation.stage != Stage.OPEN:
        raise Refused("text", "Questions are asked while the evaluation is open.", CONFLICT)
    if evaluation.deadline is not None and utcnow() >= evaluation.deadline:
        raise Refused("text", "The response deadline has passed.", CONFLICT)
    text, refused = _text(text, "text", MAX_QUESTION, "Write your question.")
    refusals = [refused] if refused else []
    question = None
    if question_id is not None:
        question = session.get(m.Question, question_id)
        if question is None or question.evaluation_id != evaluation.id:
            refusals.append(Refused("question_id", "Choose a question of this RFP, or none."))
    refuse_all(refusals)
    number = (
        session.scalar(
            select(func.max(m.Clarification.number)).where(
                m.Clarification.evaluation_id == evaluation.id
            )
        )
        or 0
    ) + 1
    clarification = m.Clarification(
        evaluation_id=evaluation.id,
        number=number,
        vendor_id=vendor.id,
        question_id=question.id if question is not None else None,
        text=text,
        public_text=text,
    )
    session.add(clarification)
    session.flush()
    record(
        session,
        evaluation,
        None,
        "clarification.asked",
        f"Q{number}",
        new={"question": question.key if question else None, "text": text},
        actor=vendor_actor(vendor),
    )
    for lead in _leads(session, evaluation):
        queue_mail(
            session,
            kind=MailKind.CLARIFICATION_ASKED,
            to_address=lead.email or "",
            to_name=lead.name,
            subject=f"Q{number}: a vendor asked a question",
            renderer=RENDERERS["asked"],
            context={"clarification_id": clarification.id},
            evaluation=evaluation,
        )
    return clarification


def _leads(session: Session, evaluation: m.Evaluation) -> list[m.User]:
    return [
        ms.user
        for ms in session.scalars(
            select(m.Membership).where(
                m.Membership.evaluation_id == evaluation.id, m.Membership.role == Role.LEAD
            )
        )
        if ms.user.email and ms.user.is_active
    ]


def answer(
    session: Session,
    clarification: m.Clarification,
    user: m.User,
    answer_text: str,
    *,
    publish: bool,
    public_text: str = "",
) -> m.Clarification:
    """The lead answers: to the asker only, or published to every vendor (anonymised)."""
    evaluation = session.get(m.Evaluation, clarification.evaluation_id)
    assert evaluation is not None
    if evaluation.stage != Stage.OPEN:
        raise Refused("answer", "Questions are answered while the evaluation is open.", CONFLICT)
    if clarification.published:
        raise Refused(
            "answer",
            f"Q{clarification.number} is published already: correct it with an addendum.",
            CONFLICT,
        )
    answer_text, refused = _text(answer_text, "answer", MAX_ANSWER, "Write the answer.")
    refusals = [refused] if refused else []
    if publish:
        public_text, refused = _text(
            public_text,
            "public_text",
            MAX_QUESTION,
            "Give the question as every vendor will read it.",
        )
        if refused:
            refusals.append(refused)
    refuse_all(refusals)
    old = {"status": clarification.status, "answer": clarification.answer or None}
    now = utcnow()
    clarification.answer = answer_text
    clarification.answered_at = now
    clarification.answered_by_id = user.id
    if publish:
        clarification.status = ClarificationStatus.PUBLISHED
        clarification.public_text = public_text
        clarification.published_at = now
    else:
        clarification.status = ClarificationStatus.ANSWERED
    session.flush()
    new = {"status": clarification.status, "answer": answer_text}
    if publish:
        old["question"] = clarification.text
        new["question"] = public_text
    record(
        session,
        evaluation,
        user,
        "clarification.published" if publish else "clarification.answered",
        f"Q{clarification.number}",
        old=old,
        new=new,
    )
    _mail_answer(session, evaluation, clarification, publish)
    return clarification


def _mail_answer(
    session: Session, evaluation: m.Evaluation, clarification: m.Clarification, published: bool
) -> None:
    if published:
        recipients = [v for v in evaluation.vendors if v.contact_email]
    else:
        asker = session.get(m.Vendor, clarification.vendor_id) if clarification.vendor_id else None
        recipients = [asker] if asker is not None and asker.contact_email else []
    for vendor in recipients:
        queue_mail(
            session,
            kind=MailKind.CLARIFICATION_PUBLISHED if published else MailKind.CLARIFICATION_ANSWERED,
            to_address=vendor.contact_email,
            to_name=vendor.contact_name or vendor.name,
            subject=(
                f"Q{clarification.number} answered for every vendor"
                if published
                else f"Your question Q{clarification.number} is answered"
            ),
            renderer=RENDERERS["published" if published else "answered"],
            context={"clarification_id": clarification.id, "vendor_id": vendor.id},
            evaluation=evaluation,
        )
