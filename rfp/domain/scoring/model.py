"""The engine's input: plain, frozen data with no tie to Flask or the database.

Everything the scoring rules of DESIGN.md need and nothing else. The adapters in
`rfp.scenario` build a `ScoringInput` from a scenario file or from the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from rfp.domain.pilot import PilotPlan

QuestionKind = Literal["scored", "knockout", "info"]
CriterionKind = Literal["scored", "cost", "references"]
PricingModel = Literal["per_hour", "per_contact", "per_fte_month"]
PriceFormula = Literal["lowest_ratio", "linear", "deviation", "log"]
Aggregation = Literal["mean", "median"]
SignAgain = Literal["yes", "no", "unsure"]
DeliveryModel = Literal["onshore", "nearshore", "offshore", "specialty"]

QUESTION_KINDS: tuple[str, ...] = ("scored", "knockout", "info")
CRITERION_KINDS: tuple[str, ...] = ("scored", "cost", "references")
PRICING_MODELS: tuple[str, ...] = ("per_hour", "per_contact", "per_fte_month")
PRICE_FORMULAS: tuple[str, ...] = ("lowest_ratio", "linear", "deviation", "log")
AGGREGATIONS: tuple[str, ...] = ("mean", "median")
SIGN_AGAIN: tuple[str, ...] = ("yes", "no", "unsure")
DELIVERY_MODELS: tuple[str, ...] = ("onshore", "nearshore", "offshore", "specialty")


@dataclass(frozen=True)
class Scale:
    """The evaluation's scoring scale; every raw score lies in [lo, hi]."""

    lo: float = 0.0
    hi: float = 5.0

    def normalise(self, value: float) -> float:
        """Map a raw score on the scale to 0..100."""
        return 100.0 * (value - self.lo) / (self.hi - self.lo)


@dataclass(frozen=True)
class Band:
    """One score band of a quantitative question: a number with lo <= number < hi scores
    `score` (on the evaluation's scale). Either end may be open (None)."""

    score: float
    lo: float | None = None
    hi: float | None = None

    def matches(self, number: float) -> bool:
        return (self.lo is None or number >= self.lo) and (self.hi is None or number < self.hi)


def bands_from_json(bands: Sequence[Mapping[str, Any]]) -> tuple[Band, ...]:
    """Bands in the scenario format [{"min": 6, "score": 5}, {"max": 6, "score": 2}]."""
    return tuple(
        Band(
            score=float(b["score"]),
            lo=None if b.get("min") is None else float(b["min"]),
            hi=None if b.get("max") is None else float(b["max"]),
        )
        for b in bands
    )


def band_score(number: float, bands: Sequence[Band]) -> float | None:
    """The score of the first band the number falls in, or None when no band covers it.

    None rather than 0: a number outside every band is a gap in the lead's bands, not a
    fact about the vendor, so the question stays unscored and the vendor incomplete.
    """
    for band in bands:
        if band.matches(number):
            return band.score
    return None


@dataclass(frozen=True)
class Question:
    key: str
    kind: QuestionKind = "scored"
    weight: float = 1.0
    # A quantitative question: scored from the vendor's number by these bands, the same
    # way for every vendor; evaluators do not score it. None: scored by evaluators.
    bands: tuple[Band, ...] | None = None

    @property
    def computed(self) -> bool:
        return self.kind == "scored" and self.bands is not None


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    weight: float
    kind: CriterionKind = "scored"
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class RateLine:
    """A rate for one channel, one language, or one channel in one language (None: any).
    The most specific line that matches a part of the volume prices it (channel and
    language, then channel, then language); a part no line matches is at `Pricing.rate`."""

    rate: float
    channel: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class VolumeTier:
    """A lower price for the contacts above `above_contacts` a month (marginal, like tax
    brackets: the contacts up to the threshold keep their price). Either `discount_pct`
    off every rate, or `rate` in place of the single rate (pricing without lines)."""

    above_contacts: float
    discount_pct: float | None = None
    rate: float | None = None


@dataclass(frozen=True)
class Pricing:
    model: PricingModel
    rate: float  # the single rate, or the default for what no rate line covers
    setup_fee: float = 0.0
    monthly_fee: float = 0.0
    lines: tuple[RateLine, ...] = ()
    tiers: tuple[VolumeTier, ...] = ()


AmendedValue = str | float | bool | None


