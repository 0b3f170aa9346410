"""What the pilot pages read: the pilot with its shortlist and criteria, the weekly
figures, and the engine's result (which carries the pilot's scorecard), each in a fixed
number of queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.areas.pilot.kpi_file import KpiFileSpec
from rfp.domain.pilot import weeks_between
from rfp.domain.scoring import Result, score_evaluation
from rfp.models.adapter import load_scoring_input

FigureKey = tuple[int, int, str]  # (pilot vendor id, week, kpi)


def pilot_of(session: Session, evaluation: m.Evaluation) -> m.Pilot | None:
    """The evaluation's pilot with its shortlist (and their vendors) and criteria."""
    return session.scalar(
        select(m.Pilot)
        .where(m.Pilot.evaluation_id == evaluation.id)
        .options(
            selectinload(m.Pilot.vendors).selectinload(m.PilotVendor.vendor),
            selectinload(m.Pilot.criteria),
        )
    )


def weeks_of(pilot: m.Pilot | None) -> int:
    """The pilot's length in weeks (0 until both dates are set)."""
    if pilot is None or pilot.start_date is None or pilot.end_date is None:
        return 0
    return weeks_between(pilot.start_date, pilot.end_date)


def figures_of(session: Session, pilot: m.Pilot) -> dict[FigureKey, float]:
    """Every weekly figure of the pilot, by (pilot vendor id, week, kpi)."""
    rows = session.execute(
        select(
            m.PilotFigure.pilot_vendor_id,
            m.PilotFigure.week,
            m.PilotFigure.kpi,
            m.PilotFigure.value,
        )
        .join(m.PilotVendor, m.PilotVendor.id == m.PilotFigure.pilot_vendor_id)
        .where(m.PilotVendor.pilot_id == pilot.id)
    )
    return {(pv, week, str(kpi)): value for pv, week, kpi, value in rows}


def figure_counts(session: Session, pilot: m.Pilot) -> dict[int, int]:
    """How many figures each shortlisted vendor has (pilot vendor id -> count)."""
    rows = session.execute(
        select(m.PilotFigure.pilot_vendor_id, func.count())
        .join(m.PilotVendor, m.PilotVendor.id == m.PilotFigure.pilot_vendor_id)
        .where(m.PilotVendor.pilot_id == pilot.id)
        .group_by(m.PilotFigure.pilot_vendor_id)
    )
    return dict(rows.all())


def latest_week(session: Session, pilot: m.Pilot) -> int:
    """The latest week with a figure (0 when there is none)."""
    found = session.scalar(
        select(func.max(m.PilotFigure.week))
        .join(m.PilotVendor, m.PilotVendor.id == m.PilotFigure.pilot_vendor_id)
        .where(m.PilotVendor.pilot_id == pilot.id)
    )
    return int(found or 0)


def scored(session: Session, evaluation: m.Evaluation) -> Result:
    """The engine's result as it stands (the ranking, the pilot's scorecard, the split)."""
    return score_evaluation(load_scoring_input(session, evaluation))


def shortlisted(pilot: m.Pilot, vendor_id: int) -> m.PilotVendor | None:
    return next((pv for pv in pilot.vendors if pv.vendor_id == vendor_id), None)


def kpi_file_spec(pilot: m.Pilot) -> KpiFileSpec | None:
    """What an uploaded KPI file may hold (None until the dates are set)."""
    weeks = weeks_of(pilot)
    if not weeks or pilot.start_date is None:
        return None
    return KpiFileSpec(
        vendors={pv.vendor.key: pv.vendor.name for pv in pilot.vendors},
        kpis=tuple(str(c.kpi) for c in pilot.criteria),
        start=pilot.start_date,
        weeks=weeks,
    )
