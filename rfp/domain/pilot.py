"""The pilot: success criteria, weekly KPI figures, and the verdict the data proposes.

The seeds end a selection with a pilot: one segment outsourced for 8 to 12 weeks, with
explicit success criteria fixed before it starts, tracked from week one, and a decision to
expand or unwind "based on the pilot data, not the vendor's pitch". These are the rules
that read the data (pure: no Flask, no database; the README's "The pilot" says the same):

- A week's figure against a criterion is *met* at the threshold or better (to within
  1e-9), in the *watch band* between the threshold and the failing limit (the limit
  itself included), and *failing* beyond the limit. A week with no figure is *missing*
  and counts as not met.
- The reporting weeks run from 1 to the latest week any shortlisted vendor reported.
  The latest four of them are the steady state a criterion is judged on (the first weeks
  are the ramp); their average is taken over the figures present.
- A criterion *fails* when that average is failing. It *passes* when the average meets
  the threshold, none of the four weeks is missing, and the trend is not falling through
  the threshold. Otherwise it is on *watch*.
- The trend is *falling* when, over three or more figures of the latest four weeks, the
  least-squares slope goes the wrong way and the fitted line is already short of the
  threshold at the latest week (so one noisy week does not decide it).
- The verdict proposed for a vendor: *unwind* when any criterion fails, *extend* when any
  is on watch, *expand* when every one passes; none before the vendor's first figure.
  The lead records the verdict, with a reason; it may differ from the proposal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, CSAT_TARGET_PCT, FCR_TARGET_PCT
from rfp.domain.vocabulary import Kpi, KpiDirection, KpiStatus, PilotRole, PilotVerdict, WeekBand

TOLERANCE = 1e-9  # a figure this close to a threshold is on it
WINDOW_WEEKS = 4  # "the latest four-week average"
TREND_MIN_FIGURES = 3
MAX_PILOT_WEEKS = 52


@dataclass(frozen=True)
class KpiSpec:
    """What a KPI is measured in and where its figures may lie."""

    kpi: Kpi
    unit: str  # "%", "min", "USD"
    direction: KpiDirection  # the usual one; a criterion may say otherwise
    lowest: float
    highest: float

    @property
    def percent(self) -> bool:
        return self.unit == "%"


KPI_SPECS: Mapping[Kpi, KpiSpec] = MappingProxyType(
    {
        Kpi.FCR: KpiSpec(Kpi.FCR, "%", KpiDirection.HIGHER, 0.0, 100.0),
        Kpi.CSAT: KpiSpec(Kpi.CSAT, "%", KpiDirection.HIGHER, 0.0, 100.0),
        Kpi.AHT: KpiSpec(Kpi.AHT, "min", KpiDirection.LOWER, 0.0, 600.0),
        Kpi.ATTRITION: KpiSpec(Kpi.ATTRITION, "%", KpiDirection.LOWER, 0.0, 100.0),
        Kpi.SERVICE_LEVEL: KpiSpec(Kpi.SERVICE_LEVEL, "%", KpiDirection.HIGHER, 0.0, 100.0),
        Kpi.QA_SCORE: KpiSpec(Kpi.QA_SCORE, "%", KpiDirection.HIGHER, 0.0, 100.0),
        Kpi.COST_PER_CONTACT: KpiSpec(
            Kpi.COST_PER_CONTACT, "USD", KpiDirection.LOWER, 0.0, 10_000.0
        ),
    }
)

# Seeds' figures behind the defaults: "95 % quality scores against a 90 % target" and
# "80 % of calls within 20 seconds" (the team-extension guide's financial-services case).
QA_TARGET_PCT = 90.0
SERVICE_LEVEL_TARGET = (80.0, 20.0)  # percent, within seconds


def figure_text(kpi: str, value: float | None) -> str:
    """A KPI figure with its unit, one decimal (money two): 74.5 %, 6.2 min, $4.10."""
    if value is None:
        return "–"
    unit = KPI_SPECS[Kpi(kpi)].unit
    if unit == "USD":
        sign = "−" if value < 0 else ""
        return f"{sign}${abs(value):,.2f}"
    return f"{value:.1f} {unit}"


SHORT_NAMES: Mapping[Kpi, str] = MappingProxyType(
    {
        Kpi.FCR: "FCR",
        Kpi.CSAT: "CSAT",
        Kpi.AHT: "AHT",
        Kpi.ATTRITION: "Attrition",
        Kpi.SERVICE_LEVEL: "Service level",
        Kpi.QA_SCORE: "QA score",
        Kpi.COST_PER_CONTACT: "Cost per contact",
    }
)


def kpi_name(kpi: str, seconds: float | None = None) -> str:
    """The KPI's short name; service level with its time: "Service level in 20 s"."""
    name = SHORT_NAMES[Kpi(kpi)]
    if kpi == Kpi.SERVICE_LEVEL and seconds is not None:
        name += f" in {seconds:g} s"
    return name


