"""What the vendor pages read: the vendors with their responses, how far each response
is answered, and a vendor's reference calls (one query each)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.models.adapter import load_amendments


def vendors_of(session: Session, evaluation: m.Evaluation) -> list[m.Vendor]:
    """The evaluation's vendors in their order, each with its response."""
    return list(
        session.scalars(
            select(m.Vendor)
            .where(m.Vendor.evaluation_id == evaluation.id)
            .options(selectinload(m.Vendor.response))
            .order_by(m.Vendor.position, m.Vendor.id)
        )
    )


def answer_counts(session: Session, evaluation: m.Evaluation) -> dict[int, int]:
    """Vendor id -> number of questions answered."""
    return dict(
        session.execute(
            select(m.Answer.vendor_id, func.count())
            .join(m.Vendor, m.Vendor.id == m.Answer.vendor_id)
            .where(m.Vendor.evaluation_id == evaluation.id)
            .group_by(m.Answer.vendor_id)
        ).all()
    )


def reference_calls_of(session: Session, vendor: m.Vendor) -> list[m.ReferenceCall]:
    """The vendor's reference calls by date, each with who called."""
    return list(
        session.scalars(
            select(m.ReferenceCall)
            .where(m.ReferenceCall.vendor_id == vendor.id)
            .options(selectinload(m.ReferenceCall.caller).selectinload(m.Membership.user))
            .order_by(m.ReferenceCall.call_date, m.ReferenceCall.id)
        )
    )


def response_as_submitted(session: Session, vendor: m.Vendor) -> dict[str, Any]:
    """The vendor's response as it stands in its own rows (as submitted, once frozen), in
    the scenario file's form: `pricing` (None without a model and a rate), `knockouts`,
    `evidence`, `answers`, `numbers` keyed by question key, and its `amendments` (oldest
    first). `rfp.scenario.amendments.as_amended` gives the response as amended."""
    response = vendor.response
    pricing = None
    if response is not None and response.has_price:
        pricing = {
            "model": response.pricing_model,
            "rate": response.rate,
            "setup_fee": response.setup_fee or 0,
            "monthly_fee": response.monthly_fee or 0,
        }
    doc: dict[str, Any] = {
        "pricing": pricing,
        "knockouts": {},
        "evidence": {},
        "answers": {},
        "numbers": {},
    }
    for key, text, passed, evidence, number in session.execute(
        select(
            m.Question.key,
            m.Answer.text,
            m.Answer.knockout_pass,
            m.Answer.evidence,
            m.Answer.number,
        )
        .join(m.Question, m.Question.id == m.Answer.question_id)
        .where(m.Answer.vendor_id == vendor.id)
    ):
        for name, value in (
            ("answers", text or None),
            ("knockouts", passed),
            ("evidence", evidence or None),
            ("numbers", number),
        ):
            if value is not None:
                doc[name][key] = value
    doc["amendments"] = load_amendments(session, vendor.evaluation_id, vendor.id).get(vendor.id, [])
    return doc
