"""The pilot's rules (rfp.domain.pilot): a week's band, a criterion's status over the
latest four weeks, the proposed verdict. Every figure is worked by hand in a comment.

The criteria used throughout:
  FCR  higher is better, met at 75 % or more, failing below 72 % (watch band 72-75);
  AHT  lower is better, met at 10 minutes or less, failing above 11.5 minutes;
  attrition  lower is better, met at 35 % a year or less, failing above 45 %.
"""

from __future__ import annotations

from datetime import date

import pytest

from rfp.domain.kpis import SuccessCriterion, default_criteria, figure_text
from rfp.domain.pilot import (
    PilotPlan,
    ShortlistedVendor,
    assess_criterion,
    assess_pilot,
    least_squares_slope,
    reported_weeks,
    week_of,
    weeks_between,
)
from rfp.domain.vocabulary import Kpi, KpiStatus, PilotVerdict, WeekBand

FCR = SuccessCriterion(Kpi.FCR, "higher", threshold=75, fail_at=72)
AHT = SuccessCriterion(Kpi.AHT, "lower", threshold=10, fail_at=11.5)
ATTRITION = SuccessCriterion(Kpi.ATTRITION, "lower", threshold=35, fail_at=45)


def weeks(*values: float | None, first: int = 1) -> dict[int, float]:
    """Figures by week, from `first` on; None leaves a week without a figure."""
    return {first + i: v for i, v in enumerate(values) if v is not None}


# -- a week against a criterion --------------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion", "value", "band"),
    [
        # Higher is better: on the threshold is met, the failing limit itself is watch.
        (FCR, 75.0, WeekBand.MET),
        (FCR, 74.99999999995, WeekBand.MET),  # within 1e-9: on the threshold
        (FCR, 74.99, WeekBand.NEUTRAL),
        (FCR, 72.0, WeekBand.NEUTRAL),
        (FCR, 71.99, WeekBand.FAILING),
        (FCR, 100.0, WeekBand.MET),
        # Lower is better (handle time, attrition): the bands mirror.
        (AHT, 10.0, WeekBand.MET),
        (AHT, 9.0, WeekBand.MET),
        (AHT, 10.01, WeekBand.NEUTRAL),
        (AHT, 11.5, WeekBand.NEUTRAL),
        (AHT, 11.6, WeekBand.FAILING),
        (ATTRITION, 35.0, WeekBand.MET),
        (ATTRITION, 45.01, WeekBand.FAILING),
        (FCR, None, WeekBand.MISSING),
    ],
)
def test_a_week_is_met_on_the_threshold_watched_to_the_limit_and_failing_beyond(
    criterion, value, band
):
    assert criterion.band(value) == band


def test_a_failing_limit_on_the_wrong_side_of_the_threshold_is_a_problem():
    assert SuccessCriterion(Kpi.FCR, "higher", 75, 78).problem() is not None
    assert SuccessCriterion(Kpi.AHT, "lower", 10, 9).problem() is not None
    assert FCR.problem() is None and AHT.problem() is None
    # No watch band at all is allowed: the limit on the threshold.
    assert SuccessCriterion(Kpi.FCR, "higher", 75, 75).problem() is None


# -- a criterion over the pilot ----------------------------------------------------------------


def test_the_latest_four_weeks_judge_a_criterion_and_the_ramp_weeks_only_count_as_not_met():
    # Weeks 1-6: 70, 72, 76, 77, 78, 79. Latest four = weeks 3-6, average
    # (76 + 77 + 78 + 79) / 4 = 77.5 >= 75: pass. Weeks met: 76, 77, 78, 79 = 4 of 6.
    outcome = assess_criterion(FCR, weeks(70, 72, 76, 77, 78, 79), through_week=6)
    assert outcome.status == KpiStatus.PASS
    assert outcome.window == (3, 6)
    assert outcome.latest_average == pytest.approx(77.5)
    assert outcome.weeks_met == 4
    assert outcome.weeks_reported == 6
    assert [w.band for w in outcome.weeks[:2]] == [WeekBand.FAILING, WeekBand.NEUTRAL]


def test_an_average_just_on_the_threshold_passes():
    # Weeks 3-6: 74, 76, 75, 75: average 300 / 4 = 75.0, on the threshold.
    # Trend: weeks 3..6 around 4.5 (deviations -1.5, -0.5, 0.5, 1.5), figures around 75
    # (-1, 1, 0, 0): slope = (1.5 - 0.5 + 0 + 0) / 5 = 0.2 a week, rising: not falling.
    outcome = assess_criterion(FCR, weeks(76, 76, 74, 76, 75, 75), through_week=6)
    assert outcome.latest_average == 75.0
    assert outcome.trend == pytest.approx(0.2)
    assert outcome.status == KpiStatus.PASS


