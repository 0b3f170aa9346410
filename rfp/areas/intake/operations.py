"""Vendor intake: portal links, drafts, submission, reopening and questionnaire imports.

Flush and audit, never commit. A response is replaced as a whole and checked completely
before anything changes, so a refused save or import writes nothing. Unsealing is
recorded by the stage change (rfp.areas.stages.operations.advance), not here.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.intake import tokens
from rfp.areas.intake.content import (
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
    PRICING_MODELS,
    Completeness,
    QuestionSpec,
    ResponseContent,
    clean_text,
    completeness_of,
)

# The views read through this module too: the queries are re-exported.
from rfp.areas.intake.queries import (  # noqa: F401
    STATUS_LABELS,
    VendorIntake,
    find_link,
    intake_overview,
    link_expiry,
    link_state,
    questionnaire_spec,
    questions_of,
    response_content,
)
from rfp.core.audit import record
from rfp.core.db import utcnow

LINK_STAGES = ("draft", "open")  # links are made while responses are being collected
IMPORT_STAGES = ("draft", "open")  # responses change only while sealed


class IntakeError(ValueError):
    """A change was refused; `errors` maps a field (or "response") to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def vendor_actor(vendor: m.Vendor) -> str:
    return f"vendor portal: {vendor.key}"


# -- links ---------------------------------------------------------------------------------


def create_link(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor, user: m.User
) -> tuple[m.VendorLink, str]:
    """A new secret link for the vendor; returns the plain token, which is never stored.
    The vendor's earlier links are revoked: one working link per vendor."""
    now = utcnow()
    if evaluation.stage not in LINK_STAGES:
        raise IntakeError(
            {
                "link": "links are made while responses are collected (draft or "
                "open); this evaluation is past that"
            }
        )
    if evaluation.deadline is None:
        raise IntakeError(
            {"link": "set the response deadline first: a link is valid until the deadline"}
        )
    if evaluation.deadline <= now:
        raise IntakeError({"link": "the response deadline has passed: extend it first"})
    replaced = []
    for old in session.scalars(
        select(m.VendorLink).where(
            m.VendorLink.vendor_id == vendor.id, m.VendorLink.revoked_at.is_(None)
        )
    ):
        old.revoked_at = now
        replaced.append(old.id)
    token = tokens.new_token()
    link = m.VendorLink(
        vendor_id=vendor.id,
        token_hash=tokens.hash_token(token),
        created_at=now,
        created_by_id=user.id,
        expires_at=evaluation.deadline,
    )
    session.add(link)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "vendor_link.created",
        vendor.name,
        new={
            "link": link.id,
            "expires_at": evaluation.deadline.isoformat(),
            "replaces": replaced or None,
        },
    )
    return link, token


def revoke_link(session: Session, link: m.VendorLink, user: m.User) -> bool:
    """Revoke a link; False if it already was."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    session.flush()
    record(
        session,
        link.vendor.evaluation,
        user,
        "vendor_link.revoked",
        link.vendor.name,
        old={"link": link.id, "revoked": False},
        new={"link": link.id, "revoked": True},
    )
    return True


def touch_link(link: m.VendorLink) -> None:
    link.last_used_at = utcnow()


# -- the response --------------------------------------------------------------------------


def portal_closed_reason(
    evaluation: m.Evaluation, response: m.VendorResponse | None, now: datetime | None = None
) -> str | None:
    """Why the vendor can no longer change its response through the portal (None: it can)."""
    now = now or utcnow()
    if evaluation.stage == "draft":
        return "The evaluation is not open for responses yet."
    if evaluation.stage != "open":
        return "Responses are closed: the evaluation has moved on to scoring."
    if evaluation.deadline is not None and now >= evaluation.deadline:
        return "The response deadline has passed."
    if response is not None and response.status == "submitted":
        return (
            "Your response has been submitted. Ask the procurement lead to reopen it if "
            "you need to change it."
        )
    return None


def content_errors(questions: tuple[QuestionSpec, ...], content: ResponseContent) -> dict[str, str]:
    """Everything wrong with a response, by field (answer_<key>, knockout_<key>, ...)."""
    errors: dict[str, str] = {}
    by_key = {q.key: q for q in questions}
    for key, text in content.answers.items():
        q = by_key.get(key)
        if q is None or q.is_knockout or q.is_number:
            errors[f"answer_{key}"] = "is not a text question of this evaluation"
        elif len(text) > MAX_TEXT_LENGTH:
            errors[f"answer_{key}"] = f"is longer than {MAX_TEXT_LENGTH:,} characters"
    for key, number in content.numbers.items():
        q = by_key.get(key)
        if q is None or not q.is_number:
            errors[f"answer_{key}"] = "is not a numeric question of this evaluation"
        elif not math.isfinite(number) or abs(number) > MAX_NUMBER:
            errors[f"answer_{key}"] = "is out of range"
    for key in (*content.knockouts, *content.evidence):
        q = by_key.get(key)
        if q is None or not q.is_knockout:
            errors[f"knockout_{key}"] = "is not a knockout of this evaluation"
    for key, text in content.evidence.items():
        if len(text) > MAX_TEXT_LENGTH:
            errors[f"evidence_{key}"] = f"is longer than {MAX_TEXT_LENGTH:,} characters"
    pricing = content.pricing
    if pricing.model is not None and pricing.model not in PRICING_MODELS:
        errors["pricing_model"] = f"must be one of {', '.join(PRICING_MODELS)}"
    for name in ("rate", "setup_fee", "monthly_fee"):
        value = getattr(pricing, name)
        if value is not None and (not math.isfinite(value) or not 0 <= value <= MAX_NUMBER):
            errors[name] = "must be a number >= 0"
    return errors


def _replace(
    session: Session, vendor: m.Vendor, content: ResponseContent, source: str
) -> m.VendorResponse:
    """Write `content` as the vendor's whole response (answers and pricing)."""
    question_ids = dict(
        session.execute(
            select(m.Question.key, m.Question.id).where(
                m.Question.evaluation_id == vendor.evaluation_id
            )
        ).all()
    )
    now = utcnow()
    session.execute(delete(m.Answer).where(m.Answer.vendor_id == vendor.id))
    session.expire(vendor, ["answers"])
    keys = dict.fromkeys(
        [*content.answers, *content.numbers, *content.knockouts, *content.evidence]
    )
    for key in keys:
        session.add(
            m.Answer(
                vendor_id=vendor.id,
                question_id=question_ids[key],
                text=clean_text(content.answers.get(key, "")),
                number=content.numbers.get(key),
                knockout_pass=content.knockouts.get(key),
                evidence=clean_text(content.evidence.get(key, "")),
                updated_at=now,
            )
        )
    response = vendor.response
    if response is None:
        response = m.VendorResponse(vendor_id=vendor.id, status="not_started")
        session.add(response)
        vendor.response = response
    response.pricing_model = content.pricing.model
    response.rate = content.pricing.rate
    response.setup_fee = content.pricing.setup_fee
    response.monthly_fee = content.pricing.monthly_fee
    response.source = source
    response.updated_at = now
    return response


