"""A pilot KPI's chart: each vendor's weekly figures against the criterion, as geometry.

Pure layout, no markup (like the results chart): `templates/pilot/_chart.html` draws it
as inline SVG, every text escaped by Jinja. The plot is shaded by the criterion's bands
(met, watch, failing), with the threshold as a solid line, the failing limit dashed and
the in-house baseline dotted; a week without a figure breaks the vendor's line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rfp.core.svg import PALETTE, px
from rfp.domain.formatting import shorten
from rfp.domain.kpis import KPI_SPECS, SuccessCriterion, figure_text, kpi_name
from rfp.domain.pilot import VendorPilot
from rfp.domain.vocabulary import Kpi, WeekBand

WIDTH = 460
HEIGHT = 230
LEFT = 52  # room for the y labels
RIGHT = 12
TOP = 12
BOTTOM = 58  # the week axis and the legend
Y_TICKS = 5
NAME_CHARS = 24


@dataclass(frozen=True)
class Band:
    kind: str  # met, neutral, failing
    y: str
    height: str


@dataclass(frozen=True)
class Tick:
    label: str
    position: str


@dataclass(frozen=True)
class Marker:
    x: str
    y: str
    band: str
    title: str


@dataclass(frozen=True)
class Series:
    vendor: str
    name: str
    colour: str
    lines: tuple[str, ...]  # polyline points, one per run of consecutive weeks
    markers: tuple[Marker, ...]
    legend_x: str
    legend_y: str


@dataclass(frozen=True)
class KpiChart:
    kpi: str
    title: str
    criterion: str  # the criterion in words
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bands: tuple[Band, ...]
    threshold_y: str
    fail_y: str
    baseline_y: str | None
    baseline_label: str
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    description: str


def _range(criterion: SuccessCriterion, values: Sequence[float]) -> tuple[float, float, float]:
    """The y range and the step between its ticks: every figure and line, with a margin,
    widened to round ticks (1, 2, 2.5 or 5 times a power of ten); percentages stay in
    0..100."""
    seen = [criterion.threshold, criterion.fail_at, *values]
    if criterion.baseline is not None:
        seen.append(criterion.baseline)
    low, high = min(seen), max(seen)
    margin = max((high - low) * 0.15, abs(high) * 0.02, 0.5)
    low, high = low - margin, high + margin
    step = _round_step((high - low) / (Y_TICKS - 1))
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    spec = KPI_SPECS[Kpi(criterion.kpi)]
    return max(low, spec.lowest), min(high, spec.highest) if spec.percent else high, step


def _round_step(raw: float) -> float:
    """The smallest round step (1, 2, 2.5, 5 times a power of ten) at least `raw`."""
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)


def _tick_text(kpi: str, value: float, step: float) -> str:
    """A tick's figure with as many decimals as the step between ticks needs."""
    decimals = next(d for d in range(4) if abs(round(step, d) - step) < 1e-9 or d == 3)
    if KPI_SPECS[Kpi(kpi)].unit == "USD":
        return f"${value:,.{max(decimals, 2)}f}"
    return f"{value:.{decimals}f}"


def build_kpi_chart(
    criterion: SuccessCriterion,
    weeks: int,
    vendors: Sequence[VendorPilot],
    names: Mapping[str, str],
) -> KpiChart:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    outcomes = [(v, v.outcome(criterion.kpi)) for v in vendors]
    values = [w.value for _v, o in outcomes for w in o.weeks if w.value is not None]
    low, high, step = _range(criterion, values)
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return TOP + plot_h * (high - value) / span

    def x_of(week: int) -> float:
        return LEFT + plot_w * ((week - 0.5) / max(weeks, 1))

    def clamp(y: float) -> float:
        return min(max(y, TOP), TOP + plot_h)

    # Bands, top to bottom: beyond the threshold is met for higher-is-better KPIs.
    t, f = clamp(y_of(criterion.threshold)), clamp(y_of(criterion.fail_at))
    if criterion.higher_is_better:
        spans = (("met", TOP, t), ("neutral", t, f), ("failing", f, TOP + plot_h))
    else:
        spans = (("failing", TOP, f), ("neutral", f, t), ("met", t, TOP + plot_h))
    bands = tuple(Band(kind, px(a), px(b - a)) for kind, a, b in spans if b - a > 0)
    tick_values = [low + step * i for i in range(round(span / step) + 1)]
    y_ticks = tuple(Tick(_tick_text(criterion.kpi, v, step), px(y_of(v))) for v in tick_values)
    every = 1 if weeks <= 13 else 2 if weeks <= 26 else 4
    x_ticks = tuple(Tick(str(w), px(x_of(w))) for w in range(1, weeks + 1) if (w - 1) % every == 0)
    series = []
    legend_y = HEIGHT - 12
    column = plot_w / max(len(vendors), 1)
    for i, (vendor, outcome) in enumerate(outcomes):
        name = names.get(vendor.vendor, vendor.vendor)
        runs: list[list[str]] = []
        markers = []
        previous = None
        for w in outcome.weeks:
            if w.value is None:
                previous = None
                continue
            point = f"{px(x_of(w.week))},{px(y_of(w.value))}"
            if previous is None or previous != w.week - 1:
                runs.append([])
            runs[-1].append(point)
            previous = w.week
            markers.append(
                Marker(
                    px(x_of(w.week)),
                    px(y_of(w.value)),
                    w.band.value,
                    f"{name} · week {w.week}: {figure_text(criterion.kpi, w.value)} "
                    f"({WeekBand(w.band).label.lower()})",
                )
            )
        series.append(
            Series(
                vendor=vendor.vendor,
                name=shorten(name, NAME_CHARS),
                colour=PALETTE[i % len(PALETTE)],
                lines=tuple(" ".join(run) for run in runs if len(run) > 1),
                markers=tuple(markers),
                legend_x=px(LEFT + column * i),
                legend_y=px(legend_y),
            )
        )
    baseline = criterion.baseline
    return KpiChart(
        kpi=criterion.kpi,
        title=kpi_name(criterion.kpi, criterion.seconds),
        criterion=criterion.describe(),
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=TOP + plot_h,
        bands=bands,
        threshold_y=px(y_of(criterion.threshold)),
        fail_y=px(y_of(criterion.fail_at)),
        baseline_y=None if baseline is None else px(y_of(baseline)),
        baseline_label=""
        if baseline is None
        else "in-house " + figure_text(criterion.kpi, baseline),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        series=tuple(series),
        description=(
            f"{kpi_name(criterion.kpi, criterion.seconds)} week by week for "
            + ", ".join(names.get(v.vendor, v.vendor) for v in vendors)
            + f", against the criterion: {criterion.describe()}. The table beside the chart "
            "gives the same figures."
        ),
    )