def test_an_average_in_the_watch_band_is_on_watch():
    # Weeks 1-4: 74, 73, 74, 73: average 73.5, between 72 and 75.
    outcome = assess_criterion(FCR, weeks(74, 73, 74, 73), through_week=4)
    assert outcome.status == KpiStatus.WATCH
    assert "73.5 % misses 75.0 %" in outcome.reason


def test_an_average_beyond_the_failing_limit_fails():
    # Weeks 1-4: 70, 71, 73, 71: average 285 / 4 = 71.25 < 72.
    outcome = assess_criterion(FCR, weeks(70, 71, 73, 71), through_week=4)
    assert outcome.status == KpiStatus.FAIL
    assert outcome.latest_average == pytest.approx(71.25)
    assert "71.2 % is below 72.0 %" in outcome.reason  # 71.25 shown with one decimal


def test_a_missing_week_in_the_latest_four_keeps_a_met_average_on_watch():
    # Weeks 3-6: 78, 79, (none), 80: the average of the figures present is
    # (78 + 79 + 80) / 3 = 79, met; but week 5 has no figure, so no pass.
    outcome = assess_criterion(FCR, weeks(70, 71, 78, 79, None, 80), through_week=6)
    assert outcome.latest_average == pytest.approx(79.0)
    assert outcome.missing_in_window == (5,)
    assert outcome.status == KpiStatus.WATCH
    assert "week 5 has no figure" in outcome.reason
    # A missing week counts as not met: 78, 79 and 80 are the weeks met (70, 71 are not).
    assert outcome.weeks_met == 3
    assert outcome.weeks[4].band == WeekBand.MISSING


def test_a_missing_week_outside_the_latest_four_does_not_hold_a_pass_back():
    outcome = assess_criterion(FCR, weeks(None, 70, 78, 79, 80, 81), through_week=6)
    assert outcome.status == KpiStatus.PASS
    assert outcome.weeks_reported == 5


def test_fewer_than_four_weeks_reported_cannot_pass_yet():
    outcome = assess_criterion(FCR, weeks(80, 81), through_week=2)
    assert outcome.window == (1, 2)
    assert outcome.status == KpiStatus.WATCH
    assert "only 2 weeks reported; a pass needs four" in outcome.reason


def test_a_falling_trend_through_the_threshold_puts_a_met_average_on_watch():
    # Weeks 7-10: 80, 78, 76, 74. Average 77 >= 75, but the slope is
    #   deviations of the weeks -1.5, -0.5, 0.5, 1.5; of the figures 3, 1, -1, -3
    #   slope = (-4.5 - 0.5 - 0.5 - 4.5) / (2.25 + 0.25 + 0.25 + 2.25) = -10 / 5 = -2
    # and the line at week 10 is 77 + (-2) * (10 - 8.5) = 74 < 75: falling through it.
    outcome = assess_criterion(FCR, weeks(80, 78, 76, 74, first=7), through_week=10)
    assert outcome.latest_average == 77.0
    assert outcome.trend == pytest.approx(-2.0)
    assert outcome.falling
    assert outcome.status == KpiStatus.WATCH
    assert "falling (-2.00 a week)" in outcome.reason


def test_a_gently_falling_trend_still_above_the_threshold_passes():
    # Weeks 7-10: 80, 79, 79, 78: average 79; figures around it 1, 0, 0, -1:
    # slope = (-1.5 + 0 + 0 - 1.5) / 5 = -0.6; the line at week 10 is 79 - 0.9 = 78.1 >= 75.
    outcome = assess_criterion(FCR, weeks(80, 79, 79, 78, first=7), through_week=10)
    assert outcome.trend == pytest.approx(-0.6)
    assert not outcome.falling
    assert outcome.status == KpiStatus.PASS


def test_lower_is_better_handle_time_rising_through_its_threshold_is_on_watch():
    # AHT weeks 1-4: 9.5, 9.8, 10.1, 10.4: average 39.8 / 4 = 9.95 <= 10, met.
    # Figures around 9.95: -0.45, -0.15, 0.15, 0.45: slope = (0.675 + 0.075 + 0.075
    # + 0.675) / 5 = 0.3 a week, rising (worse); the line at week 4 is
    # 9.95 + 0.3 * 1.5 = 10.4 > 10.
    outcome = assess_criterion(AHT, weeks(9.5, 9.8, 10.1, 10.4), through_week=4)
    assert outcome.latest_average == pytest.approx(9.95)
    assert outcome.trend == pytest.approx(0.3)
    assert outcome.status == KpiStatus.WATCH
    assert "rising" in outcome.reason


