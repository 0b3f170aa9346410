"""Vendors and the responses the lead types in for them. Flush, audit, never commit.

A response (answers, knockout answers with evidence, pricing) is saved as a whole: it
is checked completely before anything changes, so a refused save writes nothing. Once
the deadline passes or the prices are unsealed the response is frozen: it stays as
submitted, and a change is an amendment (`amend_response` for the lead, the exception;
`record_vendor_clarification` for the vendor's own correction), kept beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.vendors.amendments import record_amendment
from rfp.core.audit import changed_fields, record
from rfp.core.db import utcnow
from rfp.core.operations import (
    check_bound,
    number_or_int,
    require_response_open,
    require_writable,
    response_frozen,
    unique_key,
)
from rfp.core.refusal import CONFLICT, Refusals, Refused
from rfp.core.versions import check_version
from rfp.domain.vocabulary import (
    AmendedField,
    AmendmentSource,
    DeliveryModel,
    PricingModel,
    QuestionKind,
    ResponseStatus,
    Stage,
)
from rfp.scenario.pricing import lines_to_text, price_line_problems, tiers_to_text

# Vendors come and go only while responses are collected (draft, open).
EDITABLE_STAGES = Stage.where("collecting")
# Where a response came from: typed in by the lead, or sent by the vendor itself.
TYPED = "typed"
VENDOR_SOURCES = ("portal", "excel")


@dataclass(frozen=True)
class VendorDetails:
    name: str
    delivery_model: str | None = None
    country: str = ""
    contact_name: str = ""
    contact_email: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AnswerInput:
    text: str = ""
    knockout_pass: bool | None = None
    evidence: str = ""
    number: float | None = None

    @property
    def empty(self) -> bool:
        return (
            not self.text.strip()
            and self.knockout_pass is None
            and not self.evidence.strip()
            and self.number is None
        )


@dataclass(frozen=True)
class PricingInput:
    model: str | None = None
    rate: float | None = None
    setup_fee: float | None = None
    monthly_fee: float | None = None
    # Rate lines and volume tiers as the scenario file writes them (rfp.scenario.pricing).
    lines: tuple[dict[str, Any], ...] = ()
    tiers: tuple[dict[str, Any], ...] = ()


def sealed_from_lead(evaluation: m.Evaluation, vendor: m.Vendor) -> bool:
    """The vendor's own submission stays sealed from the lead until scoring starts."""
    response = vendor.response
    return evaluation.sealed and response is not None and response.source in VENDOR_SOURCES


def require_typed_in(evaluation: m.Evaluation, vendor: m.Vendor) -> None:
    """The lead types in a response, or edits one typed in, but never opens one the
    vendor sent itself while responses are sealed."""
    if sealed_from_lead(evaluation, vendor):
        raise Refused(
            "",
            "The vendor sent this response itself; it stays sealed until scoring starts. "
            "Its status is on the Intake page.",
            CONFLICT,
        )


def _require_collecting(evaluation: m.Evaluation, what: str) -> None:
    if not evaluation.current_stage.collecting:
        stages = " or ".join(EDITABLE_STAGES)
        raise Refused("stage", f"vendors can be {what} only in {stages}", CONFLICT)


def _check_details(
    evaluation: m.Evaluation, details: VendorDetails, vendor: m.Vendor | None
) -> str:
    name = details.name.strip()
    if not name:
        raise Refused("name", "is required")
    if details.delivery_model is not None and details.delivery_model not in DeliveryModel.values():
        raise Refused("delivery_model", f"must be one of {', '.join(DeliveryModel.values())}")
    for other in evaluation.vendors:
        if other is not vendor and other.name.strip().lower() == name.lower():
            raise Refused("name", f"{other.name} is already a vendor of this evaluation")
    return name


def _details_state(vendor: m.Vendor) -> dict[str, object]:
    return {
        "name": vendor.name,
        "delivery_model": vendor.delivery_model,
        "country": vendor.country,
        "contact_name": vendor.contact_name,
        "contact_email": vendor.contact_email,
        "notes": vendor.notes,
    }


def add_vendor(
    session: Session, evaluation: m.Evaluation, user: m.User, details: VendorDetails
) -> m.Vendor:
    require_writable(evaluation)
    _require_collecting(evaluation, "added")
    name = _check_details(evaluation, details, None)
    vendor = m.Vendor(
        evaluation=evaluation,
        key=unique_key(name, (v.key for v in evaluation.vendors), "vendor"),
        name=name,
        delivery_model=details.delivery_model,
        country=details.country.strip(),
        contact_name=details.contact_name.strip(),
        contact_email=details.contact_email.strip(),
        notes=details.notes.strip(),
        position=max((v.position for v in evaluation.vendors), default=-1) + 1,
    )
    vendor.response = m.VendorResponse(status=ResponseStatus.NOT_STARTED, source=TYPED)
    session.add(vendor)
    session.flush()
    record(session, evaluation, user, "vendor.added", name, new=_details_state(vendor))
    return vendor


