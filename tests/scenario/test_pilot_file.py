"""The pilot and the split award in a scenario file: each mistake is refused with the
path of the bad field (the file's other errors are the business of test_validation)."""

# ruff: noqa: E501  (a table of whole error messages reads better unwrapped)

from __future__ import annotations

import copy
from typing import Any

import pytest

from rfp.scenario import ScenarioError, normalise_scenario
from tests.fixtures.scenarios import piloted_scenario


@pytest.fixture
def piloted(make_scenario) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return piloted_scenario(make_scenario())


def errors_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        normalise_scenario(doc)
    return caught.value.errors


def broken(doc: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    """A copy with doc[path...] = value (a value of ... deletes the field)."""
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


CASES = [
    (["pilot", "shortlist", 1, "role"], "champion", "pilot.shortlist: needs exactly one champion (has 2)"),
    (["pilot", "shortlist", 1, "vendor"], "gamma", "pilot.shortlist[1].vendor: unknown vendor 'gamma'"),
    (["pilot", "shortlist", 1, "vendor"], "beta", "pilot.shortlist[1].vendor: duplicate shortlisted vendor 'beta' (first at pilot.shortlist[0].vendor)"),
    (["pilot", "shortlist", 0, "verdict_reason"], " ", "pilot.shortlist[0].verdict_reason: a recorded verdict needs its reason"),
    (["pilot", "shortlist", 0, "verdict"], "keep", "pilot.shortlist[0].verdict: must be one of 'expand', 'extend', 'unwind'"),
    (["pilot", "end"], "2026-10-30", "pilot.end: must be on or after the start"),
    (["pilot", "end"], "2028-01-01", "pilot.end: a pilot runs at most 52 weeks"),
    (["pilot", "criteria", 0, "fail_at"], 78, "pilot.criteria[0].fail_at: the failing limit must be at or below the threshold (higher is better)"),
    (["pilot", "criteria", 0, "threshold"], 175, "pilot.criteria[0].threshold: must be a number >= 0 and <= 100"),
    (["pilot", "criteria", 1, "seconds"], 20, "pilot.criteria[1].seconds: is for the service level only"),
    (["pilot", "criteria", 1, "kpi"], "fcr_pct", "pilot.criteria[1].kpi: duplicate success criterion 'fcr_pct' (first at pilot.criteria[0].kpi)"),
    (["pilot", "criteria", 1, "kpi"], "nps", "pilot.criteria[1].kpi: must be one of 'fcr_pct', 'csat_pct', 'aht_minutes', 'attrition_pct', 'service_level_pct', 'qa_score_pct', 'cost_per_contact'"),
    (["pilot", "weeks", 0, "week"], 5, "pilot.weeks[0].week: the pilot has 4 weeks"),
    (["pilot", "weeks", 0, "fcr_pct"], 101, "pilot.weeks[0].fcr_pct: must be a number >= 0 and <= 100"),
    (["pilot", "weeks", 0, "csat_pct"], 88, "pilot.weeks[0].csat_pct: the pilot has no success criterion for it"),
    (["pilot", "weeks", 0, "vendor"], "gamma", "pilot.weeks[0].vendor: unknown shortlisted vendor 'gamma'"),
    (["pilot", "weeks", 0, "week"], 2.5, "pilot.weeks[0].week: must be an integer >= 1"),
    (["pilot", "criteria_fixed"], None, "pilot.weeks: weekly figures need the success criteria fixed (criteria_fixed)"),
    (["pilot", "start"], None, "pilot.weeks: weekly figures need the pilot's start and end dates"),
    (["pilot", "volume_share_pct"], 0, "pilot.volume_share_pct: must be a number > 0 and <= 100"),
    (["pilot", "shortlist"], [], "pilot.shortlist: must not be empty"),
    (["evaluation", "award", "shares", 1, "share_pct"], 20, "evaluation.award.shares: the shares must add up to 100 (they add up to 90)"),
    (["evaluation", "award", "shares", 0, "vendor"], "gamma", "evaluation.award.shares[0].vendor: unknown vendor 'gamma'"),
    (["evaluation", "award", "shares"], [{"vendor": "beta", "share_pct": 100}], "evaluation.award.shares: a split award names two or more vendors (leave shares out otherwise)"),
    (["evaluation", "award", "vendor"], "alpha", None),  # alpha is among the shares: valid
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "error"), CASES, ids=[e or "valid" for *_, e in CASES])
def test_a_mistake_in_the_pilot_or_the_split_names_its_path(piloted, path, value, error):
    doc = broken(piloted, path, value)
    if error is None:
        normalise_scenario(doc)
        return
    assert error in errors_of(doc)


def test_the_awarded_vendor_must_take_a_share(make_scenario):
    doc = piloted_scenario(make_scenario())
    doc["vendors"].append({"key": "gamma", "name": "Gamma"})
    doc["evaluation"]["award"]["vendor"] = "gamma"
    assert "evaluation.award.shares: must include the awarded vendor 'gamma'" in errors_of(doc)


def test_a_pilot_stage_without_a_pilot_is_refused(make_scenario):
    doc = make_scenario()
    doc["evaluation"]["stage"] = "pilot"
    assert "evaluation.stage: is 'pilot' but the file has no pilot" in errors_of(doc)


def test_a_file_without_a_pilot_or_shares_keeps_its_canonical_form(make_scenario):
    doc = make_scenario()
    doc["evaluation"]["award"] = {"vendor": "alpha", "rationale": "Best value."}
    canonical = normalise_scenario(doc)
    assert "pilot" not in canonical
    assert canonical["evaluation"]["award"] == {"vendor": "alpha", "rationale": "Best value."}
