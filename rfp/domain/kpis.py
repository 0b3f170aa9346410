"""The pilot's KPIs: units, bounds and names, the success criterion that reads a week's
figure, and the criteria pre-filled from the scope's targets and the seeds' benchmarks.

Pure: no Flask, no database. The rules over a whole pilot are in rfp.domain.pilot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from rfp.domain.scoring.benchmarks import COST_PER_CONTACT_RANGE, CSAT_TARGET_PCT, FCR_TARGET_PCT
from rfp.domain.vocabulary import Kpi, KpiDirection, WeekBand

TOLERANCE = 1e-9  # a figure this close to a threshold is on it


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


def figure_problem(kpi: str, value: float) -> str | None:
    """What is wrong with a KPI figure, if anything: not finite, or outside the KPI's
    bounds (a percentage over 100, a negative handle time...). Forms, files and the
    scenario file all refuse with these words."""
    spec = KPI_SPECS[Kpi(kpi)]
    if not math.isfinite(value):
        return "must be a number"
    if value < spec.lowest:
        return f"must be {spec.lowest:g} or more"
    if value > spec.highest:
        if spec.percent:
            return "is a percentage: at most 100"
        return f"must be at most {spec.highest:,g} {spec.unit}"
    return None


def kpi_name(kpi: str, seconds: float | None = None) -> str:
    """The KPI's short name; service level with its time: "Service level in 20 s"."""
    name = SHORT_NAMES[Kpi(kpi)]
    if kpi == Kpi.SERVICE_LEVEL and seconds is not None:
        name += f" in {seconds:g} s"
    return name


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