def _check(
    session: Session, vendor: m.Vendor, content: ResponseContent
) -> tuple[QuestionSpec, ...]:
    questions = questions_of(session, vendor.evaluation)
    errors = content_errors(questions, content)
    if errors:
        raise IntakeError(errors)
    return questions


def save_draft(session: Session, vendor: m.Vendor, content: ResponseContent) -> Completeness:
    """The vendor saves its response through the portal (not submitted)."""
    closed = portal_closed_reason(vendor.evaluation, vendor.response)
    if closed:
        raise IntakeError({"response": closed})
    questions = _check(session, vendor, content)
    response = _replace(session, vendor, content, "portal")
    response.status = "draft"
    session.flush()
    return completeness_of(questions, content)


def submit_response(
    session: Session, vendor: m.Vendor, *, user: m.User | None = None
) -> m.VendorResponse:
    """Mark the response submitted (received), with the time, in the audit trail."""
    evaluation = vendor.evaluation
    response = vendor.response
    if user is None:
        closed = portal_closed_reason(evaluation, response)
        if closed:
            raise IntakeError({"response": closed})
    if response is None or response.status == "not_started":
        raise IntakeError({"response": "there is nothing to submit yet"})
    if response.status == "submitted":
        raise IntakeError({"response": "the response is already submitted"})
    now = utcnow()
    completeness = completeness_of(
        questions_of(session, evaluation), response_content(session, vendor)
    )
    response.status = "submitted"
    response.submitted_at = now
    response.updated_at = now
    session.flush()
    record(
        session,
        evaluation,
        user,
        "response.submitted",
        vendor.name,
        old={"status": "draft"},
        new={
            "status": "submitted",
            "submitted_at": now.isoformat(),
            "missing": completeness.missing() or None,
        },
        actor="" if user else vendor_actor(vendor),
    )
    return response


def reopen_response(
    session: Session, vendor: m.Vendor, user: m.User, reason: str = ""
) -> m.VendorResponse:
    """The lead sends a submitted response back to draft so the vendor can change it."""
    evaluation = vendor.evaluation
    if evaluation.stage not in IMPORT_STAGES:
        raise IntakeError(
            {"response": "responses are unsealed and being scored: they can no longer be reopened"}
        )
    response = vendor.response
    if response is None or response.status != "submitted":
        raise IntakeError({"response": "only a submitted response can be reopened"})
    submitted_at = response.submitted_at
    response.status = "draft"
    response.submitted_at = None
    response.updated_at = utcnow()
    session.flush()
    record(
        session,
        evaluation,
        user,
        "response.reopened",
        vendor.name,
        old={
            "status": "submitted",
            "submitted_at": submitted_at.isoformat() if submitted_at else None,
        },
        new={"status": "draft"},
        reason=reason.strip(),
    )
    return response


def import_questionnaire(
    session: Session,
    vendor: m.Vendor,
    content: ResponseContent,
    *,
    user: m.User | None = None,
    submit: bool = False,
) -> Completeness:
    """Replace the vendor's response with a parsed questionnaire. Through the portal
    (user None) it becomes the vendor's draft; the lead may mark it received."""
    evaluation = vendor.evaluation
    if user is None:
        closed = portal_closed_reason(evaluation, vendor.response)
        if closed:
            raise IntakeError({"response": closed})
    elif evaluation.stage not in IMPORT_STAGES:
        raise IntakeError(
            {
                "response": "responses are unsealed and being scored: a "
                "questionnaire can no longer be imported"
            }
        )
    questions = _check(session, vendor, content)
    previous = vendor.response.status if vendor.response is not None else "not_started"
    response = _replace(session, vendor, content, "excel")
    response.status = "draft"
    response.submitted_at = None
    session.flush()
    completeness = completeness_of(questions, content)
    record(
        session,
        evaluation,
        user,
        "response.reimported" if previous != "not_started" else "response.imported",
        vendor.name,
        old={"status": previous},
        new={
            "answers": len(content.answers) + len(content.numbers),
            "knockouts": len(content.knockouts),
            "price": completeness.has_price,
        },
        actor="" if user else vendor_actor(vendor),
    )
    if submit:
        submit_response(session, vendor, user=user)
    return completeness
