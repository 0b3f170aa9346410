"""What the intake pages read: the questions a vendor answers, its stored response, the
state of portal links, what a portal link opens, and the lead's overview. Queries
only; changes are in rfp.areas.intake.operations, page models in rfp.areas.intake.pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.intake import tokens
from rfp.areas.intake.content import (
    Pricing,
    QuestionnaireSpec,
    QuestionSpec,
    ResponseContent,
    public_scope,
)
from rfp.core.db import utcnow
from rfp.core.mail import latest_by
from rfp.domain.vocabulary import AnswerType, MailKind, ResponseStatus


class LinkState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


# -- what a vendor may know -------------------------------------------------------------


def questions_of(session: Session, evaluation: m.Evaluation) -> tuple[QuestionSpec, ...]:
    """Every question a vendor answers, criterion by criterion (one query)."""
    rows = session.execute(
        select(m.Question, m.Criterion.name)
        .join(m.Criterion, m.Criterion.id == m.Question.criterion_id)
        .where(m.Question.evaluation_id == evaluation.id)
        .order_by(m.Criterion.position, m.Criterion.id, m.Question.position, m.Question.id)
    ).all()
    return tuple(
        QuestionSpec(
            key=q.key,
            criterion=criterion,
            text=q.text,
            kind=q.kind,
            answer_type=q.answer_type or AnswerType.TEXT,
            unit=q.unit or "",
        )
        for q, criterion in rows
    )


def questionnaire_spec(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor
) -> QuestionnaireSpec:
    return QuestionnaireSpec(
        evaluation_id=evaluation.id,
        title=evaluation.title,
        vendor_key=vendor.key,
        vendor_name=vendor.name,
        deadline=evaluation.deadline,
        scope=public_scope(evaluation.scope or {}),
        questions=questions_of(session, evaluation),
        channels=tuple((evaluation.scope or {}).get("channels") or ()),
        languages=tuple((evaluation.scope or {}).get("languages") or ()),
    )


def _content(
    response: m.VendorResponse | None, answers: Sequence[tuple[str, m.Answer]]
) -> ResponseContent:
    pricing = Pricing()
    if response is not None:
        pricing = Pricing(
            model=response.pricing_model,
            rate=response.rate,
            setup_fee=response.setup_fee,
            monthly_fee=response.monthly_fee,
            lines=tuple(response.rate_lines or ()),
            tiers=tuple(response.volume_tiers or ()),
        )
    return ResponseContent(
        answers={key: a.text for key, a in answers if a.text},
        numbers={key: a.number for key, a in answers if a.number is not None},
        knockouts={key: a.knockout_pass for key, a in answers if a.knockout_pass is not None},
        evidence={key: a.evidence for key, a in answers if a.evidence},
        pricing=pricing,
    )


def status_of(response: m.VendorResponse | None) -> ResponseStatus:
    """A vendor's response status (not started when it has none)."""
    return ResponseStatus(response.status) if response is not None else ResponseStatus.NOT_STARTED


def response_content(session: Session, vendor: m.Vendor) -> ResponseContent:
    """The vendor's stored response as plain content (one query for the answers)."""
    answers = session.execute(
        select(m.Question.key, m.Answer)
        .join(m.Question, m.Question.id == m.Answer.question_id)
        .where(m.Answer.vendor_id == vendor.id)
    ).all()
    return _content(vendor.response, list(answers))


# -- links ---------------------------------------------------------------------------------


def link_expiry(link: m.VendorLink, evaluation: m.Evaluation) -> datetime | None:
    """A link expires at the response deadline: the one in force when it was made, or
    the current one if the lead has since extended it."""
    candidates = [d for d in (link.expires_at, evaluation.deadline) if d is not None]
    return max(candidates) if candidates else None


def link_state(link: m.VendorLink, evaluation: m.Evaluation, now: datetime) -> LinkState:
    if link.revoked_at is not None:
        return LinkState.REVOKED
    expiry = link_expiry(link, evaluation)
    if expiry is not None and now >= expiry:
        return LinkState.EXPIRED
    return LinkState.ACTIVE


