"""Weekly KPI figures of the shortlisted vendors: typed in per vendor, or imported from a
helpdesk export (rfp.areas.pilot.kpi_file), all or nothing, only against success
criteria fixed before the pilot started. Flush, never commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.pilot.kpi_file import FileFigure, KpiFileError, parse_kpi_file
from rfp.areas.pilot.operations import require_fixed, require_pilot_stage
from rfp.areas.pilot.queries import figures_of, kpi_file_spec, weeks_of
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.refusal import Refusals, Refused, refuse_all
from rfp.domain.kpis import figure_problem
from rfp.domain.pilot import first_day
from rfp.domain.vocabulary import Kpi, Stage


def _not_begun(pilot: m.Pilot, week: int, today: date) -> str | None:
    """Why a figure of `week` cannot be recorded yet (the week has not begun), or None.
    A week's figures come in from its first day: a figure for a week to come would be
    a forecast, and the verdict reads every figure as measured."""
    assert pilot.start_date is not None  # fixed criteria have dates
    begins = first_day(pilot.start_date, week)
    if today >= begins:
        return None
    return f"week {week} begins on {begins:%d %b %Y}: its figures come in once it has begun"


def _figure_problems(
    pilot: m.Pilot,
    figures: Mapping[tuple[int, str], float | None],
    current: Mapping[tuple[int, str], float],
    today: date,
) -> None:
    """Every problem of the typed figures, all at once. A figure for a week not begun is
    refused when it is typed, not when it was there before (kept, it may be cleared)."""
    weeks = weeks_of(pilot)
    kpis = {str(c.kpi) for c in pilot.criteria}
    problems = []
    for (week, kpi), value in figures.items():
        field = f"w{week}_{kpi}"
        if kpi not in kpis or not 1 <= week <= weeks:
            problems.append(Refused(field, "not a week and KPI of this pilot"))
        elif value is None:
            continue  # clearing a figure is always possible
        elif (
            current.get((week, kpi)) != value
            and (early := _not_begun(pilot, week, today)) is not None
        ):
            problems.append(Refused(field, early))
        elif (problem := figure_problem(kpi, value)) is not None:
            problems.append(Refused(field, f"week {week}, {Kpi(kpi).label}: {value:g} {problem}"))
    refuse_all(problems)


def save_weeks(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    pilot: m.Pilot,
    entry: m.PilotVendor,
    figures: Mapping[tuple[int, str], float | None],
) -> int:
    """A vendor's weekly figures as typed: (week, kpi) -> figure, None for none. All or
    nothing; returns how many figures changed."""
    require_pilot_stage(evaluation, Stage.PILOT, what="weekly figures are entered")
    require_fixed(pilot)
    current = {
        (week, kpi): value
        for (pv, week, kpi), value in figures_of(session, pilot).items()
        if pv == entry.id
    }
    _figure_problems(pilot, figures, current, utcnow().date())
    changed = {key: value for key, value in figures.items() if current.get(key) != value}
    if not changed:
        return 0
    rows = {(f.week, str(f.kpi)): f for f in entry.figures}
    for (week, kpi), value in changed.items():
        row = rows.get((week, kpi))
        if value is None:
            if row is not None:
                entry.figures.remove(row)
        elif row is None:
            entry.figures.append(m.PilotFigure(week=week, kpi=Kpi(kpi), value=value))
        else:
            row.value = value
    session.flush()
    record(
        session,
        evaluation,
        user,
        "pilot.figures",
        entry.vendor.name,
        old={_figure_label(k): current.get(k) for k in sorted(changed)},
        new={_figure_label(k): changed[k] for k in sorted(changed)},
    )
    return len(changed)


def _figure_label(key: tuple[int, str]) -> str:
    week, kpi = key
    return f"week {week} {kpi}"


def import_figures(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    pilot: m.Pilot,
    data: bytes,
    filename: str,
) -> list[FileFigure]:
    """Read a helpdesk export (CSV or xlsx) and store its figures, all or nothing: every
    problem of the file is refused at once, each naming its row and column."""
    require_pilot_stage(evaluation, Stage.PILOT, what="weekly figures are imported")
    require_fixed(pilot)
    spec = kpi_file_spec(pilot)
    assert spec is not None  # fixed criteria have dates
    try:
        parsed = parse_kpi_file(data, spec)
    except KpiFileError as exc:
        raise Refusals([Refused("", problem) for problem in exc.errors]) from exc
    by_key = {pv.vendor.key: pv for pv in pilot.vendors}
    existing = {
        (f.pilot_vendor_id, f.week, str(f.kpi)): f for pv in pilot.vendors for f in pv.figures
    }
    today = utcnow().date()
    early = []  # as when typed: a figure the file changes, for a week not begun
    for figure in parsed:
        row = existing.get((by_key[figure.vendor].id, figure.week, figure.kpi))
        if row is not None and row.value == figure.value:
            continue
        if (problem := _not_begun(pilot, figure.week, today)) is not None:
            early.append(f"row {figure.row}: {problem}")
    if early:
        raise Refusals([Refused("", problem) for problem in dict.fromkeys(early)])
    changed = 0
    for figure in parsed:
        entry = by_key[figure.vendor]
        row = existing.get((entry.id, figure.week, figure.kpi))
        if row is None:
            entry.figures.append(
                m.PilotFigure(week=figure.week, kpi=Kpi(figure.kpi), value=figure.value)
            )
            changed += 1
        elif row.value != figure.value:
            row.value = figure.value
            changed += 1
    session.flush()
    vendors = sorted({spec.vendors[f.vendor] for f in parsed})
    record(
        session,
        evaluation,
        user,
        "pilot.figures_imported",
        filename[:200] or "KPI file",
        new={
            "figures": len(parsed),
            "changed": changed,
            "vendors": vendors,
            "weeks": sorted({f.week for f in parsed}),
        },
    )
    return parsed
