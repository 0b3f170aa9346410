"""Reference calls: recording, changing and deleting them, with their audit events.

A call records what DESIGN.md lists (vendor, who called, the reference company and
contact, the date, whether the business is similar, a rating on the evaluation's scale,
and the seeds' three questions: what surprised you negatively, what would you do
differently, would you sign this contract again) and notes. The references criterion
is the mean of the normalised ratings; fewer than three calls, or any "no" to signing
again, is flagged.

Calls are recorded, changed and deleted while scoring is open (`Stage.scoring_open`).
Refusals name the form field at fault, with a message the form shows under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.refusal import CONFLICT, NOT_FOUND, Refused
from rfp.core.scale import parse_point
from rfp.domain.vocabulary import SignAgain, Stage

TEXT_MAX = 5000
# The stages in which calls are recorded, changed and deleted.
WRITABLE_STAGES = Stage.where("scoring_open")


@dataclass(frozen=True)
class ReferenceCallFields:
    """What the caller writes down (the vendor and the caller are given separately)."""

    company: str
    contact: str
    call_date: date | None
    similar_business: bool | None
    rating: Any
    would_sign_again: SignAgain | str
    surprised_negatively: str = ""
    do_differently: str = ""
    notes: str = ""


def _clean(evaluation: m.Evaluation, fields: ReferenceCallFields) -> dict[str, Any]:
    company = (fields.company or "").strip()
    if not company:
        raise Refused("company", "Name the reference company.")
    if len(company) > 200:
        raise Refused("company", "At most 200 characters.")
    contact = (fields.contact or "").strip()
    if len(contact) > 200:
        raise Refused("contact", "At most 200 characters.")
    if fields.call_date is None:
        raise Refused("call_date", "Give the date of the call.")
    # A day of slack: the caller's calendar may be ahead of the server's UTC date.
    if fields.call_date > utcnow().date() + timedelta(days=1):
        raise Refused("call_date", "Cannot be in the future.")
    if fields.similar_business is None:
        raise Refused("similar_business", "Answer yes or no: is their business similar?")
    rating = parse_point(evaluation, fields.rating, field="rating")
    if fields.would_sign_again not in SignAgain.values():
        raise Refused("would_sign_again", "Answer yes, no or unsure.")
    texts = {}
    for name in ("surprised_negatively", "do_differently", "notes"):
        text = (getattr(fields, name) or "").strip()
        if len(text) > TEXT_MAX:
            raise Refused(name, f"At most {TEXT_MAX} characters.")
        texts[name] = text
    return {
        "company": company,
        "contact": contact,
        "call_date": fields.call_date,
        "similar_business": fields.similar_business,
        "rating": rating,
        "would_sign_again": SignAgain(fields.would_sign_again),
        **texts,
    }


def _check_stage(evaluation: m.Evaluation) -> None:
    if not evaluation.current_stage.scoring_open:
        raise Refused(
            "stage",
            f"Reference calls are recorded in scoring and consensus; the evaluation is "
            f"{evaluation.stage}.",
            CONFLICT,
        )


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if isinstance(out.get("call_date"), date):
        out["call_date"] = out["call_date"].isoformat()
    return out


def _target(vendor: m.Vendor, company: str) -> str:
    return f"{vendor.name}: {company}"


def record_call(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User | None,
    caller: m.Membership | None,
    vendor: m.Vendor,
    fields: ReferenceCallFields,
) -> m.ReferenceCall:
    """Add a call made by `caller` (the user's membership; None for an admin with none)."""
    _check_stage(evaluation)
    if vendor.evaluation_id != evaluation.id:
        raise Refused("vendor", "Not a vendor of this evaluation.", NOT_FOUND)
    values = _clean(evaluation, fields)
    position = session.scalar(
        select(func.coalesce(func.max(m.ReferenceCall.position), -1)).where(
            m.ReferenceCall.evaluation_id == evaluation.id
        )
    )
    call = m.ReferenceCall(
        evaluation_id=evaluation.id,
        vendor_id=vendor.id,
        caller_membership_id=caller.id if caller is not None else None,
        caller_name="" if caller is not None else (user.name if user else ""),
        position=(position if position is not None else -1) + 1,
        **values,
    )
    session.add(call)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "reference.recorded",
        _target(vendor, values["company"]),
        new=_audit_values(values),
    )
    return call


def update_call(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User | None,
    call: m.ReferenceCall,
    vendor: m.Vendor,
    fields: ReferenceCallFields,
) -> bool:
    """Change a call (its vendor too); records only the fields that changed."""
    _check_stage(evaluation)
    if vendor.evaluation_id != evaluation.id or call.evaluation_id != evaluation.id:
        raise Refused("vendor", "Not a vendor of this evaluation.", NOT_FOUND)
    values = _clean(evaluation, fields)
    values["vendor_id"] = vendor.id
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for name, value in values.items():
        if getattr(call, name) != value:
            old[name] = getattr(call, name)
            new[name] = value
            setattr(call, name, value)
    if not new:
        return False
    session.flush()
    record(
        session,
        evaluation,
        user,
        "reference.changed",
        _target(vendor, call.company),
        old=_audit_values(old),
        new=_audit_values(new),
    )
    return True


def delete_call(
    session: Session, evaluation: m.Evaluation, user: m.User | None, call: m.ReferenceCall
) -> None:
    _check_stage(evaluation)
    old = _audit_values(
        {
            "company": call.company,
            "contact": call.contact,
            "call_date": call.call_date,
            "rating": call.rating,
            "would_sign_again": call.would_sign_again,
        }
    )
    target = _target(call.vendor, call.company)
    session.delete(call)
    session.flush()
    record(session, evaluation, user, "reference.deleted", target, old=old)
