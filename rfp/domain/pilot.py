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
from typing import Any

from rfp.domain.kpis import TOLERANCE, SuccessCriterion, figure_text, kpi_name
from rfp.domain.vocabulary import KpiStatus, PilotRole, PilotVerdict, WeekBand

WINDOW_WEEKS = 4  # "the latest four-week average"
TREND_MIN_FIGURES = 3
MAX_PILOT_WEEKS = 52


# -- the input ---------------------------------------------------------------------------


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
        return None if self.start is None else first_day(self.start, week)


def weeks_between(start: date, end: date) -> int:
    """The pilot's length in weeks: week 1 begins on `start`, the last week holds `end`."""
    return (end - start).days // 7 + 1


def first_day(start: date, week: int) -> date:
    """The first day of pilot week `week` (week 1 begins on `start`)."""
    return start + timedelta(days=7 * (week - 1))


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
        return None if self.start is None else first_day(self.start, week)

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
        trend = least_squares_slope(present)
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
