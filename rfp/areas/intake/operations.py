"""Vendor intake: portal links, invitations by e-mail, drafts, submission (with its
receipt to the vendor), reopening and questionnaire imports.

Flush and audit, never commit. A response is replaced as a whole and checked completely
before anything changes, so a refused save or import writes nothing. Refusals are
`Refused` (several at once: `Refusals`); a stage or state that forbids the change now
is a conflict. Unsealing is recorded by the stage change
(rfp.areas.stages.operations.advance), not here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.addenda.queries import unacknowledged
from rfp.areas.documents.queries import missing_required_slots
from rfp.areas.intake.content import (
    Completeness,
    QuestionSpec,
    ResponseContent,
    ResponseSource,
    clean_text,
    completeness_of,
    content_refusals,
)
from rfp.areas.intake.links import (  # noqa: F401  (the area's link operations)
    check_link_possible,
    create_link,
    follow_deadline,
    revoke_link,
    send_invitation,
    use_link,
)
from rfp.areas.intake.messages import queue_receipt
from rfp.areas.intake.parse import QuestionnaireError, read_questionnaire
from rfp.areas.intake.queries import (
    questionnaire_spec,
    questions_of,
    response_content,
    status_of,
)
from rfp.areas.intake.receipt import receipt_digest
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import require_response_open
from rfp.core.refusal import CONFLICT, Refusals, Refused, refuse_all
from rfp.domain.vocabulary import ResponseStatus, Stage
from rfp.scenario.pricing import price_line_problems


def vendor_actor(vendor: m.Vendor) -> str:
    return f"vendor portal: {vendor.key}"


def _require_collecting(evaluation: m.Evaluation, field: str, message: str) -> None:
    """Links are made and responses change only while they are collected (sealed)."""
    if not evaluation.current_stage.collecting:
        raise Refused(field, message, CONFLICT)


# -- the response --------------------------------------------------------------------------


def portal_closed_reason(
    evaluation: m.Evaluation, response: m.VendorResponse | None, now: datetime | None = None
) -> str | None:
    """Why the vendor can no longer change its response through the portal (None: it can)."""
    now = now or utcnow()
    if evaluation.stage == Stage.DRAFT:
        return "The evaluation is not open for responses yet."
    if evaluation.stage == Stage.DECIDED:
        return "Responses are closed: the evaluation is concluded."
    if evaluation.stage != Stage.OPEN:
        return "Responses are closed: the evaluation team is reviewing them."
    if evaluation.deadline is not None and now >= evaluation.deadline:
        return "The response deadline has passed."
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        return (
            "Your response has been submitted. Ask the procurement lead to reopen it if "
            "you need to change it."
        )
    return None


def _require_portal_open(vendor: m.Vendor) -> None:
    closed = portal_closed_reason(vendor.evaluation, vendor.response)
    if closed:
        raise Refused("response", closed, CONFLICT)


def _replace(
    session: Session, vendor: m.Vendor, content: ResponseContent, source: ResponseSource
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
        response = m.VendorResponse(vendor_id=vendor.id, status=ResponseStatus.NOT_STARTED)
        session.add(response)
        vendor.response = response
    response.pricing_model = content.pricing.model
    response.rate = content.pricing.rate
    response.setup_fee = content.pricing.setup_fee
    response.monthly_fee = content.pricing.monthly_fee
    response.rate_lines = list(content.pricing.lines) or None
    response.volume_tiers = list(content.pricing.tiers) or None
    response.source = source
    response.updated_at = now
    return response


def _check(
    session: Session, vendor: m.Vendor, content: ResponseContent
) -> tuple[QuestionSpec, ...]:
    questions = questions_of(session, vendor.evaluation)
    refuse_all(content_refusals(questions, content))
    return questions


def save_draft(session: Session, vendor: m.Vendor, content: ResponseContent) -> Completeness:
    """The vendor saves its response through the portal (not submitted)."""
    _require_portal_open(vendor)
    questions = _check(session, vendor, content)
    response = _replace(session, vendor, content, ResponseSource.PORTAL)
    response.status = ResponseStatus.DRAFT
    session.flush()
    return completeness_of(questions, content)


def submission_blockers(session: Session, vendor: m.Vendor) -> list[Refused]:
    """What the vendor must still do before it may submit through its link: acknowledge
    every addendum, upload every required document (each a refusal naming it)."""
    blockers = [
        Refused(
            "addenda",
            f"Acknowledge addendum {addendum.number} (“{addendum.title}”) before you submit.",
            CONFLICT,
        )
        for addendum in unacknowledged(session, vendor)
    ]
    blockers += [
        Refused("documents", f"Upload the required “{slot.name}” before you submit.", CONFLICT)
        for slot in missing_required_slots(session, vendor)
    ]
    return blockers


def submit_response(
    session: Session, vendor: m.Vendor, *, user: m.User | None = None
) -> m.VendorResponse:
    """Mark the response submitted (received), with the time, in the audit trail.
    Through the portal (no user) every addendum must be acknowledged and every required
    document uploaded first."""
    evaluation = vendor.evaluation
    response = vendor.response
    if user is None:
        _require_portal_open(vendor)
        refuse_all(submission_blockers(session, vendor))
    else:
        # Marking a response received after the deadline would take in a late bid.
        require_response_open(evaluation)
    if response is None or response.status == ResponseStatus.NOT_STARTED:
        raise Refused("response", "There is nothing to submit yet.", CONFLICT)
    if response.status == ResponseStatus.SUBMITTED:
        raise Refused("response", "The response is already submitted.", CONFLICT)
    now = utcnow()
    digest = receipt_digest(questions_of(session, evaluation), response_content(session, vendor))
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = now
    response.updated_at = now
    session.flush()
    record(
        session,
        evaluation,
        user,
        "response.submitted",
        vendor.name,
        old={"status": ResponseStatus.DRAFT},
        new={
            "status": ResponseStatus.SUBMITTED,
            "submitted_at": now.isoformat(),
            "missing": digest["missing"] or None,
            "sha256": digest["sha256"],
        },
        actor="" if user else vendor_actor(vendor),
    )
    queue_receipt(session, vendor, digest, now, received_by=user)
    return response


def save_portal_response(
    session: Session, link: m.VendorLink, content: ResponseContent, *, submit: bool
) -> Completeness:
    """The vendor saves its response through its link, and submits it when `submit`."""
    use_link(link)
    vendor = link.vendor
    completeness = save_draft(session, vendor, content)
    if submit:
        submit_response(session, vendor)
    return completeness


def reopen_response(
    session: Session, vendor: m.Vendor, user: m.User, reason: str = ""
) -> m.VendorResponse:
    """The lead sends a submitted response back to draft so the vendor can change it."""
    evaluation = vendor.evaluation
    _require_collecting(
        evaluation,
        "response",
        "responses are unsealed and being scored: they can no longer be reopened",
    )
    # Reopened after the deadline, a response could be replaced: it is frozen.
    require_response_open(evaluation)
    response = vendor.response
    if response is None or response.status != ResponseStatus.SUBMITTED:
        raise Refused("response", "only a submitted response can be reopened", CONFLICT)
    submitted_at = response.submitted_at
    response.status = ResponseStatus.DRAFT
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
            "status": ResponseStatus.SUBMITTED,
            "submitted_at": submitted_at.isoformat() if submitted_at else None,
        },
        new={"status": ResponseStatus.DRAFT},
        reason=reason.strip(),
    )
    return response


# -- questionnaires ------------------------------------------------------------------------


def import_questionnaire(
    session: Session,
    vendor: m.Vendor,
    content: ResponseContent,
    *,
    user: m.User | None = None,
    submit: bool = False,
    keep_price_lines: bool = False,
) -> Completeness:
    """Replace the vendor's response with a parsed questionnaire. Through the portal
    (user None) it becomes the vendor's draft; the lead may mark it received. With
    `keep_price_lines` (an older questionnaire, which has none) the response keeps its
    rate lines and volume tiers."""
    evaluation = vendor.evaluation
    if user is None:
        _require_portal_open(vendor)
    else:
        _require_collecting(
            evaluation,
            "response",
            "Responses are unsealed and being scored: a questionnaire can no longer be imported.",
        )
        require_response_open(evaluation)
    if keep_price_lines:
        content = _keep_price_lines(vendor, content)
    questions = _check(session, vendor, content)
    previous = status_of(vendor.response)
    response = _replace(session, vendor, content, ResponseSource.EXCEL)
    response.status = ResponseStatus.DRAFT
    response.submitted_at = None
    session.flush()
    completeness = completeness_of(questions, content)
    record(
        session,
        evaluation,
        user,
        "response.imported" if previous == ResponseStatus.NOT_STARTED else "response.reimported",
        vendor.name,
        old={"status": previous},
        new={
            "answers": len(content.answers) + len(content.numbers),
            "knockouts": len(content.knockouts),
            "price": completeness.has_price,
            **({"rate_lines": len(content.pricing.lines)} if content.pricing.lines else {}),
            **({"volume_tiers": len(content.pricing.tiers)} if content.pricing.tiers else {}),
        },
        actor="" if user else vendor_actor(vendor),
    )
    if submit:
        submit_response(session, vendor, user=user)
    return completeness


OLDER_QUESTIONNAIRE = (
    "This older questionnaire has no Rate lines and Volume tiers sheets, so the response's "
    "rate lines and volume tiers would stay as they are, but they do not fit its pricing "
    "model and rate (Pricing!C3:C4): download a fresh questionnaire, which has those "
    "sheets, and fill that in."
)


@dataclass(frozen=True)
class Imported:
    """What an imported questionnaire did: the response's completeness, and whether it
    was an older questionnaire (format 1, without the Rate lines and Volume tiers
    sheets), which keeps the rate lines and tiers the response had (`kept_price_lines`)."""

    completeness: Completeness
    older: bool = False
    kept_price_lines: bool = False

    def missing(self) -> list[str]:
        return self.completeness.missing()


def _keep_price_lines(vendor: m.Vendor, content: ResponseContent) -> ResponseContent:
    """An older questionnaire's content with the response's rate lines and tiers, which it
    cannot show; refused when they no longer fit (another pricing model, a tier rate
    above the new single rate): that would change what they mean, unseen."""
    response = vendor.response
    lines = tuple((response.rate_lines or ()) if response else ())
    tiers = tuple((response.volume_tiers or ()) if response else ())
    if not lines and not tiers:
        return content
    pricing = content.pricing
    if (
        response is None
        or pricing.model is None
        or pricing.model != response.pricing_model
        or price_line_problems(lines, tiers, pricing.rate)
    ):
        raise Refused("", OLDER_QUESTIONNAIRE)
    return replace(content, pricing=replace(pricing, lines=lines, tiers=tiers))


def import_workbook(
    session: Session,
    vendor: m.Vendor,
    workbook: bytes,
    *,
    user: m.User | None = None,
    submit: bool = False,
) -> Imported:
    """Read a filled questionnaire and make it the vendor's response
    (`import_questionnaire`). Every problem the workbook has is refused at once, each a
    refusal of the workbook as a whole. An older questionnaire, which has no rate lines
    and volume tiers, keeps the response's when the vendor uploads it."""
    spec = questionnaire_spec(session, vendor.evaluation, vendor)
    try:
        parsed = read_questionnaire(workbook, spec)
    except QuestionnaireError as exc:
        raise Refusals([Refused("", problem) for problem in exc.errors]) from exc
    older = not parsed.has_price_lines
    # Through the portal the vendor keeps the lines it typed there. The lead's upload
    # replaces the whole response, lines too (none, in an older file): keeping them
    # would mean looking into a response the lead may not read yet (sealed), and a
    # refusal when they no longer fit would tell the lead that there are some.
    keep = older and user is None
    response = vendor.response
    had_lines = response is not None and bool(response.rate_lines or response.volume_tiers)
    completeness = import_questionnaire(
        session, vendor, parsed.content, user=user, submit=submit, keep_price_lines=keep
    )
    return Imported(completeness, older=older, kept_price_lines=keep and had_lines)


def import_portal_workbook(session: Session, link: m.VendorLink, workbook: bytes) -> Imported:
    """The vendor uploads its filled questionnaire through its link: its new draft."""
    use_link(link)
    return import_workbook(session, link.vendor, workbook)