# -- the input ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SuccessCriterion:
    """One KPI's success criterion, fixed before the pilot starts."""

    kpi: str
    direction: str  # KpiDirection
    threshold: float  # met at this figure or better
    fail_at: float  # beyond this figure a week fails; between the two is the watch band
    seconds: float | None = None  # service level: the share answered within this time
    baseline: float | None = None  # the in-house team's figure, for comparison

    @property
    def higher_is_better(self) -> bool:
        return self.direction == KpiDirection.HIGHER

    def meets(self, value: float) -> bool:
        if self.higher_is_better:
            return value >= self.threshold - TOLERANCE
        return value <= self.threshold + TOLERANCE

    def band(self, value: float | None) -> WeekBand:
        if value is None:
            return WeekBand.MISSING
        if self.meets(value):
            return WeekBand.MET
        if self.higher_is_better:
            return WeekBand.NEUTRAL if value >= self.fail_at - TOLERANCE else WeekBand.FAILING
        return WeekBand.NEUTRAL if value <= self.fail_at + TOLERANCE else WeekBand.FAILING

    def problem(self) -> str | None:
        """What is wrong with the criterion itself, if anything (for forms and files)."""
        if self.higher_is_better and self.fail_at > self.threshold:
            return "the failing limit must be at or below the threshold (higher is better)"
        if not self.higher_is_better and self.fail_at < self.threshold:
            return "the failing limit must be at or above the threshold (lower is better)"
        return None

    def describe(self) -> str:
        """The criterion in words: "FCR at least 75.0 % (failing below 72.0 %)"."""
        better, worse = ("at least", "below") if self.higher_is_better else ("at most", "above")
        return (
            f"{kpi_name(self.kpi, self.seconds)} {better} {figure_text(self.kpi, self.threshold)}"
            f" (failing {worse} {figure_text(self.kpi, self.fail_at)})"
        )


@dataclass(frozen=True)
class ShortlistedVendor:
    vendor: str  # key
    role: str  # PilotRole
    verdict: str | None = None  # PilotVerdict recorded by the lead
    verdict_reason: str = ""


@dataclass(frozen=True)
class PilotPlan:
    """A pilot as the rules read it. `figures` maps (vendor, week, kpi) to a figure;
    weeks count from 1, the week that begins on `start`."""

    weeks: int
    criteria: tuple[SuccessCriterion, ...]
    vendors: tuple[ShortlistedVendor, ...]
    figures: Mapping[tuple[str, int, str], float]
    start: date | None = None

    def week_start(self, week: int) -> date | None:
        return None if self.start is None else self.start + timedelta(days=7 * (week - 1))


def weeks_between(start: date, end: date) -> int:
    """The pilot's length in weeks: week 1 begins on `start`, the last week holds `end`."""
    return (end - start).days // 7 + 1


def week_of(start: date, day: date) -> int:
    """The pilot week a day falls in (1 for the first seven days)."""
    return (day - start).days // 7 + 1


# -- the outcome -------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigure:
    week: int
    value: float | None
    band: WeekBand