def update_vendor(
    session: Session,
    vendor: m.Vendor,
    user: m.User,
    details: VendorDetails,
    opened_version: int | None = None,
) -> bool:
    """Returns whether anything changed. `opened_version`: the vendor's version its
    form was opened at (rfp.core.versions)."""
    evaluation = vendor.evaluation
    require_writable(evaluation)
    name = _check_details(evaluation, details, vendor)
    old = _details_state(vendor)
    vendor.name = name
    vendor.delivery_model = details.delivery_model
    vendor.country = details.country.strip()
    vendor.contact_name = details.contact_name.strip()
    vendor.contact_email = details.contact_email.strip()
    vendor.notes = details.notes.strip()
    before, after = changed_fields(old, _details_state(vendor))
    if not after:
        return False
    check_version(
        session, vendor, opened_version, what=old["name"], actions=("vendor.%",), target=old["name"]
    )
    session.flush()
    record(session, evaluation, user, "vendor.updated", name, old=before, new=after)
    return True


def remove_vendor(session: Session, vendor: m.Vendor, user: m.User, *, reason: str = "") -> None:
    evaluation = vendor.evaluation
    require_writable(evaluation)
    _require_collecting(evaluation, "removed")
    old = dict(_details_state(vendor), answers=len(vendor.answers))
    evaluation.vendors.remove(vendor)
    session.flush()
    record(session, evaluation, user, "vendor.removed", old["name"], old=old, reason=reason.strip())


# -- the response -------------------------------------------------------------------------


def _check_money(value: float | None, field: str) -> float | None:
    if value is not None and not value >= 0:
        raise Refused(field, "must be a number ≥ 0")
    check_bound(field, value, field)
    return value


def _check_pricing(pricing: PricingInput) -> PricingInput:
    if pricing.model is not None and pricing.model not in PricingModel.values():
        raise Refused("pricing_model", f"must be one of {', '.join(PricingModel.values())}")
    _check_money(pricing.rate, "rate")
    _check_money(pricing.setup_fee, "setup_fee")
    _check_money(pricing.monthly_fee, "monthly_fee")
    if pricing.model is None and pricing.rate is not None:
        raise Refused("pricing_model", "choose how the vendor prices the rate given")
    if pricing.model is not None and pricing.rate is None:
        raise Refused("rate", "is required with a pricing model")
    if pricing.model is None and (pricing.setup_fee or pricing.monthly_fee):
        raise Refused("pricing_model", "a price needs a pricing model and a rate")
    if pricing.model is None and (pricing.lines or pricing.tiers):
        raise Refused("pricing_model", "rate lines and tiers need a pricing model and a rate")
    problems = price_line_problems(pricing.lines, pricing.tiers, pricing.rate)
    if problems:  # all or nothing: every bad row named
        raise Refusals([Refused(f, " ".join(errors)) for f, errors in problems.items()])
    return pricing


def _pricing_state(response: m.VendorResponse) -> dict[str, object]:
    return {
        "pricing_model": response.pricing_model,
        "rate": number_or_int(response.rate),
        "setup_fee": number_or_int(response.setup_fee),
        "monthly_fee": number_or_int(response.monthly_fee),
        "rate_lines": lines_to_text(response.rate_lines) or None,
        "volume_tiers": tiers_to_text(response.volume_tiers) or None,
    }


def _answer_state(answer: m.Answer | None) -> dict[str, object] | None:
    if answer is None:
        return None
    state: dict[str, object] = {}
    if answer.text:
        state["text"] = answer.text
    if answer.knockout_pass is not None:
        state["knockout"] = "yes" if answer.knockout_pass else "no"
    if answer.evidence:
        state["evidence"] = answer.evidence
    if answer.number is not None:
        state["number"] = number_or_int(answer.number)
    return state or None