def find_link(session: Session, token: str, now: datetime | None = None) -> m.VendorLink | None:
    """The usable link for a presented token, or None (malformed, unknown, revoked and
    expired tokens are all alike to the caller)."""
    if not tokens.well_formed(token):
        return None
    link = session.scalar(
        select(m.VendorLink).where(m.VendorLink.token_hash == tokens.hash_token(token))
    )
    if link is None or not tokens.token_matches(token, link.token_hash):
        return None
    evaluation = link.vendor.evaluation
    usable = tokens.link_usable(
        revoked_at=link.revoked_at,
        expires_at=link_expiry(link, evaluation),
        now=now or utcnow(),
    )
    return link if usable else None


def link_of(session: Session, evaluation: m.Evaluation, link_id: int) -> m.VendorLink | None:
    """A link of one of the evaluation's vendors (None for another evaluation's)."""
    link = session.get(m.VendorLink, link_id)
    if link is None or link.vendor.evaluation_id != evaluation.id:
        return None
    return link


@dataclass(frozen=True)
class Portal:
    """What a valid token opens: its link, vendor and evaluation, the questionnaire and
    the vendor's response as it stands."""

    token: str
    link: m.VendorLink
    vendor: m.Vendor
    evaluation: m.Evaluation
    spec: QuestionnaireSpec
    content: ResponseContent


def portal_of(session: Session, token: str) -> Portal | None:
    """The portal a token opens, or None (an unusable token: see `find_link`)."""
    link = find_link(session, token)
    if link is None:
        return None
    vendor = link.vendor
    evaluation = vendor.evaluation
    return Portal(
        token=token,
        link=link,
        vendor=vendor,
        evaluation=evaluation,
        spec=questionnaire_spec(session, evaluation, vendor),
        content=response_content(session, vendor),
    )


# -- the lead's overview -------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeData:
    """Everything the intake overview shows, loaded in six queries."""

    questions: tuple[QuestionSpec, ...]
    vendors: Sequence[m.Vendor]
    responses: dict[int, m.VendorResponse]  # by vendor id
    contents: dict[int, ResponseContent]  # by vendor id
    links: dict[int, list[m.VendorLink]]  # by vendor id, newest first
    invitations: dict[int, m.MailMessage] = field(default_factory=dict)  # latest, by vendor


def intake_data(session: Session, evaluation: m.Evaluation) -> IntakeData:
    questions = questions_of(session, evaluation)
    vendors = session.scalars(
        select(m.Vendor)
        .where(m.Vendor.evaluation_id == evaluation.id)
        .order_by(m.Vendor.position, m.Vendor.id)
    ).all()
    responses = {
        r.vendor_id: r
        for r in session.scalars(
            select(m.VendorResponse).join(m.Vendor).where(m.Vendor.evaluation_id == evaluation.id)
        )
    }
    answers: dict[int, list[tuple[str, m.Answer]]] = {}
    for key, answer in session.execute(
        select(m.Question.key, m.Answer)
        .join(m.Question, m.Question.id == m.Answer.question_id)
        .where(m.Question.evaluation_id == evaluation.id)
    ).all():
        answers.setdefault(answer.vendor_id, []).append((key, answer))
    links: dict[int, list[m.VendorLink]] = {}
    for link in session.scalars(
        select(m.VendorLink)
        .join(m.Vendor)
        .where(m.Vendor.evaluation_id == evaluation.id)
        .order_by(m.VendorLink.created_at.desc(), m.VendorLink.id.desc())
    ):
        links.setdefault(link.vendor_id, []).append(link)
    return IntakeData(
        invitations=vendor_invitations(session, evaluation),
        questions=questions,
        vendors=vendors,
        responses=responses,
        contents={v.id: _content(responses.get(v.id), answers.get(v.id, [])) for v in vendors},
        links=links,
    )


def vendor_invitations(session: Session, evaluation: m.Evaluation) -> dict[int, m.MailMessage]:
    """Vendor id -> the latest invitation e-mailed to it."""
    return latest_by(session, evaluation.id, MailKind.VENDOR_INVITATION, "vendor_id")
