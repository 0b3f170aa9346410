"""The demo at the end of consensus with no pilot yet (its shipped pilot removed), and the
same with a pilot shortlisted and its criteria fixed, in its fifth week (a week's figures
come in once it has begun: weeks 1-5 may have them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures.evaluations import set_stage

CHAMPION, CHALLENGER, DISQUALIFIED = "puente_norte", "tanglaw", "valle_claro"


def pilot_url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/pilot{rest}"


@pytest.fixture
def consensus(db: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """The demo in consensus, never piloted: ids by name."""
    with db.transaction() as s:
        s.execute(delete(m.Pilot).where(m.Pilot.evaluation_id == demo["evaluation"]))
    set_stage(db, demo["evaluation"], "consensus")
    return demo


@pytest.fixture
def piloting(db: Any, client: Any, auth: Any, consensus: dict[str, Any]) -> dict[str, Any]:
    """Shortlisted through the page (Puente Norte champion, Tanglaw challenger), the
    criteria as pre-filled, dates moved to start four weeks ago, and fixed; the lead is
    logged in. Adds `pilot` (its id) and `start` to the ids."""
    evaluation_id = consensus["evaluation"]
    auth.login("morgan")
    response = client.post(
        pilot_url(evaluation_id, "/shortlist"),
        data={
            f"role_{consensus[CHAMPION]}": "champion",
            f"role_{consensus[CHALLENGER]}": "challenger",
        },
    )
    assert response.status_code == 302, response.data
    start = utcnow().date() - timedelta(days=28)
    with db.transaction() as s:
        pilot = s.scalar(select(m.Pilot).where(m.Pilot.evaluation_id == evaluation_id))
        pilot.start_date = start
        pilot.end_date = start + timedelta(days=7 * 8 - 1)  # 8 weeks
        pilot.criteria_fixed_at = utcnow()
        pilot_id = pilot.id
    return consensus | {"pilot": pilot_id, "start": start}


def figures(db: Any, pilot_id: int) -> dict[tuple[str, int, str], float]:
    """Every figure of the pilot by (vendor key, week, kpi)."""
    with db.transaction() as s:
        rows = s.execute(
            select(m.Vendor.key, m.PilotFigure.week, m.PilotFigure.kpi, m.PilotFigure.value)
            .join(m.PilotVendor, m.PilotVendor.id == m.PilotFigure.pilot_vendor_id)
            .join(m.Vendor, m.Vendor.id == m.PilotVendor.vendor_id)
            .where(m.PilotVendor.pilot_id == pilot_id)
        )
        return {(key, week, str(kpi)): value for key, week, kpi, value in rows}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
