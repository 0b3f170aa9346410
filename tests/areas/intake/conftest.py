"""Fixtures of the intake tests: an evaluation open for responses (see intake_world)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.intake_world import World, build_world, open_scenario


@pytest.fixture
def world(db: Any, make_scenario: Any) -> World:
    return build_world(db, open_scenario(make_scenario))
