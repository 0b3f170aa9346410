"""Quantitative questions: a vendor's number scored by the lead's bands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfp.cli import main
from rfp.domain.decision.quantitative import (
    Band,
    band_errors,
    band_score,
    bands_from_json,
    computed_scores,
    describe_band,
    with_quantitative,
)
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import Scale
from rfp.scenario import ScenarioError, normalise_scenario, scenario_to_input

# Hours of overlap with our business day: 6 h or more scores 5, 4 to 6 h scores 3,
# under 4 h scores 1 (the seeds: six hours or more is strong).
OVERLAP = [{"min": 6, "score": 5}, {"min": 4, "max": 6, "score": 3}, {"max": 4, "score": 1}]


@pytest.mark.parametrize(
    ("number", "score"),
    [(8, 5), (6, 5), (5.99, 3), (4, 3), (3.9, 1), (0, 1), (-2, 1)],
)
def test_a_band_matches_from_its_min_up_to_but_not_including_its_max(number, score):
    assert band_score(number, bands_from_json(OVERLAP)) == score


def test_the_first_matching_band_wins_and_a_gap_scores_nothing():
    overlapping = (Band(2, 0, 10), Band(4, 5))
    assert band_score(7, overlapping) == 2
    assert band_score(12, overlapping) == 4
    gap = (Band(1, hi=2), Band(5, lo=3))
    assert band_score(2.5, gap) is None
    assert band_score(-1, (Band(2, lo=0),)) is None


def test_bands_are_described_in_words():
    low, mid, high = bands_from_json(OVERLAP)[::-1]
    assert describe_band(high, "h") == "6 h or more"
    assert describe_band(mid, "h") == "4 to under 6 h"
    assert describe_band(low, "h") == "under 4 h"
    assert describe_band(Band(3)) == "any number"


def test_band_errors_name_the_band():
    assert band_errors((), Scale()) == ["bands: at least one band is needed"]
    assert band_errors((Band(7, 6, 4), Band(3)), Scale(0, 5)) == [
        "bands[0].max: must be greater than min",
        "bands[0].score: must be between 0 and 5",
    ]
    assert band_errors(bands_from_json(OVERLAP), Scale(0, 5)) == []


def quantitative_scenario(make_scenario: Any) -> dict[str, Any]:
    """The small scenario with an overlap question scored by bands.

    Cultural fit: timezone (weight 2), language (1), overlap (1, by bands).
    Alpha: timezone 4 and 4 -> 80; language 3 and 3 -> 60; 8 h overlap -> 5 -> 100:
      fit = (2 * 80 + 60 + 100) / 4 = 80.
    Beta: timezone 2 and 2 -> 40; language 5 and 5 -> 100; 4.5 h -> 3 -> 60:
      fit = (2 * 40 + 100 + 60) / 4 = 60.
    Ana also "scored" alpha's overlap 1: not counted, the band decides.
    """
    doc = make_scenario()
    doc["criteria"][0]["questions"].append(
        {
            "key": "overlap",
            "text": "Hours of overlap with our business day",
            "answer_type": "number",
            "unit": "h",
            "bands": OVERLAP,
        }
    )
    doc["vendors"][0]["numbers"] = {"overlap": 8}
    doc["vendors"][1]["numbers"] = {"overlap": 4.5}
    for evaluator in ("ana", "raj"):
        for vendor, timezone, language in (("alpha", 4, 3), ("beta", 2, 5)):
            doc["scores"] += [
                {
                    "evaluator": evaluator,
                    "vendor": vendor,
                    "question": "timezone",
                    "score": timezone,
                },
                {
                    "evaluator": evaluator,
                    "vendor": vendor,
                    "question": "language",
                    "score": language,
                },
            ]
    doc["scores"].append({"evaluator": "ana", "vendor": "alpha", "question": "overlap", "score": 1})
    return doc


def test_the_engine_scores_the_number_by_its_band_for_every_vendor(make_scenario):
    inp = scenario_to_input(normalise_scenario(quantitative_scenario(make_scenario)))
    result = score_evaluation(inp)
    alpha, beta = result.vendor("alpha"), result.vendor("beta")
    assert alpha.questions["overlap"] == 100.0
    assert beta.questions["overlap"] == 60.0
    assert alpha.criteria["fit"] == pytest.approx(80.0)
    assert beta.criteria["fit"] == pytest.approx(60.0)
    # Nobody is expected to score it, and the stray evaluator score made no dispersion.
    assert all(m.question != "overlap" for v in result.vendors for m in v.missing)
    assert all(d.question != "overlap" for d in result.dispersion)
    assert computed_scores(inp) == {("alpha", "overlap"): 5.0, ("beta", "overlap"): 3.0}


def test_no_number_or_no_band_leaves_the_question_unscored_and_the_vendor_incomplete(
    make_scenario,
):
    doc = quantitative_scenario(make_scenario)
    doc["vendors"][0]["numbers"] = {}
    doc["criteria"][0]["questions"][-1]["bands"] = [{"min": 6, "score": 5}]
    result = score_evaluation(scenario_to_input(normalise_scenario(doc)))
    alpha, beta = result.vendor("alpha"), result.vendor("beta")
    assert alpha.questions["overlap"] is None and beta.questions["overlap"] is None
    assert "no number for overlap" in alpha.incomplete_reasons
    assert "number 4.5 for overlap matches no band" in beta.incomplete_reasons
    # The criterion is the weighted mean of the questions that have a score:
    # alpha (2 * 80 + 60) / 3 = 73.33.
    assert alpha.criteria["fit"] == pytest.approx(220 / 3)


def test_a_consensus_score_still_overrides_the_band(make_scenario):
    doc = quantitative_scenario(make_scenario)
    doc["consensus"] = [
        {"vendor": "alpha", "question": "overlap", "score": 2, "rationale": "Checked: 3 h"}
    ]
    result = score_evaluation(scenario_to_input(normalise_scenario(doc)))
    assert result.vendor("alpha").questions["overlap"] == 40.0


def test_with_quantitative_attaches_bands_and_numbers_to_any_input(make_scenario):
    inp = scenario_to_input(normalise_scenario(make_scenario()))
    scored = with_quantitative(
        inp,
        bands={"audits": bands_from_json([{"min": 2, "score": 5}, {"max": 2, "score": 0}])},
        numbers={"alpha": {"audits": 4}, "beta": {"audits": 1}},
    )
    result = score_evaluation(scored)
    assert result.vendor("alpha").questions["audits"] == 100.0
    assert result.vendor("beta").questions["audits"] == 0.0
    assert result.vendor("alpha").criteria["compliance"] == 100.0
    assert computed_scores(inp) == {}
    with pytest.raises(ValueError, match="not scored questions of this evaluation: soc2"):
        with_quantitative(inp, bands={"soc2": (Band(1),)}, numbers={})
    with pytest.raises(ValueError, match="not vendors of this evaluation: gamma"):
        with_quantitative(inp, bands={}, numbers={"gamma": {"audits": 1}})


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"answer_type": "text"},
            'criteria[0].questions[2].bands: only a question with answer_type "number" is '
            "scored by bands",
        ),
        (
            {"bands": [{"min": 6, "score": 7}]},
            "criteria[0].questions[2].bands[0].score: must be a number >= 0 and <= 5",
        ),
        (
            {"bands": [{"min": 6, "max": 4, "score": 5}]},
            "criteria[0].questions[2].bands[0].max: must be greater than min",
        ),
        (
            {"kind": "info"},
            "criteria[0].questions[2].bands: only a scored question is scored by bands (this one "
            "is info)",
        ),
    ],
)
def test_invalid_bands_in_a_scenario_name_the_field(make_scenario, change, error):
    doc = quantitative_scenario(make_scenario)
    doc["criteria"][0]["questions"][2].update(change)
    if change.get("kind") == "info":
        doc["scores"] = [s for s in doc["scores"] if s["question"] != "overlap"]
    with pytest.raises(ScenarioError) as caught:
        normalise_scenario(doc)
    assert error in caught.value.errors


def test_rfp_score_honours_the_bands(make_scenario, tmp_path: Path):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(quantitative_scenario(make_scenario)), encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(path), "--json", "--draws", "200"])
    assert run.exit_code == 0, run.output
    vendors = {v["key"]: v for v in json.loads(run.output)["vendors"]}
    assert vendors["alpha"]["questions"]["overlap"] == 100.0
    assert vendors["beta"]["questions"]["overlap"] == 60.0
    assert vendors["alpha"]["criteria"]["fit"] == pytest.approx(80.0)


def test_the_database_adapter_reads_bands_and_numbers(make_scenario, session):
    from rfp.models.adapter import load_scoring_input
    from rfp.scenario.store import import_scenario

    doc = normalise_scenario(quantitative_scenario(make_scenario))
    evaluation = import_scenario(session, doc)
    session.flush()
    from_db = score_evaluation(load_scoring_input(session, evaluation))
    from_file = score_evaluation(scenario_to_input(doc))
    for key in ("alpha", "beta"):
        assert from_db.vendor(key).questions == from_file.vendor(key).questions
        assert from_db.vendor(key).total == pytest.approx(from_file.vendor(key).total)
