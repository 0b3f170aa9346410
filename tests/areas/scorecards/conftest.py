"""Fixtures of the scorecard tests: the demo moved back to `scoring`, and Dana declared."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete

from rfp import models as m
from tests.areas.scorecards.test_scorecards import _ids, declare


@pytest.fixture
def scoring(db: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """The demo in `scoring`: Dana undeclared with no score, nobody submitted."""
    with db.transaction() as s:
        ev = s.get(m.Evaluation, demo["evaluation"])
        ev.stage = "scoring"
        for ms in ev.memberships:
            ms.submitted_at = None
            if ms.key == "dana":
                ms.coi_declared_at = None
                s.execute(delete(m.Score).where(m.Score.membership_id == ms.id))
        s.execute(delete(m.ConsensusScore).where(m.ConsensusScore.evaluation_id == ev.id))
        return _ids(s, ev.id)


@pytest.fixture
def declared(client, auth, scoring):
    auth.login("dana")
    declare(client, scoring)
    return scoring