def test_lower_is_better_handle_time_falling_is_improving_and_passes():
    # 10.4, 10.1, 9.8, 9.5: the same average 9.95, slope -0.3: getting better.
    outcome = assess_criterion(AHT, weeks(10.4, 10.1, 9.8, 9.5), through_week=4)
    assert not outcome.falling
    assert outcome.status == KpiStatus.PASS


def test_lower_is_better_handle_time_above_the_limit_fails():
    # 12, 12.5, 11.8, 12.1: average 48.4 / 4 = 12.1 > 11.5.
    outcome = assess_criterion(AHT, weeks(12, 12.5, 11.8, 12.1), through_week=4)
    assert outcome.status == KpiStatus.FAIL
    assert "12.1 min is above 11.5 min" in outcome.reason


def test_lower_is_better_attrition_on_the_threshold_passes_and_rising_through_it_is_watched():
    # 35, 35, 35, 35: on the threshold, flat: pass.
    assert assess_criterion(ATTRITION, weeks(35, 35, 35, 35), 4).status == KpiStatus.PASS
    # 30, 32, 34, 36: average 33 <= 35; slope +2; the line at week 4 is 33 + 3 = 36 > 35.
    rising = assess_criterion(ATTRITION, weeks(30, 32, 34, 36), 4)
    assert rising.latest_average == 33.0
    assert rising.status == KpiStatus.WATCH


def test_no_figures_at_all_is_on_watch():
    outcome = assess_criterion(FCR, {}, through_week=4)
    assert outcome.latest_average is None
    assert outcome.status == KpiStatus.WATCH
    assert outcome.weeks_met == 0


def test_the_slope_is_the_least_squares_one():
    # (1, 1), (2, 3), (3, 2): x around 2, y around 2: (-1)(-1) + 0 + (1)(0) = 1 over 2.
    assert least_squares_slope([(1, 1), (2, 3), (3, 2)]) == pytest.approx(0.5)


# -- the verdict a vendor's data proposes -------------------------------------------------------


def plan(figures: dict[tuple[str, int, str], float], *, weeks_planned: int = 6) -> PilotPlan:
    return PilotPlan(
        weeks=weeks_planned,
        criteria=(FCR, AHT),
        vendors=(
            ShortlistedVendor("challenger_co", "challenger"),
            ShortlistedVendor("champion_co", "champion", "expand", "Met every criterion"),
        ),
        figures=figures,
        start=date(2026, 11, 2),
    )


def figures_of(vendor: str, fcr: list[float | None], aht: list[float | None]) -> dict:
    out = {}
    for kpi, values in ((Kpi.FCR, fcr), (Kpi.AHT, aht)):
        for week, value in enumerate(values, start=1):
            if value is not None:
                out[(vendor, week, kpi.value)] = value
    return out


def test_every_criterion_passing_proposes_expand_and_any_on_watch_proposes_extend():
    figures = figures_of("champion_co", [76, 77, 78, 79], [9.5, 9.4, 9.6, 9.5])
    # The challenger's FCR: 74, 73, 74, 73 (average 73.5, watch band); AHT passes.
    figures |= figures_of("challenger_co", [74, 73, 74, 73], [9.9, 9.8, 9.9, 9.8])
    result = assess_pilot(plan(figures, weeks_planned=4))
    champion, challenger = result.vendors  # the champion first, whatever the order given
    assert (champion.vendor, champion.proposed) == ("champion_co", PilotVerdict.EXPAND)
    assert champion.reasons == ("All 2 success criteria pass.",)
    assert champion.verdict == PilotVerdict.EXPAND  # recorded by the lead
    assert (challenger.vendor, challenger.proposed) == ("challenger_co", PilotVerdict.EXTEND)
    assert challenger.count(KpiStatus.WATCH) == 1 and challenger.count(KpiStatus.PASS) == 1
    assert result.finished


def test_any_failing_criterion_proposes_unwind_with_the_failures_named_first():
    # FCR 70, 71, 73, 71 (average 71.25 < 72: fail); AHT 10.5 x 4 (watch band).
    figures = figures_of("challenger_co", [70, 71, 73, 71], [10.5, 10.5, 10.5, 10.5])
    result = assess_pilot(plan(figures, weeks_planned=4))
    challenger = result.vendor("challenger_co")
    assert challenger.proposed == PilotVerdict.UNWIND
    assert challenger.reasons[0].startswith("FCR: latest four-week average 71.2 %")
    assert challenger.reasons[1].startswith("AHT: latest four-week average 10.5 min misses")
    # The champion has no figures at all: nothing to propose yet.
    assert result.vendor("champion_co").proposed is None