def save_response(
    session: Session,
    vendor: m.Vendor,
    user: m.User,
    *,
    answers: dict[int, AnswerInput],
    pricing: PricingInput,
    complete: bool,
    reason: str = "",
) -> bool:
    """Replace the vendor's typed-in response. Returns whether anything changed.

    Only until the response is frozen (the deadline passed or the prices unsealed):
    after that it stays as submitted and a change is an amendment (`amend_response`)."""
    evaluation = vendor.evaluation
    require_writable(evaluation)
    require_response_open(evaluation)
    require_typed_in(evaluation, vendor)
    questions = {
        q.id: q
        for q in session.scalars(
            select(m.Question).where(m.Question.evaluation_id == evaluation.id)
        )
    }
    for question_id, given in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise Refused(f"answer_{question_id}", "is not a question of this evaluation")
        if given.knockout_pass is not None and question.kind != QuestionKind.KNOCKOUT:
            raise Refused(f"knockout_{question_id}", "only knockout questions pass or fail")
    _check_pricing(pricing)

    response = vendor.response or m.VendorResponse(vendor=vendor, status=ResponseStatus.NOT_STARTED)
    existing = {a.question_id: a for a in vendor.answers}
    old: dict[str, object] = {}
    new: dict[str, object] = {}
    before = _pricing_state(response)
    response.pricing_model = pricing.model
    response.rate = pricing.rate
    response.setup_fee = pricing.setup_fee
    response.monthly_fee = pricing.monthly_fee
    response.rate_lines = list(pricing.lines) or None
    response.volume_tiers = list(pricing.tiers) or None
    after = _pricing_state(response)
    for key in after:
        if before[key] != after[key]:
            old[key], new[key] = before[key], after[key]

    for question_id, given in answers.items():
        key = f"answer:{questions[question_id].key}"
        answer = existing.get(question_id)
        was = _answer_state(answer)
        if given.empty:
            if answer is not None:
                vendor.answers.remove(answer)
        else:
            if answer is None:
                answer = m.Answer(question_id=question_id)
                vendor.answers.append(answer)
            answer.text = given.text.strip()
            answer.knockout_pass = given.knockout_pass
            answer.evidence = given.evidence.strip()
            answer.number = given.number
        now_state = None if given.empty else _answer_state(answer)
        if was != now_state:
            old[key], new[key] = was, now_state

    entered = bool(vendor.answers) or pricing.model is not None
    if complete:
        status = ResponseStatus.SUBMITTED
    else:
        status = ResponseStatus.DRAFT if entered else ResponseStatus.NOT_STARTED
    if status != response.status:
        old["status"], new["status"] = response.status, status
    if not new:
        return False
    why = reason.strip()
    now = utcnow()
    response.status = status
    response.source = TYPED
    response.updated_at = now
    if status == ResponseStatus.SUBMITTED and response.submitted_at is None:
        response.submitted_at = now
    elif status != ResponseStatus.SUBMITTED:
        response.submitted_at = None
    session.flush()
    record(session, evaluation, user, "vendor.response", vendor.name, old=old, new=new, reason=why)
    return True


# -- amendments: changes once the response is frozen ---------------------------------------


def may_amend(evaluation: m.Evaluation, vendor: m.Vendor) -> str | None:
    """Why the lead may not amend this vendor's response now (None: they may)."""
    if evaluation.read_only:
        return "The evaluation is decided and read-only."
    if not response_frozen(evaluation):
        return (
            "The response is not frozen yet: until the deadline it is changed directly "
            "(the response form, the portal or a questionnaire)."
        )
    if sealed_from_lead(evaluation, vendor):
        return (
            "The vendor sent this response itself and it stays sealed until scoring "
            "starts: it is read, and amended if it must be, from then on."
        )
    return None


def amend_response(
    session: Session,
    vendor: m.Vendor,
    user: m.User,
    *,
    field: AmendedField,
    question: m.Question | None,
    new: object,
    reason: str,
) -> m.ResponseAmendment:
    """The lead's amendment of a frozen response: the exception, shown as one wherever
    the result is. The response as submitted stays; the engine scores the new value."""
    refused = may_amend(vendor.evaluation, vendor)
    if refused:
        raise Refused("", refused, CONFLICT)
    return record_amendment(
        session,
        vendor,
        field=field,
        question=question,
        new=new,
        reason=reason,
        source=AmendmentSource.LEAD,
        user=user,
        actor=user.name,
    )


def record_vendor_clarification(
    session: Session,
    vendor: m.Vendor,
    *,
    field: AmendedField,
    question: m.Question | None,
    new: object,
    reason: str,
    user: m.User | None = None,
) -> m.ResponseAmendment:
    """The vendor's own correction of its frozen response (a clarification answered
    through the Q&A): the normal way to correct a bid after the deadline. `user` is the
    lead who recorded it, if any; the vendor is named as its author either way. The
    response as submitted stays; the engine scores the new value.

    Refused before the freeze (the vendor changes its response itself until the
    deadline) and once the evaluation is decided."""
    evaluation = vendor.evaluation
    require_writable(evaluation)
    if not response_frozen(evaluation):
        raise Refused(
            "",
            "The response is not frozen yet: until the deadline the vendor changes it itself.",
            CONFLICT,
        )
    return record_amendment(
        session,
        vendor,
        field=field,
        question=question,
        new=new,
        reason=reason,
        source=AmendmentSource.VENDOR,
        user=user,
        actor=f"{vendor.name} (vendor)",
    )
