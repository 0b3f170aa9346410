"""An evaluation open for responses (tests/fixtures/intake_world.py), with the helpers of
the Q&A, addenda and documents tests (tests/fixtures/sourcing_world.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.intake_world import build_world, open_scenario
from tests.fixtures.sourcing_world import SourcingWorld


@pytest.fixture
def world(app: Any, db: Any, make_scenario: Any) -> SourcingWorld:
    return SourcingWorld(build_world(db, open_scenario(make_scenario)), app)