@dataclass(frozen=True)
class CriterionOutcome:
    """One vendor against one success criterion."""

    criterion: SuccessCriterion
    weeks: tuple[WeekFigure, ...]  # every reporting week, in order
    weeks_met: int
    weeks_reported: int  # weeks with a figure
    window: tuple[int, int]  # first and last week of the latest four
    latest_average: float | None
    trend: float | None  # least-squares slope a week over the window (None under 3 figures)
    falling: bool
    missing_in_window: tuple[int, ...]
    status: KpiStatus
    reason: str

    @property
    def kpi(self) -> str:
        return self.criterion.kpi

    def to_json(self) -> dict[str, Any]:
        return {
            "kpi": self.kpi,
            "status": self.status.value,
            "reason": self.reason,
            "weeks_met": self.weeks_met,
            "weeks_reported": self.weeks_reported,
            "window": list(self.window),
            "latest_average": self.latest_average,
            "trend": self.trend,
            "falling": self.falling,
            "missing_in_window": list(self.missing_in_window),
            "weeks": [{"week": w.week, "value": w.value, "band": w.band.value} for w in self.weeks],
        }


@dataclass(frozen=True)
class VendorPilot:
    vendor: str
    role: str
    criteria: tuple[CriterionOutcome, ...]
    proposed: PilotVerdict | None
    reasons: tuple[str, ...]  # why the proposal: the failing criteria, then those on watch
    verdict: PilotVerdict | None  # recorded by the lead
    verdict_reason: str

    def count(self, status: KpiStatus) -> int:
        return sum(1 for c in self.criteria if c.status == status)

    def outcome(self, kpi: str) -> CriterionOutcome:
        for c in self.criteria:
            if c.kpi == kpi:
                return c
        raise KeyError(kpi)

    def to_json(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "role": self.role,
            "proposed_verdict": self.proposed.value if self.proposed else None,
            "reasons": list(self.reasons),
            "verdict": self.verdict.value if self.verdict else None,
            "verdict_reason": self.verdict_reason,
            "criteria": [c.to_json() for c in self.criteria],
        }


@dataclass(frozen=True)
class PilotResult:
    weeks: int  # planned
    reported_weeks: int  # the latest week any vendor reported
    criteria: tuple[SuccessCriterion, ...]
    vendors: tuple[VendorPilot, ...]  # in shortlist order (champion first)
    start: date | None = None

    @property
    def finished(self) -> bool:
        return self.reported_weeks >= self.weeks

    def vendor(self, key: str) -> VendorPilot:
        for v in self.vendors:
            if v.vendor == key:
                return v
        raise KeyError(key)

    def week_start(self, week: int) -> date | None:
        return None if self.start is None else self.start + timedelta(days=7 * (week - 1))

    def to_json(self) -> dict[str, Any]:
        return {
            "weeks": self.weeks,
            "reported_weeks": self.reported_weeks,
            "finished": self.finished,
            "start": self.start.isoformat() if self.start else None,
            "criteria": [
                {
                    "kpi": c.kpi,
                    "direction": c.direction,
                    "threshold": c.threshold,
                    "fail_at": c.fail_at,
                    "seconds": c.seconds,
                    "baseline": c.baseline,
                }
                for c in self.criteria
            ],
            "vendors": [v.to_json() for v in self.vendors],
        }


# -- the rules ---------------------------------------------------------------------------


def reported_weeks(plan: PilotPlan) -> int:
    """The latest week any shortlisted vendor has a figure for (0 before the first)."""
    shortlisted = {v.vendor for v in plan.vendors}
    weeks = [week for vendor, week, _kpi in plan.figures if vendor in shortlisted]
    return min(max(weeks, default=0), plan.weeks)