def test_the_reporting_weeks_run_to_the_latest_week_any_vendor_reported():
    # The champion reported weeks 1-5, the challenger weeks 1-4: week 5 is missing for
    # the challenger, and the pilot of 6 weeks is not finished.
    figures = figures_of("champion_co", [76, 77, 78, 79, 80], [9] * 5)
    figures |= figures_of("challenger_co", [76, 77, 78, 79], [9] * 4)
    pilot = plan(figures)
    assert reported_weeks(pilot) == 5
    result = assess_pilot(pilot)
    assert not result.finished
    fcr = result.vendor("challenger_co").outcome(Kpi.FCR)
    assert fcr.window == (2, 5) and fcr.missing_in_window == (5,)
    assert fcr.status == KpiStatus.WATCH


def test_figures_beyond_the_planned_weeks_are_left_out():
    figures = figures_of("champion_co", [76, 77, 78, 79], [9] * 4)
    figures[("champion_co", 9, Kpi.FCR.value)] = 10.0
    result = assess_pilot(plan(figures, weeks_planned=4))
    assert result.reported_weeks == 4
    assert result.vendor("champion_co").outcome(Kpi.FCR).status == KpiStatus.PASS


def test_the_result_reads_as_json_with_the_weeks_and_the_verdicts():
    figures = figures_of("champion_co", [76, 77, 78, 79], [9.5, 9.4, 9.6, 9.5])
    doc = assess_pilot(plan(figures, weeks_planned=4)).to_json()
    assert doc["start"] == "2026-11-02" and doc["finished"] is True
    champion = doc["vendors"][0]
    assert champion["proposed_verdict"] == "expand" and champion["verdict"] == "expand"
    assert champion["criteria"][0]["weeks"][0] == {"week": 1, "value": 76, "band": "met"}


# -- weeks and dates ---------------------------------------------------------------------------


def test_weeks_count_from_the_start_date():
    start = date(2026, 11, 2)  # a Monday
    # 2026-11-02 to 2027-01-10 is 69 days: weeks 1..10 (day 63 begins week 10).
    assert weeks_between(start, date(2027, 1, 10)) == 10
    assert week_of(start, date(2026, 11, 8)) == 1
    assert week_of(start, date(2026, 11, 9)) == 2


# -- the defaults ------------------------------------------------------------------------------


def test_the_criteria_are_prefilled_from_the_scope_targets_and_the_seeds():
    # The demo's scope: targets FCR 75, CSAT 87, AHT 10, attrition 35; in-house $38 an
    # hour at 10 minutes and 80 % occupancy: 38 * 10 / 60 / 0.8 = $7.9167 a contact.
    scope = {
        "aht_minutes": 10,
        "occupancy": 0.8,
        "inhouse_rate": 38,
        "targets": {"fcr_pct": 75, "csat_pct": 87, "aht_minutes": 10, "attrition_pct": 35},
    }
    criteria = {c.kpi: c for c in default_criteria(scope)}
    assert list(criteria) == [k.value for k in Kpi]
    assert (criteria["fcr_pct"].threshold, criteria["fcr_pct"].fail_at) == (75, 72)
    assert (criteria["csat_pct"].threshold, criteria["csat_pct"].fail_at) == (87, 82)
    assert (criteria["aht_minutes"].threshold, criteria["aht_minutes"].fail_at) == (10, 11.5)
    assert criteria["aht_minutes"].direction == "lower"
    assert (criteria["attrition_pct"].threshold, criteria["attrition_pct"].fail_at) == (35, 45)
    level = criteria["service_level_pct"]
    assert (level.threshold, level.fail_at, level.seconds) == (80, 70, 20)
    assert (criteria["qa_score_pct"].threshold, criteria["qa_score_pct"].fail_at) == (90, 85)
    cost = criteria["cost_per_contact"]
    assert (cost.threshold, cost.fail_at) == (7.92, 8.71)  # 7.9167 * 1.1 = 8.708


def test_without_targets_the_seeds_fill_in_and_kpis_with_no_default_are_left_out():
    criteria = {c.kpi: c for c in default_criteria({})}
    # FCR: the seeds' 72 %, failing five points below; CSAT "above 85 %".
    assert (criteria["fcr_pct"].threshold, criteria["fcr_pct"].fail_at) == (72, 67)
    assert criteria["csat_pct"].threshold == 85
    assert criteria["cost_per_contact"].threshold == 22  # the top of the $4-22 range
    assert "aht_minutes" not in criteria and "attrition_pct" not in criteria


def test_figures_are_shown_with_their_units():
    assert figure_text(Kpi.FCR, 74.96) == "75.0 %"
    assert figure_text(Kpi.AHT, 6.25) == "6.2 min"  # banker's rounding of the float 6.25
    assert figure_text(Kpi.COST_PER_CONTACT, 4.1) == "$4.10"
    assert figure_text(Kpi.FCR, None) == "–"
