"""Recording an amendment: one field of a frozen response changed, beside the original.

The public operations are in `operations.py` (`amend_response` for the lead,
`record_vendor_clarification` for the vendor's own correction); they check who may
amend and when, then call `record_amendment`, which checks the value, writes the
`ResponseAmendment` row and its audit event, flushes and never commits. The vendor's
response rows (VendorResponse, Answer) are never touched: the engine reads the amended
values through rfp.models.adapter.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.vendors.queries import response_as_submitted
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import number_or_int
from rfp.core.refusal import Refused
from rfp.domain.amendments import change_text, how_text, what_text
from rfp.domain.control_characters import without_control_characters
from rfp.domain.vocabulary import (
    AmendedField,
    AmendmentSource,
    AnswerType,
    PricingModel,
    QuestionKind,
)
from rfp.scenario.amendments import Bid, amendment_of

MAX_AMOUNT = 1e12  # money or a number beyond this is a typing mistake
MAX_TEXT = 20_000
MAX_REASON = 5_000


def amendable_question(field: AmendedField, question: m.Question | None) -> bool:
    """May this field of this question be amended? A knockout's pass or fail, a number
    question's number, another question's text answer; a price's parts name none."""
    if field.pricing:
        return question is None
    if question is None:
        return False
    if field is AmendedField.KNOCKOUT:
        return question.kind == QuestionKind.KNOCKOUT
    if field is AmendedField.NUMBER:
        return question.answer_type == AnswerType.NUMBER
    return question.kind != QuestionKind.KNOCKOUT and question.answer_type != AnswerType.NUMBER


def checked_value(field: AmendedField, value: Any) -> Any:
    """The new value as it is kept, or `Refused` naming the field `new`."""
    if value is None or value == "":
        raise Refused("new", "Give the new value.")
    if field is AmendedField.PRICING_MODEL:
        if value not in PricingModel.values():
            raise Refused("new", f"must be one of {', '.join(PricingModel.values())}")
        return str(value)
    if field is AmendedField.KNOCKOUT:
        if not isinstance(value, bool):
            raise Refused("new", "must be pass or fail")
        return value
    if field is AmendedField.ANSWER:
        text = without_control_characters(str(value).replace("\r\n", "\n")).strip()
        if not text:
            raise Refused("new", "Give the new answer.")
        if len(text) > MAX_TEXT:
            raise Refused("new", f"must be at most {MAX_TEXT:,} characters")
        return text
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Refused("new", "must be a number")
    number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_AMOUNT:
        raise Refused("new", f"must be a number between −{MAX_AMOUNT:,.0f} and {MAX_AMOUNT:,.0f}")
    if field is not AmendedField.NUMBER and number < 0:
        raise Refused("new", "must be a number ≥ 0")
    return number_or_int(number)


def checked_reason(reason: str) -> str:
    why = without_control_characters((reason or "").replace("\r\n", "\n")).strip()
    if not why:
        raise Refused(
            "reason",
            "Give the reason for the amendment: it is shown wherever the result is, and "
            "kept in the audit trail.",
        )
    if len(why) > MAX_REASON:
        raise Refused("reason", f"must be at most {MAX_REASON:,} characters")
    return why


def bid_in_effect(session: Session, vendor: m.Vendor) -> Bid:
    """The response the engine scores now: as submitted, with the amendments so far."""
    submitted = response_as_submitted(session, vendor)
    bid = Bid(submitted)
    for amendment in submitted["amendments"]:
        bid.change(amendment["field"], amendment["question"], amendment["new"])
    return bid


def record_amendment(
    session: Session,
    vendor: m.Vendor,
    *,
    field: AmendedField,
    question: m.Question | None,
    new: Any,
    reason: str,
    source: AmendmentSource,
    user: m.User | None,
    actor: str,
) -> m.ResponseAmendment:
    """Check and write one amendment with its audit event (flush, no commit)."""
    evaluation = vendor.evaluation
    if question is not None and question.evaluation_id != evaluation.id:
        raise Refused("question", "is not a question of this evaluation")
    if not amendable_question(field, question):
        raise Refused("question", f"a {field.label.lower()} cannot be amended on this question")
    value = checked_value(field, new)
    why = checked_reason(reason)
    bid = bid_in_effect(session, vendor)
    old = bid.value(field, question.key if question is not None else None)
    if old == value:
        raise Refused("new", "That is the value in effect already: there is nothing to amend.")
    stage = evaluation.current_stage
    amendment = m.ResponseAmendment(
        evaluation_id=evaluation.id,
        vendor_id=vendor.id,
        field=field,
        question_id=question.id if question is not None else None,
        old_value=old,
        new_value=value,
        reason=why,
        source=source,
        stage=stage,
        after_unsealing=stage.unsealed,
        user_id=user.id if user is not None else None,
        actor=actor,
        at=utcnow(),
    )
    session.add(amendment)
    session.flush()
    bid.change(field, question.key if question is not None else None, value)
    _audit(session, vendor, amendment, question, user, bid.pricing["model"])
    return amendment


def _audit(
    session: Session,
    vendor: m.Vendor,
    amendment: m.ResponseAmendment,
    question: m.Question | None,
    user: m.User | None,
    pricing_model: str | None,
) -> None:
    """The audit event in words: "Valle Claro: price amended by the lead after
    unsealing", the old and new value with their unit, and the reason."""
    plain = amendment_of(
        {
            "field": str(amendment.field),
            "question": question.key if question is not None else None,
            "old": amendment.old_value,
            "new": amendment.new_value,
            "reason": amendment.reason,
            "source": str(amendment.source),
            "by": amendment.actor,
            "at": amendment.at.isoformat(),
            "stage": str(amendment.stage),
            "after_unsealing": amendment.after_unsealing,
        }
    )
    unit = question.unit if question is not None else ""
    what = what_text(plain, question.text if question is not None else None)
    old_text, _arrow, new_text = change_text(plain, pricing_model, unit).partition(" → ")
    record(
        session,
        vendor.evaluation,
        user,
        "response.amended" if plain.by_lead else "response.clarified",
        f"{vendor.name}: {what[:1].lower()}{what[1:]} {how_text(plain)}",
        old={what: old_text},
        new={what: new_text},
        reason=amendment.reason,
        actor=amendment.actor if user is None else "",
    )
