"""Publishing an addendum and acknowledging it. Flush and audit, never commit.

An addendum is published while the evaluation is open, to every vendor at once, and
numbered in order (Addendum 1, 2, ...). It may carry a text, a question reworded, a new
response deadline and a file; whatever it changes is changed with it, in the same
transaction: the deadline (every link not revoked then expires at the new deadline),
the question's text, the file (an RFP document every vendor reads). Once the response
deadline has passed the responses are frozen at it (rfp.core.operations.response_frozen):
an addendum may still say something or publish a file, but no longer move the deadline
(that would reopen the responses) nor reword a question (the vendors can no longer answer it).
Every vendor with a contact e-mail is mailed; every vendor must acknowledge it before
submitting through its link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.addenda.queries import acknowledged_by, next_number
from rfp.areas.documents.operations import attach_rfp_document
from rfp.areas.intake.operations import follow_deadline, vendor_actor
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.document_store import DocumentStore
from rfp.core.mail import queue_mail
from rfp.core.operations import response_frozen
from rfp.core.refusal import CONFLICT, NOT_FOUND, Refused, refuse_all
from rfp.domain.formatting import when
from rfp.domain.vocabulary import MailKind, Stage

MAX_BODY = 20_000
MAIL_RENDERER = "rfp.areas.addenda.mail:addendum_published"


@dataclass(frozen=True)
class AddendumDetails:
    title: str
    body: str = ""
    deadline: datetime | None = None  # the new response deadline, if it moves
    question_id: int | None = None  # the question reworded, if any
    question_text: str = ""  # its new text
    file: tuple[bytes, str] | None = None  # (content, file name) to publish with it


def _checks(
    session: Session, evaluation: m.Evaluation, details: AddendumDetails, now: datetime
) -> list[Refused]:
    refusals = []
    if not details.title.strip():
        refusals.append(Refused("title", "Give the addendum a title."))
    elif len(details.title) > 200:
        refusals.append(Refused("title", "At most 200 characters."))
    if len(details.body) > MAX_BODY:
        refusals.append(Refused("body", f"At most {MAX_BODY:,} characters."))
    passed = response_frozen(evaluation, now) is not None  # open: the deadline has passed
    if passed and details.deadline is not None:
        refusals.append(
            Refused(
                "deadline",
                f"The response deadline passed on {when(evaluation.deadline)}: the vendors' "
                "responses are frozen at it, and moving it now would reopen them. A change "
                "to a response now is an amendment, on the vendor's page.",
            )
        )
    elif details.deadline is not None:
        if details.deadline <= now:
            refusals.append(Refused("deadline", "The new deadline must be in the future."))
        elif evaluation.deadline is not None and details.deadline == evaluation.deadline:
            refusals.append(Refused("deadline", "This is the deadline already."))
    if details.question_id is not None:
        question = session.get(m.Question, details.question_id)
        if question is None or question.evaluation_id != evaluation.id:
            refusals.append(Refused("question_id", "Choose a question of this evaluation."))
        elif passed:
            refusals.append(
                Refused(
                    "question_id",
                    f"The response deadline passed on {when(evaluation.deadline)}: the "
                    "vendors answered this question as it was worded and can no longer "
                    "answer another wording. A wording fix for the panel is made in "
                    "Criteria (audited).",
                )
            )
        elif not details.question_text.strip():
            refusals.append(Refused("question_text", "Give the question's new text."))
        elif details.question_text.strip() == question.text:
            refusals.append(Refused("question_text", "This is the question's text already."))
    elif details.question_text.strip():
        refusals.append(Refused("question_id", "Choose the question this text replaces."))
    changes = (details.body.strip(), details.deadline, details.question_id, details.file)
    if not refusals and not any(c for c in changes):
        refusals.append(
            Refused(
                "body",
                "An addendum says or changes something: a text, a question, the "
                "deadline or a file.",
            )
        )
    return refusals


def publish_addendum(
    session: Session,
    store: DocumentStore,
    evaluation: m.Evaluation,
    user: m.User,
    details: AddendumDetails,
    document_limit: int,
) -> m.Addendum:
    """Publish an addendum to every vendor, with the changes it carries."""
    if evaluation.stage != Stage.OPEN:
        raise Refused(
            "",
            "Addenda are published while the evaluation is open for responses.",
            CONFLICT,
        )
    now = utcnow()
    refuse_all(_checks(session, evaluation, details, now))
    addendum = m.Addendum(
        evaluation_id=evaluation.id,
        number=next_number(session, evaluation.id),
        title=details.title.strip(),
        body=details.body.strip(),
        published_at=now,
        published_by_id=user.id,
    )
    session.add(addendum)
    session.flush()
    old: dict[str, object] = {}
    new: dict[str, object] = {"number": addendum.number, "title": addendum.title}
    if details.deadline is not None:
        addendum.old_deadline = evaluation.deadline
        addendum.new_deadline = details.deadline
        evaluation.deadline = details.deadline
        old["deadline"] = addendum.old_deadline.isoformat() if addendum.old_deadline else None
        new["deadline"] = details.deadline.isoformat()
        new["links_following_the_deadline"] = follow_deadline(session, evaluation) or None
    if details.question_id is not None:
        question = session.get(m.Question, details.question_id)
        assert question is not None
        addendum.question_id = question.id
        addendum.old_question_text = question.text
        addendum.new_question_text = details.question_text.strip()
        question.text = addendum.new_question_text
        old["question"] = {"key": question.key, "text": addendum.old_question_text}
        new["question"] = {"key": question.key, "text": addendum.new_question_text}
    if details.file is not None:
        data, filename = details.file
        document = attach_rfp_document(
            session, store, evaluation, user, data, filename, document_limit, addendum=addendum
        )
        new["file"] = {"name": document.filename, "sha256": document.sha256}
    session.flush()
    record(
        session,
        evaluation,
        user,
        "addendum.published",
        f"Addendum {addendum.number}: {addendum.title}",
        old=old or None,
        new=new,
    )
    _mail_vendors(session, evaluation, addendum)
    return addendum


def _mail_vendors(session: Session, evaluation: m.Evaluation, addendum: m.Addendum) -> None:
    for vendor in evaluation.vendors:
        if not vendor.contact_email:
            continue
        queue_mail(
            session,
            kind=MailKind.ADDENDUM,
            to_address=vendor.contact_email,
            to_name=vendor.contact_name or vendor.name,
            subject=f"Addendum {addendum.number}: {addendum.title}",
            renderer=MAIL_RENDERER,
            context={"addendum_id": addendum.id, "vendor_id": vendor.id},
            evaluation=evaluation,
        )


def acknowledge(session: Session, link: m.VendorLink, addendum: m.Addendum) -> bool:
    """The vendor acknowledges an addendum through its link; False if it already had."""
    vendor = link.vendor
    evaluation = vendor.evaluation
    link.last_used_at = utcnow()
    if addendum.evaluation_id != evaluation.id:
        raise Refused("addendum", "No such addendum.", NOT_FOUND)
    if evaluation.stage != Stage.OPEN:
        raise Refused("addendum", "Responses are closed.", CONFLICT)
    if evaluation.deadline is not None and utcnow() >= evaluation.deadline:
        raise Refused("addendum", "The response deadline has passed.", CONFLICT)
    if addendum.id in acknowledged_by(session, vendor.id):
        return False
    session.add(m.AddendumAcknowledgement(addendum_id=addendum.id, vendor_id=vendor.id))
    session.flush()
    record(
        session,
        evaluation,
        None,
        "addendum.acknowledged",
        f"Addendum {addendum.number}",
        new={"vendor": vendor.key},
        actor=vendor_actor(vendor),
    )
    return True
