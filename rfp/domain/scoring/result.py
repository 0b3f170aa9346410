"""The engine's output: one result object that every view and report reads.

`Result.to_json()` is the contract of `rfp score --json` and of the JSON API; the
results page, the workbook and the PDF read the same object, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from rfp.domain.scoring.model import Amendment

if TYPE_CHECKING:
    from rfp.domain.pilot import PilotResult

_T = TypeVar("_T")


@dataclass(frozen=True)
class MissingScore:
    """An expected score that nobody has entered yet."""

    question: str
    evaluator: str


@dataclass(frozen=True)
class AbstainedScore:
    """An evaluator who abstained on a question, with the reason: neither a score nor
    missing. Listed wherever the missing scores are listed."""

    question: str
    evaluator: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "evaluator": self.evaluator, "reason": self.reason}


@dataclass(frozen=True)
class Flag:
    """Something a reader must see beside a vendor's figures.

    `kind` is one of: dispersion, references_few, references_would_not_sign,
    price_range, cost_per_contact_range, abnormally_low.
    """

    kind: str
    message: str
    question: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.kind, "message": self.message}
        if self.question is not None:
            out["question"] = self.question
        out.update(self.detail)
        return out


@dataclass(frozen=True)
class ChargeLine:
    """One part of the volume (a channel in a language; None: not split) and what it is
    charged a month before volume tiers: its share of the volume and of the agent hours,
    the rate that applies to it and whether a rate line gave it (else the single rate)."""

    channel: str | None
    language: str | None
    share: float
    hours: float
    rate: float
    charge: float
    from_line: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "language": self.language,
            "share": self.share,
            "hours": self.hours,
            "rate": self.rate,
            "charge": self.charge,
            "from_line": self.from_line,
        }


@dataclass(frozen=True)
class CostResult:
    hours_per_month: float
    monthly_charge: float
    tco: float
    cost_per_contact: float
    effective_rate: float
    inhouse_tco: float | None
    savings: float | None
    score: float
    rate_range: tuple[float, float] | None
    abnormally_low: bool
    # Only for a price quoted with rate lines or volume tiers: the parts of the volume as
    # charged, and what the tiers take off the month (monthly_charge is after it).
    charge_lines: tuple[ChargeLine, ...] = ()
    tier_discount: float = 0.0

    def to_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.charge_lines:
            extra["charge_lines"] = [line.to_json() for line in self.charge_lines]
            extra["tier_discount"] = self.tier_discount
        return {
            "tco": self.tco,
            "cost_per_contact": self.cost_per_contact,
            "savings": self.savings,
            "monthly_charge": self.monthly_charge,
            "hours_per_month": self.hours_per_month,
            "effective_rate": self.effective_rate,
            "inhouse_tco": self.inhouse_tco,
            "score": self.score,
            "rate_range": list(self.rate_range) if self.rate_range else None,
            "abnormally_low": self.abnormally_low,
            **extra,
        }


@dataclass(frozen=True)
class VendorShare:
    """One vendor's part of a split award: its share of the volume and what it costs."""

    vendor: str
    share_pct: float
    monthly_charge: float  # for its share of the volume
    tco: float  # its set-up and fees in full, its charge for its share

    def to_json(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "share_pct": self.share_pct,
            "monthly_charge": self.monthly_charge,
            "tco": self.tco,
        }


@dataclass(frozen=True)
class SplitCost:
    """The blended cost of an award that divides the volume between vendors."""

    shares: tuple[VendorShare, ...]
    tco: float
    cost_per_contact: float
    inhouse_tco: float | None
    savings: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "shares": [s.to_json() for s in self.shares],
            "tco": self.tco,
            "cost_per_contact": self.cost_per_contact,
            "inhouse_tco": self.inhouse_tco,
            "savings": self.savings,
        }


@dataclass(frozen=True)
class ReferenceSummary:
    calls: int
    score: float | None  # mean normalised rating, None without calls
    would_sign_again: Mapping[str, int]  # yes / no / unsure -> count

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "score": self.score,
            "would_sign_again": dict(self.would_sign_again),
        }


@dataclass(frozen=True)
class Dispersion:
    """The spread of evaluators' raw scores on one (vendor, question)."""

    vendor: str
    question: str
    scores: Mapping[str, float]  # evaluator key -> raw score
    spread: float  # max - min, on the raw scale
    flagged: bool
    resolved: bool  # a consensus score has been recorded

    def to_json(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "question": self.question,
            "scores": dict(self.scores),
            "range": self.spread,
            "flagged": self.flagged,
            "resolved": self.resolved,
        }


