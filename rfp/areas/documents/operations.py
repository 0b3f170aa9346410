"""Document slots, vendors' uploads and the RFP's own documents. Flush and audit, never
commit.

An upload is checked completely (rfp.areas.documents.inspection) before its file is
written to the store, so a refused upload stores nothing: no file, no row. A file is
written just before its row is flushed; a request that then fails leaves at most an
unreferenced file named by its hash, never a row without its file.

- Slots are set in draft and while the evaluation is open (vendors are told of a change
  by an addendum); a slot that holds uploads is not removed.
- Vendors upload through their link while their response can still change (open, before
  the deadline, not submitted); a new upload supersedes the one before, which stays on
  the record.
- The lead attaches RFP documents in draft; once open, a new RFP document goes out with
  an addendum (rfp.areas.addenda), which calls `attach_rfp_document` with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.documents.inspection import (
    Inspected,
    UploadRefused,
    inspect_upload,
    megabytes,
)
from rfp.areas.documents.queries import slots_of, uploads_in_slot, vendor_documents
from rfp.areas.intake.operations import portal_closed_reason, vendor_actor
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.document_store import DocumentStore
from rfp.core.operations import require_writable, unique_key
from rfp.core.refusal import CONFLICT, FORBIDDEN, NOT_FOUND, Refused
from rfp.domain.vocabulary import DocumentKind, QuestionKind, Stage

SLOT_STAGES = (Stage.DRAFT, Stage.OPEN)
# Every kind an RFP document may be (the lead's own files).
RFP_KINDS = tuple(DocumentKind)


@dataclass(frozen=True)
class SlotDetails:
    name: str
    description: str
    required: bool
    kinds: tuple[str, ...]
    max_bytes: int
    price_envelope: bool
    question_id: int | None


def _slot_state(slot: m.DocumentSlot) -> dict[str, object]:
    return {
        "name": slot.name,
        "description": slot.description,
        "required": slot.required,
        "kinds": list(slot.kinds),
        "max_bytes": slot.max_bytes,
        "price_envelope": slot.price_envelope,
        "knockout": slot.question.key if slot.question else None,
    }


def _require_slot_stage(evaluation: m.Evaluation) -> None:
    require_writable(evaluation)
    if evaluation.stage not in SLOT_STAGES:
        raise Refused(
            "",
            "Document slots are set in draft and while vendors respond; responses are closed now.",
            CONFLICT,
        )


def _check_slot(
    session: Session,
    evaluation: m.Evaluation,
    details: SlotDetails,
    limit: int,
    slot: m.DocumentSlot | None = None,
) -> None:
    if not details.name.strip():
        raise Refused("name", "Give the document a name, e.g. “SOC 2 Type II report”.")
    if len(details.name) > 200:
        raise Refused("name", "At most 200 characters.")
    if not details.kinds:
        raise Refused("kinds", "Choose at least one type of file.")
    unknown = set(details.kinds) - set(DocumentKind.values())
    if unknown:
        raise Refused("kinds", f"Unknown types: {', '.join(sorted(unknown))}.")
    if not 1 <= details.max_bytes <= limit:
        raise Refused("max_megabytes", f"Must be more than 0 and at most {megabytes(limit)}.")
    if details.question_id is None:
        return
    question = session.get(m.Question, details.question_id)
    if (
        question is None
        or question.evaluation_id != evaluation.id
        or question.kind != QuestionKind.KNOCKOUT
    ):
        raise Refused("question_id", "Choose a knockout question of this evaluation.")
    taken = session.scalar(select(m.DocumentSlot).where(m.DocumentSlot.question_id == question.id))
    if taken is not None and taken is not slot:
        raise Refused(
            "question_id", f"“{taken.name}” already proves this knockout: one document each."
        )


def _apply(slot: m.DocumentSlot, details: SlotDetails) -> None:
    slot.name = details.name.strip()
    slot.description = details.description.strip()
    slot.required = details.required
    slot.kinds = [k for k in DocumentKind.values() if k in details.kinds]
    slot.max_bytes = details.max_bytes
    slot.price_envelope = details.price_envelope
    slot.question_id = details.question_id


def add_slot(
    session: Session, evaluation: m.Evaluation, user: m.User, details: SlotDetails, limit: int
) -> m.DocumentSlot:
    """A new document slot; `limit` is the installation's largest document."""
    _require_slot_stage(evaluation)
    _check_slot(session, evaluation, details, limit)
    slots = slots_of(session, evaluation.id)
    slot = m.DocumentSlot(
        evaluation_id=evaluation.id,
        key=unique_key(details.name, (s.key for s in slots), "document"),
        position=len(slots),
    )
    _apply(slot, details)
    session.add(slot)
    session.flush()
    session.refresh(slot, ["question"])
    record(session, evaluation, user, "document_slot.added", slot.name, new=_slot_state(slot))
    return slot


def update_slot(
    session: Session, slot: m.DocumentSlot, user: m.User, details: SlotDetails, limit: int
) -> bool:
    """Change a slot; False when nothing changed."""
    evaluation = session.get(m.Evaluation, slot.evaluation_id)
    assert evaluation is not None
    _require_slot_stage(evaluation)
    _check_slot(session, evaluation, details, limit, slot)
    old = _slot_state(slot)
    _apply(slot, details)
    session.flush()
    session.refresh(slot, ["question"])
    new = _slot_state(slot)
    keys = [k for k in new if old[k] != new[k]]
    if not keys:
        return False
    record(
        session,
        evaluation,
        user,
        "document_slot.changed",
        slot.name,
        old={k: old[k] for k in keys},
        new={k: new[k] for k in keys},
    )
    return True


