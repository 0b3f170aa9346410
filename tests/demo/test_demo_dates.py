"""The demo loaded for people (`rfp demo`, `rfp serve --demo`) tells a finished story:
its dates are moved back by whole weeks so that everything, the ten-week pilot
included, has ended before the day it is loaded; the tests' demo keeps the file's dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rfp.demo import demo_scenario, moved_before
from rfp.domain.scoring import score_evaluation
from rfp.scenario import scenario_to_input

# The file's story ends with its pilot on 2027-01-10 (a Sunday).
PILOT_END = date(2027, 1, 10)


def test_loaded_inside_its_story_the_demo_moves_back_by_whole_weeks():
    today = date(2026, 12, 3)  # 38 days before the pilot's end: 6 weeks back
    moved, fixed = demo_scenario(today), demo_scenario()
    shift = timedelta(weeks=6)
    assert moved["pilot"]["end"] == (PILOT_END - shift).isoformat() == "2026-11-29"
    assert date.fromisoformat(moved["pilot"]["end"]) < today
    assert moved["pilot"]["start"] == "2026-09-21"  # was 2026-11-02: a Monday still
    deadline = datetime.fromisoformat(moved["evaluation"]["deadline"])
    assert deadline == datetime.fromisoformat(fixed["evaluation"]["deadline"]) - shift
    assert deadline.utcoffset() == timedelta(0)  # the time of day and zone kept
    moved_calls = [r["date"] for r in moved["references"]]
    fixed_calls = [r["date"] for r in fixed["references"]]
    assert moved_calls == [
        (date.fromisoformat(d) - shift).isoformat() if d else d for d in fixed_calls
    ]


def test_only_dates_move_the_scores_and_the_ranking_stay():
    moved, fixed = demo_scenario(date(2026, 12, 3)), demo_scenario()
    assert moved["scores"] == fixed["scores"]
    assert moved["pilot"]["weeks"] == fixed["pilot"]["weeks"]  # by week number
    ranked = [
        (v.key, v.rank, round(v.total, 9))
        for v in score_evaluation(scenario_to_input(moved)).vendors
    ]
    assert ranked == [
        (v.key, v.rank, round(v.total, 9))
        for v in score_evaluation(scenario_to_input(fixed)).vendors
    ]


def test_a_story_already_over_is_left_as_it_is():
    assert demo_scenario(PILOT_END + timedelta(days=1)) == demo_scenario()
    # The latest date on the very day: moved a whole week back, to end before it.
    doc = {"a": "2026-05-06", "b": ["2026-05-01T10:30:00+00:00", "not a date 2026-05-06"]}
    assert moved_before(doc, date(2026, 5, 6)) == {
        "a": "2026-04-29",
        "b": ["2026-04-24T10:30:00+00:00", "not a date 2026-05-06"],
    }
