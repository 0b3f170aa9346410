"""The sourcing record (document slots, documents, Q&A, addenda) between a canonical
scenario document and the database: the part of rfp.scenario.store's import and dump
that rfp.scenario.sourcing validates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.scenario.sourcing import TYPES

# -- import ------------------------------------------------------------------------------


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def import_sourcing(
    session: Session,
    doc: Mapping[str, Any],
    evaluation: m.Evaluation,
    vendors: Mapping[str, m.Vendor],
    questions: Mapping[str, m.Question],
) -> None:
    """Add the document slots, documents, Q&A and addenda of a canonical document."""
    slots: dict[str, m.DocumentSlot] = {}
    for i, s in enumerate(doc.get("document_slots", [])):
        slot = m.DocumentSlot(
            evaluation_id=evaluation.id,
            key=s["key"],
            name=s["name"],
            description=s["description"],
            required=s["required"],
            kinds=list(s["types"]),
            max_bytes=s["max_bytes"],
            price_envelope=s["price_envelope"],
            question_id=questions[s["knockout"]].id if s["knockout"] else None,
            position=i,
        )
        session.add(slot)
        slots[s["key"]] = slot
    addenda: dict[int, m.Addendum] = {}
    for a in doc.get("addenda", []):
        deadline, question = a["deadline"] or {}, a["question"]
        addendum = m.Addendum(
            evaluation_id=evaluation.id,
            number=a["number"],
            title=a["title"],
            body=a["body"],
            published_at=_at(a["published_at"]),
            old_deadline=_at(deadline.get("old")),
            new_deadline=_at(deadline.get("new")),
            question_id=questions[question["key"]].id if question else None,
            old_question_text=question["old_text"] if question else "",
            new_question_text=question["new_text"] if question else "",
        )
        addendum.acknowledgements = [
            m.AddendumAcknowledgement(
                vendor_id=vendors[ack["vendor"]].id, acknowledged_at=_at(ack["at"])
            )
            for ack in a["acknowledged_by"]
        ]
        session.add(addendum)
        addenda[a["number"]] = addendum
    session.flush()
    for d in doc.get("documents", []):
        session.add(
            m.Document(
                evaluation_id=evaluation.id,
                vendor_id=vendors[d["vendor"]].id if d["vendor"] else None,
                slot_id=slots[d["slot"]].id if d["slot"] else None,
                addendum_id=addenda[d["addendum"]].id if d["addendum"] is not None else None,
                filename=d["filename"],
                kind=d["type"],
                size=d["size"],
                sha256=d["sha256"],
                uploaded_at=_at(d["uploaded_at"]),
                superseded_at=_at(d["removed_at"]),
            )
        )
    for q in doc.get("clarifications", []):
        session.add(
            m.Clarification(
                evaluation_id=evaluation.id,
                number=q["number"],
                vendor_id=vendors[q["vendor"]].id if q["vendor"] else None,
                question_id=questions[q["question"]].id if q["question"] else None,
                text=q["text"],
                asked_at=_at(q["asked_at"]),
                status=q["status"],
                public_text=q["public_text"],
                answer=q["answer"],
                answered_at=_at(q["answered_at"]),
                published_at=_at(q["published_at"]),
            )
        )
    session.flush()


# -- dump ----------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def dump_sourcing(
    session: Session,
    evaluation_id: int,
    vendor_key: Mapping[int, str],
    question_key: Mapping[int, str],
) -> dict[str, list[dict[str, Any]]]:
    slots = session.scalars(
        select(m.DocumentSlot)
        .where(m.DocumentSlot.evaluation_id == evaluation_id)
        .order_by(m.DocumentSlot.position, m.DocumentSlot.id)
    ).all()
    slot_key = {s.id: s.key for s in slots}
    addenda = session.scalars(
        select(m.Addendum)
        .where(m.Addendum.evaluation_id == evaluation_id)
        .order_by(m.Addendum.number)
    ).all()
    addendum_number = {a.id: a.number for a in addenda}
    documents = session.scalars(
        select(m.Document).where(m.Document.evaluation_id == evaluation_id).order_by(m.Document.id)
    ).all()
    clarifications = session.scalars(
        select(m.Clarification)
        .where(m.Clarification.evaluation_id == evaluation_id)
        .order_by(m.Clarification.number)
    ).all()
    return {
        "document_slots": [
            {
                "key": s.key,
                "name": s.name,
                "description": s.description,
                "required": s.required,
                "types": [k for k in TYPES if k in s.kinds],
                "max_bytes": s.max_bytes,
                "price_envelope": s.price_envelope,
                "knockout": question_key.get(s.question_id) if s.question_id else None,
            }
            for s in slots
        ],
        "documents": [
            {
                "vendor": vendor_key[d.vendor_id] if d.vendor_id else None,
                "slot": slot_key[d.slot_id] if d.slot_id else None,
                "addendum": addendum_number.get(d.addendum_id) if d.addendum_id else None,
                "filename": d.filename,
                "type": str(d.kind),
                "size": d.size,
                "sha256": d.sha256,
                "uploaded_at": _iso(d.uploaded_at),
                "removed_at": _iso(d.superseded_at),
            }
            for d in documents
        ],
        "clarifications": [
            {
                "number": q.number,
                "vendor": vendor_key.get(q.vendor_id) if q.vendor_id else None,
                "question": question_key.get(q.question_id) if q.question_id else None,
                "text": q.text,
                "asked_at": _iso(q.asked_at),
                "status": str(q.status),
                "public_text": q.public_text,
                "answer": q.answer,
                "answered_at": _iso(q.answered_at),
                "published_at": _iso(q.published_at),
            }
            for q in clarifications
        ],
        "addenda": [
            {
                "number": a.number,
                "title": a.title,
                "body": a.body,
                "published_at": _iso(a.published_at),
                "deadline": (
                    {"old": _iso(a.old_deadline), "new": _iso(a.new_deadline)}
                    if a.new_deadline
                    else None
                ),
                "question": (
                    {
                        "key": question_key[a.question_id],
                        "old_text": a.old_question_text,
                        "new_text": a.new_question_text,
                    }
                    if a.question_id
                    else None
                ),
                "acknowledged_by": [
                    {"vendor": vendor_key[ack.vendor_id], "at": _iso(ack.acknowledged_at)}
                    for ack in sorted(a.acknowledgements, key=lambda x: (x.acknowledged_at, x.id))
                ],
            }
            for a in addenda
        ],
    }