@dataclass(frozen=True)
class Amendment:
    """A change made to a vendor's response after it was frozen (the deadline passed or
    the prices were unsealed), kept beside the response as submitted.

    Not a scoring rule: the adapters give the engine the amended values (`Vendor.pricing`,
    `knockouts`, `numbers`) and these records beside them, which the engine hands on to
    the vendor's result unchanged so that every output can show them. `field` is one of
    pricing_model, rate, setup_fee, monthly_fee (no `question`), knockout, answer, number
    (with the `question` key); `source` is "vendor" (its own clarification) or "lead"
    (the exception); `at` is ISO 8601 in UTC.
    """

    field: str
    question: str | None
    old: AmendedValue
    new: AmendedValue
    reason: str
    source: str
    by: str
    at: str
    stage: str
    after_unsealing: bool

    @property
    def by_lead(self) -> bool:
        return self.source == "lead"

    def to_json(self) -> dict[str, Any]:
        """The fields of the scenario file's `vendors[].amendments[]`, in its order."""
        return {
            "field": self.field,
            "question": self.question,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
            "source": self.source,
            "by": self.by,
            "at": self.at,
            "stage": self.stage,
            "after_unsealing": self.after_unsealing,
        }


@dataclass(frozen=True)
class Vendor:
    key: str
    name: str
    delivery_model: DeliveryModel | None = None
    pricing: Pricing | None = None
    # knockout question key -> passed; a knockout absent here is unanswered.
    knockouts: Mapping[str, bool] = field(default_factory=dict)
    # question key -> the number the vendor gave (quantitative questions).
    numbers: Mapping[str, float] = field(default_factory=dict)
    # Changes after the response was frozen, oldest first; pricing, knockouts and numbers
    # above already hold their new values. Passed through to the result as they are.
    amendments: tuple[Amendment, ...] = ()


@dataclass(frozen=True)
class Evaluator:
    key: str
    name: str
    # None: scores every scored criterion; otherwise only these criterion keys.
    criteria: frozenset[str] | None = None


class Score(NamedTuple):
    """One evaluator's raw score. A named tuple rather than a frozen dataclass: large
    evaluations hold tens of thousands, and building them is on the results page's path
    (a named tuple is built in about a third of the time)."""

    evaluator: str
    vendor: str
    question: str
    value: float


class Abstention(NamedTuple):
    """An evaluator's explicit "cannot judge this" on one (vendor, question), with the
    reason. Not a score: it is not counted, and the evaluator is no longer expected to
    score that question of that vendor (so it is not missing either)."""

    evaluator: str
    vendor: str
    question: str
    reason: str = ""


@dataclass(frozen=True)
class ConsensusScore:
    vendor: str
    question: str
    value: float


@dataclass(frozen=True)
class ReferenceCall:
    vendor: str
    rating: float
    would_sign_again: SignAgain = "unsure"


@dataclass(frozen=True)
class CostScope:
    """The volume and cost fields of the scope; required only with a cost criterion."""

    contacts_per_month: float
    aht_minutes: float
    term_months: float
    occupancy: float = 0.80
    fte_hours_per_month: float = 160.0
    governance_overhead_pct: float = 0.0
    inhouse_rate: float | None = None
    # The volume's split by channel and by language, as (name, share) with shares summing
    # to 1; empty: not split (a rate line for a channel or language then never applies).
    channel_mix: tuple[tuple[str, float], ...] = ()
    language_mix: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Settings:
    aggregation: Aggregation = "mean"
    dispersion_threshold: float = 2.0
    price_formula: PriceFormula = "lowest_ratio"
    price_zero_multiple: float = 2.0
    # Rescale each evaluator's scores to the panel before aggregating (see normalisation).
    normalise_evaluators: bool = False


@dataclass(frozen=True)
class ScoringInput:
    criteria: tuple[Criterion, ...]
    vendors: tuple[Vendor, ...]
    evaluators: tuple[Evaluator, ...] = ()
    scores: tuple[Score, ...] = ()
    consensus: tuple[ConsensusScore, ...] = ()
    references: tuple[ReferenceCall, ...] = ()
    scale: Scale = Scale()
    settings: Settings = Settings()
    cost_scope: CostScope | None = None
    # (evaluator key, vendor key) pairs with a declared conflict of interest: the
    # evaluator is not expected to score that vendor and any score they gave is ignored.
    conflicts: frozenset[tuple[str, str]] = frozenset()
    # The pilot of the shortlisted vendors, and a split award's volume shares (vendor
    # key, percent): read by the decision's outputs, never by the ranking.
    pilot: PilotPlan | None = None
    award_shares: tuple[tuple[str, float], ...] = ()
    # Explicit abstentions: each takes its (evaluator, vendor, question) out of the
    # expected scores (see engine.abstained_evaluators).
    abstentions: tuple[Abstention, ...] = ()

    def with_criterion_weights(self, weights: Mapping[str, float]) -> ScoringInput:
        """The same evaluation with other criterion weights (what-if, sensitivity)."""
        criteria = tuple(
            replace(c, weight=float(weights.get(c.key, c.weight))) for c in self.criteria
        )
        return replace(self, criteria=criteria)
