"""What the intake pages show: the lead's overview, a vendor's intake page and the
vendor's own portal page. Pure functions of loaded rows and plain content; the
templates only lay them out.

While responses are sealed the lead's pages carry a vendor's status and completeness,
never its answers: `vendor_page` leaves the content out until scoring opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.intake.content import (
    SOURCE_WORDS,
    Completeness,
    QuestionnaireSpec,
    QuestionSpec,
    ResponseContent,
    ResponseSource,
    completeness_of,
    pricing_model_label,
)
from rfp.areas.intake.operations import portal_closed_reason, submission_blockers
from rfp.areas.intake.queries import (
    IntakeData,
    LinkState,
    Portal,
    link_expiry,
    link_state,
    status_of,
)
from rfp.core.refusal import Refused
from rfp.domain.vocabulary import ResponseStatus

# The lead's words for a response's status: a submitted response is "received".
STATUS_WORDS = {
    ResponseStatus.NOT_STARTED: "not started",
    ResponseStatus.DRAFT: "draft",
    ResponseStatus.SUBMITTED: "received",
}


def source_words(response: m.VendorResponse | None) -> str:
    """How a started response came in ("through the portal"), else "–"."""
    if response is None or status_of(response) == ResponseStatus.NOT_STARTED:
        return "–"
    return SOURCE_WORDS.get(response.source, response.source)


class _Status:
    """What a page says of a response's status."""

    status: ResponseStatus

    @property
    def status_label(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def started(self) -> bool:
        return self.status != ResponseStatus.NOT_STARTED

    @property
    def submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


# -- the lead's overview -------------------------------------------------------------------

OVERVIEW_SOURCE_NOTES = {
    ResponseSource.EXCEL: "from a workbook",
    ResponseSource.PORTAL: "through the portal",
}


@dataclass(frozen=True)
class LinkRow:
    link: m.VendorLink
    state: LinkState
    expiry: datetime | None

    @property
    def active(self) -> bool:
        return self.state == LinkState.ACTIVE


@dataclass(frozen=True)
class VendorIntake(_Status):
    vendor: m.Vendor
    status: ResponseStatus
    updated_at: datetime | None
    submitted_at: datetime | None
    source: str | None
    completeness: Completeness
    links: tuple[LinkRow, ...]  # newest first
    invitation: m.MailMessage | None = None  # the latest e-mailed to the vendor

    @property
    def source_note(self) -> str:
        """How the response came in, when the vendor sent it ("through the portal")."""
        return OVERVIEW_SOURCE_NOTES.get(self.source or "", "")

    @property
    def active_link(self) -> m.VendorLink | None:
        return next((row.link for row in self.links if row.active), None)


def overview(data: IntakeData, evaluation: m.Evaluation, now: datetime) -> list[VendorIntake]:
    """Per vendor: status, last change, completeness and links."""
    rows = []
    for vendor in data.vendors:
        response = data.responses.get(vendor.id)
        rows.append(
            VendorIntake(
                vendor=vendor,
                status=status_of(response),
                updated_at=response.updated_at if response else None,
                submitted_at=response.submitted_at if response else None,
                source=response.source if response else None,
                completeness=completeness_of(data.questions, data.contents[vendor.id]),
                links=tuple(
                    LinkRow(link, link_state(link, evaluation, now), link_expiry(link, evaluation))
                    for link in data.links.get(vendor.id, [])
                ),
                invitation=data.invitations.get(vendor.id),
            )
        )
    return rows


# -- one vendor, for the lead --------------------------------------------------------------


@dataclass(frozen=True)
class VendorIntakePage(_Status):
    vendor: m.Vendor
    response: m.VendorResponse | None
    status: ResponseStatus
    questions: tuple[QuestionSpec, ...]
    completeness: Completeness
    content: ResponseContent | None  # None while sealed
    show_pricing: bool
    collecting: bool  # responses are imported and reopened now

    @property
    def reopenable(self) -> bool:
        return self.submitted and self.collecting

    @property
    def source_words(self) -> str:
        return source_words(self.response)

    @property
    def pricing_model_label(self) -> str:
        return pricing_model_label(self.content.pricing.model if self.content else None)


def vendor_page(
    vendor: m.Vendor,
    questions: tuple[QuestionSpec, ...],
    content: ResponseContent,
    *,
    show_pricing: bool,
) -> VendorIntakePage:
    evaluation = vendor.evaluation
    return VendorIntakePage(
        vendor=vendor,
        response=vendor.response,
        status=status_of(vendor.response),
        questions=questions,
        completeness=completeness_of(questions, content),
        # Sealed: no answers reach the page before scoring opens.
        content=None if evaluation.sealed else content,
        show_pricing=show_pricing,
        collecting=evaluation.current_stage.collecting,
    )


# -- the vendor's portal -------------------------------------------------------------------


@dataclass(frozen=True)
class PortalPage(_Status):
    token: str
    spec: QuestionnaireSpec
    content: ResponseContent
    response: m.VendorResponse | None
    status: ResponseStatus
    completeness: Completeness
    closed: str | None  # why the response can no longer change (None: it can)
    # What the vendor must do before it may submit (addenda, required documents).
    blockers: tuple[Refused, ...] = ()

    @property
    def addenda_to_acknowledge(self) -> bool:
        return any(b.field == "addenda" for b in self.blockers)

    @property
    def documents_missing(self) -> bool:
        return any(b.field == "documents" for b in self.blockers)

    @property
    def pricing_model_label(self) -> str:
        return pricing_model_label(self.content.pricing.model)

    @property
    def sections(self) -> list[tuple[str, list[QuestionSpec]]]:
        """The questions to answer, criterion by criterion, in the evaluation's order."""
        out: list[tuple[str, list[QuestionSpec]]] = []
        for q in self.spec.answerable:
            if not out or out[-1][0] != q.criterion:
                out.append((q.criterion, []))
            out[-1][1].append(q)
        return out


def portal_page(session: Session, portal: Portal) -> PortalPage:
    response = portal.vendor.response
    closed = portal_closed_reason(portal.evaluation, response)
    return PortalPage(
        token=portal.token,
        spec=portal.spec,
        content=portal.content,
        response=response,
        status=status_of(response),
        completeness=completeness_of(portal.spec.questions, portal.content),
        closed=closed,
        blockers=() if closed else tuple(submission_blockers(session, portal.vendor)),
    )
