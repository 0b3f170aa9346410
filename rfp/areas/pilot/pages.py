"""What the pilot pages show, from the pilot's rows and the engine's result. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rfp import models as m
from rfp.areas.pilot.chart import KpiChart, build_kpi_chart
from rfp.domain.kpis import KPI_SPECS, figure_text, kpi_name
from rfp.domain.pilot import CriterionOutcome, PilotResult, VendorPilot, first_day
from rfp.domain.scoring.result import Result, SplitCost
from rfp.domain.vocabulary import Kpi, KpiStatus, PilotRole, Stage


@dataclass(frozen=True)
class CriterionRow:
    kpi: str
    name: str
    criterion: str
    weeks_met: int
    weeks_reported: int
    weeks: int
    latest_average: str
    baseline: str
    versus_baseline: str  # "+4.2 points better than in-house"
    trend: str
    status: str
    reason: str


@dataclass(frozen=True)
class VendorCard:
    vendor_id: int
    key: str
    name: str
    role: str
    rank: int | None
    rows: tuple[CriterionRow, ...]
    passed: int
    watched: int
    failed: int
    proposed: str | None
    reasons: tuple[str, ...]
    verdict: str | None
    verdict_reason: str
    differs: bool  # the recorded verdict is not the one proposed


@dataclass(frozen=True)
class Step:
    text: str
    done: bool
    endpoint: str = ""


def status_line(pilot: m.Pilot, outcome: PilotResult | None, today: date) -> str:
    """Dates, segment and how far the pilot is: "Week 6 of 10 reported · ..."."""
    parts = []
    if pilot.start_date and pilot.end_date:
        parts.append(f"{pilot.start_date.isoformat()} to {pilot.end_date.isoformat()}")
        if today < pilot.start_date:
            parts.append(f"starts in {(pilot.start_date - today).days} days")
    if pilot.channels:
        parts.append(", ".join(pilot.channels))
    if pilot.volume_share_pct:
        parts.append(f"{pilot.volume_share_pct:g} % of the volume")
    if outcome is not None and outcome.weeks:
        done = "finished" if outcome.finished else "running"
        parts.insert(0, f"{outcome.reported_weeks} of {outcome.weeks} weeks reported ({done})")
    return " · ".join(parts)


def _versus_baseline(outcome: CriterionOutcome) -> str:
    baseline, average = outcome.criterion.baseline, outcome.latest_average
    if baseline is None or average is None:
        return ""
    gap = average - baseline
    better = gap >= 0 if outcome.criterion.higher_is_better else gap <= 0
    unit = KPI_SPECS[Kpi(outcome.kpi)].unit
    size = f"{abs(gap):.1f} points" if unit == "%" else figure_text(outcome.kpi, abs(gap))
    if abs(gap) < 1e-9:
        return "as in-house"
    return f"{size} {'better' if better else 'worse'} than in-house"


def _trend_text(outcome: CriterionOutcome) -> str:
    if outcome.trend is None:
        return "–"
    unit = KPI_SPECS[Kpi(outcome.kpi)].unit
    if unit == "%":
        step = f"{outcome.trend:+.1f} pts"
    elif unit == "USD":
        step = f"{'-' if outcome.trend < 0 else '+'}${abs(outcome.trend):.2f}"
    else:
        step = f"{outcome.trend:+.2f} {unit}"
    return f"{step} a week" + (" (worsening)" if outcome.falling else "")


def criterion_rows(vendor: VendorPilot, weeks: int) -> tuple[CriterionRow, ...]:
    return tuple(
        CriterionRow(
            kpi=o.kpi,
            name=kpi_name(o.kpi, o.criterion.seconds),
            criterion=o.criterion.describe(),
            weeks_met=o.weeks_met,
            weeks_reported=o.weeks_reported,
            weeks=weeks,
            latest_average=figure_text(o.kpi, o.latest_average),
            baseline=figure_text(o.kpi, o.criterion.baseline),
            versus_baseline=_versus_baseline(o),
            trend=_trend_text(o),
            status=o.status.value,
            reason=o.reason,
        )
        for o in vendor.criteria
    )


def vendor_cards(outcome: PilotResult, pilot: m.Pilot, result: Result) -> tuple[VendorCard, ...]:
    entries = {pv.vendor.key: pv for pv in pilot.vendors}
    ranks = {v.key: v.rank for v in result.vendors}
    cards = []
    for vendor in outcome.vendors:
        entry = entries[vendor.vendor]
        cards.append(
            VendorCard(
                vendor_id=entry.vendor_id,
                key=vendor.vendor,
                name=entry.vendor.name,
                role=PilotRole(vendor.role).label,
                rank=ranks.get(vendor.vendor),
                rows=criterion_rows(vendor, outcome.reported_weeks),
                passed=vendor.count(KpiStatus.PASS),
                watched=vendor.count(KpiStatus.WATCH),
                failed=vendor.count(KpiStatus.FAIL),
                proposed=vendor.proposed.value if vendor.proposed else None,
                reasons=vendor.reasons,
                verdict=vendor.verdict.value if vendor.verdict else None,
                verdict_reason=vendor.verdict_reason,
                differs=vendor.verdict is not None and vendor.verdict != vendor.proposed,
            )
        )
    return tuple(cards)


def kpi_charts(outcome: PilotResult, names: Mapping[str, str]) -> tuple[KpiChart, ...]:
    return tuple(
        build_kpi_chart(criterion, outcome.weeks, outcome.vendors, names)
        for criterion in outcome.criteria
    )


def steps(pilot: m.Pilot, outcome: PilotResult | None, stage: Stage) -> tuple[Step, ...]:
    """The lead's way through the pilot, and how far it is."""
    has_figures = outcome is not None and outcome.reported_weeks > 0
    verdicts = outcome is not None and all(v.verdict for v in outcome.vendors)
    return (
        Step("Shortlist the champion and any challengers.", True),
        Step("Set the segment, the dates and the success criteria.", pilot.fixed, "pilot.setup"),
        Step("Fix the success criteria before the pilot starts.", pilot.fixed, "pilot.setup"),
        Step("Enter each week's KPIs, typed in or from the helpdesk export.", has_figures),
        Step("Record a verdict per vendor: expand, extend or unwind.", verdicts),
        Step("Record the award with the pilot's evidence.", stage == Stage.DECIDED, "pilot.award"),
    )


@dataclass(frozen=True)
class WeekRow:
    week: int
    starts: date | None
    fields: tuple[str, ...]  # the form's field names, in the KPIs' order


def week_rows(pilot: m.Pilot, weeks: int, kpis: Sequence[str]) -> tuple[WeekRow, ...]:
    return tuple(
        WeekRow(
            week=w,
            starts=first_day(pilot.start_date, w) if pilot.start_date else None,
            fields=tuple(f"w{w}_{kpi}" for kpi in kpis),
        )
        for w in range(1, weeks + 1)
    )


@dataclass(frozen=True)
class ShareRow:
    name: str
    share_pct: float
    monthly_charge: float
    tco: float


def split_rows(split: SplitCost | None, names: Mapping[str, str]) -> tuple[ShareRow, ...]:
    if split is None:
        return ()
    return tuple(
        ShareRow(names.get(s.vendor, s.vendor), s.share_pct, s.monthly_charge, s.tco)
        for s in split.shares
    )