def least_squares_slope(points: list[tuple[float, float]]) -> float:
    """The slope of the least-squares line through (x, y) points (two or more x values)."""
    mean_x = math.fsum(x for x, _ in points) / len(points)
    mean_y = math.fsum(y for _, y in points) / len(points)
    spread = math.fsum((x - mean_x) ** 2 for x, _ in points)
    return math.fsum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def assess_criterion(
    criterion: SuccessCriterion, values: Mapping[int, float], through_week: int
) -> CriterionOutcome:
    """One vendor's figures (week -> figure) against one criterion, weeks 1..through_week."""
    weeks = tuple(
        WeekFigure(w, values.get(w), criterion.band(values.get(w)))
        for w in range(1, through_week + 1)
    )
    first = max(1, through_week - WINDOW_WEEKS + 1)
    window = [w for w in weeks if w.week >= first]
    present = [(float(w.week), w.value) for w in window if w.value is not None]
    missing = tuple(w.week for w in window if w.value is None)
    average = math.fsum(v for _, v in present) / len(present) if present else None
    trend = falling = None
    if len(present) >= TREND_MIN_FIGURES:
        trend = least_squares_slope(present)  # type: ignore[arg-type]
        worse = trend < -TOLERANCE if criterion.higher_is_better else trend > TOLERANCE
        mean_week = math.fsum(x for x, _ in present) / len(present)
        fitted = average + trend * (through_week - mean_week)  # type: ignore[operator]
        falling = worse and not criterion.meets(fitted)
    status, reason = _status(criterion, average, len(window), missing, bool(falling), trend)
    return CriterionOutcome(
        criterion=criterion,
        weeks=weeks,
        weeks_met=sum(1 for w in weeks if w.band == WeekBand.MET),
        weeks_reported=sum(1 for w in weeks if w.value is not None),
        window=(first, through_week) if through_week else (0, 0),
        latest_average=average,
        trend=trend,
        falling=bool(falling),
        missing_in_window=missing,
        status=status,
        reason=reason,
    )


def _status(
    criterion: SuccessCriterion,
    average: float | None,
    window_weeks: int,
    missing: tuple[int, ...],
    falling: bool,
    trend: float | None,
) -> tuple[KpiStatus, str]:
    name = kpi_name(criterion.kpi)
    if average is None:
        return KpiStatus.WATCH, f"{name}: no figures in the latest four weeks"
    shown = figure_text(criterion.kpi, average)
    band = criterion.band(average)
    if band == WeekBand.FAILING:
        worse = "below" if criterion.higher_is_better else "above"
        limit = figure_text(criterion.kpi, criterion.fail_at)
        return KpiStatus.FAIL, f"{name}: latest four-week average {shown} is {worse} {limit}"
    target = figure_text(criterion.kpi, criterion.threshold)
    if band == WeekBand.NEUTRAL:
        return KpiStatus.WATCH, f"{name}: latest four-week average {shown} misses {target}"
    if window_weeks < WINDOW_WEEKS:
        return KpiStatus.WATCH, (
            f"{name}: {shown} meets {target}, but only {window_weeks} week"
            f"{'' if window_weeks == 1 else 's'} reported; a pass needs four"
        )
    if missing:
        weeks = ", ".join(str(w) for w in missing)
        return KpiStatus.WATCH, (
            f"{name}: {shown} meets {target}, but week{'' if len(missing) == 1 else 's'} "
            f"{weeks} {'has' if len(missing) == 1 else 'have'} no figure"
        )
    if falling:
        direction = "falling" if criterion.higher_is_better else "rising"
        return KpiStatus.WATCH, (
            f"{name}: {shown} meets {target}, but it is {direction} "
            f"({trend:+.2f} a week) and the trend is already past the threshold"
        )
    return KpiStatus.PASS, f"{name}: latest four-week average {shown} meets {target}"


def propose_verdict(
    outcomes: tuple[CriterionOutcome, ...],
) -> tuple[PilotVerdict | None, tuple[str, ...]]:
    """Unwind on any failing criterion, extend on any on watch, expand when all pass."""
    if not outcomes or not any(o.weeks_reported for o in outcomes):
        return None, ("No weekly figures yet.",)
    failing = tuple(o.reason for o in outcomes if o.status == KpiStatus.FAIL)
    watching = tuple(o.reason for o in outcomes if o.status == KpiStatus.WATCH)
    if failing:
        return PilotVerdict.UNWIND, failing + watching
    if watching:
        return PilotVerdict.EXTEND, watching
    return PilotVerdict.EXPAND, (f"All {len(outcomes)} success criteria pass.",)