def remove_slot(session: Session, slot: m.DocumentSlot, user: m.User) -> None:
    evaluation = session.get(m.Evaluation, slot.evaluation_id)
    assert evaluation is not None
    _require_slot_stage(evaluation)
    uploads = uploads_in_slot(session, slot)
    if uploads:
        raise Refused(
            "",
            f"Vendors have uploaded into “{slot.name}” ({uploads} files): it stays, so that "
            "what they sent stays on the record. Make it optional instead.",
            CONFLICT,
        )
    state = _slot_state(slot)
    session.delete(slot)
    session.flush()
    record(session, evaluation, user, "document_slot.removed", slot.name, old=state)


# -- uploads ---------------------------------------------------------------------------------


def _inspected(
    data: bytes, filename: str, kinds: tuple[DocumentKind, ...], max_bytes: int
) -> Inspected:
    try:
        return inspect_upload(data, filename, kinds, max_bytes)
    except UploadRefused as exc:
        raise Refused("file", str(exc)) from exc


def _document_state(document: m.Document) -> dict[str, object]:
    return {
        "document": document.id,
        "file": document.filename,
        "kind": document.kind,
        "size": document.size,
        "sha256": document.sha256,
    }


def upload_vendor_document(
    session: Session,
    store: DocumentStore,
    link: m.VendorLink,
    slot: m.DocumentSlot,
    data: bytes,
    filename: str,
    limit: int,
) -> m.Document:
    """The vendor uploads a file into a slot through its link; it supersedes the one it
    uploaded before. Checked completely before the file is stored."""
    vendor = link.vendor
    evaluation = vendor.evaluation
    link.last_used_at = utcnow()
    if slot.evaluation_id != evaluation.id:
        raise Refused("slot", "No such document in this request for proposal.", NOT_FOUND)
    closed = portal_closed_reason(evaluation, vendor.response)
    if closed:
        raise Refused("file", closed, CONFLICT)
    inspected = _inspected(data, filename, slot.document_kinds, min(slot.max_bytes, limit))
    previous = vendor_documents(session, vendor.id).get(slot.id)
    now = utcnow()
    if previous is not None:
        previous.superseded_at = now
    store.put(inspected.sha256, data)
    document = m.Document(
        evaluation_id=evaluation.id,
        vendor_id=vendor.id,
        slot_id=slot.id,
        filename=inspected.filename,
        kind=inspected.kind,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_at=now,
    )
    session.add(document)
    session.flush()
    record(
        session,
        evaluation,
        None,
        "document.replaced" if previous is not None else "document.uploaded",
        f"{vendor.name}: {slot.name}",
        old=_document_state(previous) if previous is not None else None,
        new=_document_state(document),
        actor=vendor_actor(vendor),
    )
    return document


def remove_vendor_document(session: Session, link: m.VendorLink, document: m.Document) -> None:
    """The vendor takes an upload back while its response can still change."""
    vendor = link.vendor
    link.last_used_at = utcnow()
    if document.vendor_id != vendor.id or not document.current:
        raise Refused("document", "No such document.", NOT_FOUND)
    closed = portal_closed_reason(vendor.evaluation, vendor.response)
    if closed:
        raise Refused("document", closed, CONFLICT)
    document.superseded_at = utcnow()
    session.flush()
    slot_name = document.slot.name if document.slot else "document"
    record(
        session,
        vendor.evaluation,
        None,
        "document.removed",
        f"{vendor.name}: {slot_name}",
        old=_document_state(document),
        actor=vendor_actor(vendor),
    )


def attach_rfp_document(
    session: Session,
    store: DocumentStore,
    evaluation: m.Evaluation,
    user: m.User,
    data: bytes,
    filename: str,
    limit: int,
    *,
    addendum: m.Addendum | None = None,
) -> m.Document:
    """An RFP document every vendor reads. In draft directly; once open only with an
    addendum (`addendum`), so that every vendor is told."""
    require_writable(evaluation)
    if addendum is None and evaluation.stage != Stage.DRAFT:
        raise Refused(
            "file",
            "Vendors are responding: publish the document with an addendum, so that every "
            "vendor is told.",
            CONFLICT,
        )
    if addendum is not None and evaluation.stage != Stage.OPEN:
        raise Refused("file", "Addenda are published while the evaluation is open.", CONFLICT)
    inspected = _inspected(data, filename, RFP_KINDS, limit)
    store.put(inspected.sha256, data)
    document = m.Document(
        evaluation_id=evaluation.id,
        addendum_id=addendum.id if addendum is not None else None,
        filename=inspected.filename,
        kind=inspected.kind,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by_id=user.id,
    )
    session.add(document)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "rfp_document.attached",
        inspected.filename + (f" (addendum {addendum.number})" if addendum is not None else ""),
        new=_document_state(document),
    )
    return document


def remove_rfp_document(session: Session, document: m.Document, user: m.User) -> None:
    """Take an RFP document back, in draft only (once vendors read it, it stays)."""
    evaluation = session.get(m.Evaluation, document.evaluation_id)
    assert evaluation is not None
    require_writable(evaluation)
    if document.vendor_id is not None:
        raise Refused("document", "Only the buyer's documents are removed here.", FORBIDDEN)
    if evaluation.stage != Stage.DRAFT or document.addendum_id is not None:
        raise Refused(
            "document",
            "Vendors have this document: it stays. Publish an addendum to replace it.",
            CONFLICT,
        )
    document.superseded_at = utcnow()
    session.flush()
    record(
        session,
        evaluation,
        user,
        "rfp_document.removed",
        document.filename,
        old=_document_state(document),
    )
