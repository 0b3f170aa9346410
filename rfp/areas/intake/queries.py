"""What the intake pages read: the questions a vendor answers, its stored response, the
state of portal links, and the lead's overview. Queries only; changes are in
rfp.areas.intake.operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.intake import tokens
from rfp.areas.intake.content import (
    Completeness,
    Pricing,
    QuestionnaireSpec,
    QuestionSpec,
    ResponseContent,
    completeness_of,
    public_scope,
)
from rfp.core.db import utcnow

STATUS_LABELS = {"not_started": "not started", "draft": "draft", "submitted": "received"}


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
            answer_type=q.answer_type or "text",
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
    )


def _content(
    response: m.VendorResponse | None, answers: list[tuple[str, m.Answer]]
) -> ResponseContent:
    pricing = Pricing()
    if response is not None:
        pricing = Pricing(
            model=response.pricing_model,
            rate=response.rate,
            setup_fee=response.setup_fee,
            monthly_fee=response.monthly_fee,
        )
    return ResponseContent(
        answers={key: a.text for key, a in answers if a.text},
        numbers={key: a.number for key, a in answers if a.number is not None},
        knockouts={key: a.knockout_pass for key, a in answers if a.knockout_pass is not None},
        evidence={key: a.evidence for key, a in answers if a.evidence},
        pricing=pricing,
    )


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


def link_state(link: m.VendorLink, evaluation: m.Evaluation, now: datetime) -> str:
    if link.revoked_at is not None:
        return "revoked"
    expiry = link_expiry(link, evaluation)
    if expiry is not None and now >= expiry:
        return "expired"
    return "active"


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


# -- the lead's overview -------------------------------------------------------------------


@dataclass(frozen=True)
class VendorIntake:
    vendor: m.Vendor
    status: str  # not_started, draft, submitted
    updated_at: datetime | None
    submitted_at: datetime | None
    source: str | None
    completeness: Completeness
    links: list[tuple[m.VendorLink, str, datetime | None]]  # (link, state, expiry)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def active_link(self) -> m.VendorLink | None:
        return next((link for link, state, _ in self.links if state == "active"), None)


def intake_overview(session: Session, evaluation: m.Evaluation) -> list[VendorIntake]:
    """Per vendor: status, last change, completeness and links, in five queries."""
    now = utcnow()
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
    out = []
    for vendor in vendors:
        response = responses.get(vendor.id)
        content = _content(response, answers.get(vendor.id, []))
        out.append(
            VendorIntake(
                vendor=vendor,
                status=response.status if response else "not_started",
                updated_at=response.updated_at if response else None,
                submitted_at=response.submitted_at if response else None,
                source=response.source if response else None,
                completeness=completeness_of(questions, content),
                links=[
                    (link, link_state(link, evaluation, now), link_expiry(link, evaluation))
                    for link in links.get(vendor.id, [])
                ],
            )
        )
    return out