@dataclass(frozen=True)
class VendorResult:
    key: str
    name: str
    rank: int | None
    total: float
    criteria: Mapping[str, float]
    questions: Mapping[str, float | None]
    complete: bool
    missing: tuple[MissingScore, ...]
    incomplete_reasons: tuple[str, ...]
    disqualified: bool
    failed_knockouts: tuple[str, ...]
    unanswered_knockouts: tuple[str, ...]
    cost: CostResult | None
    references: ReferenceSummary
    flags: tuple[Flag, ...]
    delivery_model: str | None = None
    # The vendor's amendments, as the input gave them (oldest first): not a rule of the
    # engine, shown by every output beside the figures they changed.
    amendments: tuple[Amendment, ...] = ()
    abstentions: tuple[AbstainedScore, ...] = ()

    @property
    def amended_after_unsealing(self) -> tuple[Amendment, ...]:
        """The amendments made once prices were unsealed: every output marks them."""
        return tuple(a for a in self.amendments if a.after_unsealing)

    def contribution(self, criterion: str, weights: Mapping[str, float]) -> float:
        """Points of the total this criterion contributes (its score times its share)."""
        return self.criteria[criterion] * weights[criterion]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "rank": self.rank,
            "total": self.total,
            "criteria": dict(self.criteria),
            "questions": dict(self.questions),
            "complete": self.complete,
            "missing": [{"question": m.question, "evaluator": m.evaluator} for m in self.missing],
            "abstentions": [a.to_json() for a in self.abstentions],
            "incomplete_reasons": list(self.incomplete_reasons),
            "disqualified": self.disqualified,
            "failed_knockouts": list(self.failed_knockouts),
            "unanswered_knockouts": list(self.unanswered_knockouts),
            "delivery_model": self.delivery_model,
            "cost": self.cost.to_json() if self.cost else None,
            "references": self.references.to_json(),
            "flags": [f.to_json() for f in self.flags],
            "amendments": [a.to_json() for a in self.amendments],
        }


@dataclass(frozen=True)
class Result:
    vendors: tuple[VendorResult, ...]  # rank order, disqualified last
    weights: Mapping[str, float]  # criterion key -> normalised weight (sums to 1)
    dispersion: tuple[Dispersion, ...]  # every (vendor, question) with two or more scores
    min_tco: float | None = None
    max_tco: float | None = None
    # The pilot of the shortlisted vendors (rfp.domain.pilot), when one was run.
    pilot: PilotResult | None = None
    # The blended cost of a split award (volume shares between vendors), when there is one.
    split: SplitCost | None = None

    def vendor(self, key: str) -> VendorResult:
        for vendor in self.vendors:
            if vendor.key == key:
                return vendor
        raise KeyError(key)

    @property
    def ranked(self) -> tuple[VendorResult, ...]:
        return tuple(v for v in self.vendors if v.rank is not None)

    @property
    def complete(self) -> bool:
        return all(v.complete for v in self.vendors)

    @property
    def flagged_dispersion(self) -> tuple[Dispersion, ...]:
        return tuple(d for d in self.dispersion if d.flagged)

    def leader(self) -> VendorResult | None:
        """The single first-ranked vendor, or None when nobody or several share rank 1."""
        first = [v for v in self.vendors if v.rank == 1]
        return first[0] if len(first) == 1 else None

    def to_json(self) -> dict[str, Any]:
        out = {
            "vendors": [v.to_json() for v in self.vendors],
            "weights": dict(self.weights),
            "complete": self.complete,
            "dispersion": [d.to_json() for d in self.flagged_dispersion],
        }

        # Only when there is one: a file without a pilot reads as it always did.
        if self.pilot is not None:
            out["pilot"] = self.pilot.to_json()
        if self.split is not None:
            out["split_award"] = self.split.to_json()
        return out


def assembled(cls: type[_T], /, **fields: Any) -> _T:
    """`cls(**fields)` for the frozen dataclasses above, every field given: the same
    object, its attributes set at once rather than one `object.__setattr__` at a time as
    a frozen dataclass's __init__ sets them. The engine builds thousands of dispersion
    entries, flags and missing scores per evaluation; none of these classes has a
    __post_init__ (tests/domain/scoring/test_vectorised.py checks they compare equal)."""
    instance = object.__new__(cls)
    object.__setattr__(instance, "__dict__", fields)
    return instance