def assess_pilot(plan: PilotPlan) -> PilotResult:
    """Every shortlisted vendor against every success criterion, and the verdicts."""
    through = reported_weeks(plan)
    by_vendor_kpi: dict[tuple[str, str], dict[int, float]] = {}
    for (vendor, week, kpi), value in plan.figures.items():
        if 1 <= week <= plan.weeks:
            by_vendor_kpi.setdefault((vendor, kpi), {})[week] = value
    vendors = []
    for shortlisted in _shortlist_order(plan.vendors):
        outcomes = tuple(
            assess_criterion(c, by_vendor_kpi.get((shortlisted.vendor, c.kpi), {}), through)
            for c in plan.criteria
        )
        proposed, reasons = propose_verdict(outcomes)
        vendors.append(
            VendorPilot(
                vendor=shortlisted.vendor,
                role=shortlisted.role,
                criteria=outcomes,
                proposed=proposed,
                reasons=reasons,
                verdict=PilotVerdict(shortlisted.verdict) if shortlisted.verdict else None,
                verdict_reason=shortlisted.verdict_reason,
            )
        )
    return PilotResult(
        weeks=plan.weeks,
        reported_weeks=through,
        criteria=plan.criteria,
        vendors=tuple(vendors),
        start=plan.start,
    )


def _shortlist_order(vendors: tuple[ShortlistedVendor, ...]) -> list[ShortlistedVendor]:
    """The champion first, then the challengers in the order they were shortlisted."""
    return sorted(vendors, key=lambda v: v.role != PilotRole.CHAMPION)


# -- the defaults: success criteria pre-filled from the scope's targets and the seeds --------


def _one_decimal(value: float) -> float:
    return round(value, 1)


def default_criteria(scope: Mapping[str, Any]) -> tuple[SuccessCriterion, ...]:
    """Success criteria from the scope's targets, or the seeds' benchmarks where the scope
    has none; a KPI with neither (AHT without a handle time, attrition without a target)
    is left for the lead to add.

    - FCR: the target (else the seeds' 72 %), failing below the seeds' 72 to 78 % range;
    - CSAT: the target (else "above 85 %"), failing five points below;
    - AHT: the target (else the handle time the cost model assumes), failing 15 % above;
    - attrition (% a year): the target, failing ten points above;
    - service level: the target (else 80 %) answered in 20 s, failing ten points below;
    - QA score: 90 %, failing below 85 %;
    - cost per contact: the in-house figure (rate x handle time / occupancy), else the
      top of the seeds' $4 to $22 range, failing 10 % above.
    """
    targets = scope.get("targets") or {}
    low_fcr = FCR_TARGET_PCT[0]
    out: list[SuccessCriterion] = []

    def higher(kpi: Kpi, threshold: float, fail_at: float, seconds: float | None = None) -> None:
        out.append(SuccessCriterion(kpi, KpiDirection.HIGHER, threshold, fail_at, seconds))

    def lower(kpi: Kpi, threshold: float, fail_at: float) -> None:
        out.append(SuccessCriterion(kpi, KpiDirection.LOWER, threshold, fail_at))

    fcr = float(targets.get("fcr_pct") or low_fcr)
    higher(Kpi.FCR, fcr, low_fcr if fcr > low_fcr else fcr - 5)
    csat = float(targets.get("csat_pct") or CSAT_TARGET_PCT)
    higher(Kpi.CSAT, csat, csat - 5)
    aht = targets.get("aht_minutes") or scope.get("aht_minutes")
    if aht:
        lower(Kpi.AHT, float(aht), _one_decimal(float(aht) * 1.15))
    attrition = targets.get("attrition_pct")
    if attrition:
        lower(Kpi.ATTRITION, float(attrition), min(100.0, float(attrition) + 10))
    level = float(targets.get("service_level_pct") or SERVICE_LEVEL_TARGET[0])
    higher(Kpi.SERVICE_LEVEL, level, max(0.0, level - 10), SERVICE_LEVEL_TARGET[1])
    higher(Kpi.QA_SCORE, QA_TARGET_PCT, QA_TARGET_PCT - 5)
    per_contact = _inhouse_cost_per_contact(scope) or COST_PER_CONTACT_RANGE[1]
    lower(Kpi.COST_PER_CONTACT, round(per_contact, 2), round(per_contact * 1.1, 2))
    return tuple(out)


def _inhouse_cost_per_contact(scope: Mapping[str, Any]) -> float | None:
    """In-house rate x agent-hours per contact (handle time over occupancy)."""
    rate, aht = scope.get("inhouse_rate"), scope.get("aht_minutes")
    if not rate or not aht:
        return None
    return float(rate) * float(aht) / 60.0 / float(scope.get("occupancy") or 0.8)
