"""What the reference-call page shows: per vendor the calls, their mean rating, the
answers to "would you sign again?" and the engine's flags; who may record and edit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rfp import models as m
from rfp.areas.references.queries import reference_call_flags
from rfp.core import access as a
from rfp.core.blind import is_blind, ordered, vendor_labels
from rfp.domain.scoring.result import Flag
from rfp.domain.vocabulary import SignAgain

SIGN_AGAIN_BADGES = {
    SignAgain.YES: "badge-ok",
    SignAgain.NO: "badge-bad",
    SignAgain.UNSURE: "badge-warn",
}
WOULD_NOT_SIGN = "references_would_not_sign"  # the engine's flag kind


@dataclass(frozen=True)
class SignAgainCount:
    answer: SignAgain
    count: int

    @property
    def badge(self) -> str:
        return SIGN_AGAIN_BADGES[self.answer]


@dataclass(frozen=True)
class VendorCalls:
    vendor: m.Vendor
    label: str  # the name, or "Vendor A" under blind scoring
    calls: list[m.ReferenceCall]  # latest first
    flags: list[Flag]

    @property
    def mean_rating(self) -> float | None:
        return sum(c.rating for c in self.calls) / len(self.calls) if self.calls else None

    @property
    def sign_again(self) -> list[SignAgainCount]:
        """The answers given, in the order yes, no, unsure."""
        counts = [
            SignAgainCount(answer, sum(1 for c in self.calls if c.would_sign_again == answer))
            for answer in SignAgain
        ]
        return [c for c in counts if c.count]

    def is_bad(self, flag: Flag) -> bool:
        return flag.kind == WOULD_NOT_SIGN


@dataclass(frozen=True)
class ReferencesPage:
    vendors: list[VendorCalls]
    blind: bool
    may_record: bool  # this user records calls (the stage aside)
    writable: bool  # the stage lets calls be recorded, changed and deleted
    editable: frozenset[int]  # ids of the calls this user may change now

    @property
    def any_call(self) -> bool:
        return any(v.calls for v in self.vendors)

    @staticmethod
    def sign_again_badge(answer: str) -> str:
        return SIGN_AGAIN_BADGES[SignAgain(answer)]


def vendors_for(access: a.Access) -> list[m.Vendor]:
    """The vendors this user sees calls for: an evaluator's conflicts are left out."""
    vendors = ordered(access.evaluation.vendors)
    if access.is_lead or access.membership is None:
        return vendors
    conflicted = {c.vendor_id for c in access.membership.conflicts}
    return [v for v in vendors if v.id not in conflicted]


def labels(access: a.Access) -> dict[int, str]:
    """Vendor id -> its name, or its letter under blind scoring (by position among all
    the evaluation's vendors, as on the scorecards)."""
    return vendor_labels(ordered(access.evaluation.vendors), is_blind(access))


def references_page(access: a.Access, calls: Sequence[m.ReferenceCall]) -> ReferencesPage:
    evaluation = access.evaluation
    vendors = vendors_for(access)
    names = labels(access)
    by_vendor: dict[int, list[m.ReferenceCall]] = {v.id: [] for v in vendors}
    for call in calls:
        if call.vendor_id in by_vendor:
            by_vendor[call.vendor_id].append(call)
    writable = evaluation.current_stage.scoring_open
    return ReferencesPage(
        vendors=[
            VendorCalls(
                vendor=v,
                label=names[v.id],
                calls=by_vendor[v.id],
                flags=reference_call_flags(by_vendor[v.id]),
            )
            for v in vendors
        ],
        blind=is_blind(access),
        may_record=a.may_record_reference_calls(access),
        writable=writable,
        editable=frozenset(
            c.id for c in calls if writable and a.may_edit_reference_call(access, c)
        ),
    )
