"""Rate lines, volume tiers and the channel and language mix in the scenario file: read,
validated with the path of every bad field, stored and dumped back unchanged, scored
the same from the database as from the file. A file with one rate is unchanged."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rfp import models as m
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from rfp.scenario import ScenarioError, normalise_scenario, scenario_to_input
from rfp.scenario.store import dump_evaluation, import_scenario


def lined(base: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    doc["evaluation"]["scope"].update(
        channels=["voice", "chat"],
        languages=["en", "es"],
        channel_mix={"voice": 60, "chat": 40},
        language_mix={"en": 75, "es": 25},
    )
    doc["vendors"][0]["pricing"] = {
        "model": "per_hour",
        "rate": 20,
        "setup_fee": 5000,
        "monthly_fee": 1000,
        "lines": [
            {"channel": "voice", "language": "en", "rate": 14},
            {"channel": "voice", "language": "es", "rate": 16},
            {"channel": "chat", "rate": 11},
        ],
        "tiers": [{"above_contacts": 15000, "discount_pct": 10}],
    }
    return doc


def errors(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        normalise_scenario(doc)
    return exc.value.errors


def test_a_single_rate_reads_and_dumps_as_before(make_scenario):
    doc = normalise_scenario(make_scenario())
    assert doc["vendors"][0]["pricing"] == {
        "model": "per_hour",
        "rate": 16,
        "setup_fee": 0,
        "monthly_fee": 0,
    }
    assert "channel_mix" not in doc["evaluation"]["scope"]


def test_lines_tiers_and_mix_are_canonical(make_scenario):
    doc = normalise_scenario(lined(make_scenario()))
    pricing = doc["vendors"][0]["pricing"]
    assert pricing["lines"][2] == {"channel": "chat", "language": None, "rate": 11}
    assert pricing["tiers"] == [{"above_contacts": 15000, "discount_pct": 10}]
    assert doc["evaluation"]["scope"]["channel_mix"] == {"voice": 60, "chat": 40}
    assert normalise_scenario(doc) == doc


def test_the_tco_from_the_file(make_scenario):
    result = score_evaluation(scenario_to_input(normalise_scenario(lined(make_scenario()))))
    alpha = next(v for v in result.vendors if v.key == "alpha")
    # H = 20,000 * 6 / 60 / 0.8 = 2,500 h. Voice en 45 % = 1,125 h * 14 = 15,750; voice es
    # 15 % = 375 h * 16 = 6,000; chat 40 % = 1,000 h * 11 = 11,000: 32,750 a month.
    # Tier: contacts above 15,000 = 5,000 of 20,000 = 25 %, 10 % off: 32,750 * 0.025 =
    # 818.75 off -> 31,931.25. TCO = 5,000 + 24 * (31,931.25 + 1,000) = 5,000 + 790,350
    # = 795,350 (no governance overhead in this scope).
    assert alpha.cost.monthly_charge == pytest.approx(31_931.25)
    assert alpha.cost.tco == pytest.approx(795_350)
    assert alpha.cost.tier_discount == pytest.approx(818.75)


def test_every_bad_line_tier_and_mix_is_named_by_its_path(make_scenario):
    doc = lined(make_scenario())
    pricing = doc["vendors"][0]["pricing"]
    pricing["lines"] += [
        {"channel": "voice", "language": "en", "rate": 15},  # a repeat of row 1
        {"rate": 9},  # neither channel nor language
        {"channel": "email", "rate": -1},
        {"channel": "chat", "language": "fr", "rate": 1e308},
    ]
    pricing["tiers"] = [
        {"above_contacts": 15000, "discount_pct": 120},
        {"above_contacts": 15000, "discount_pct": 5},
        {"above_contacts": 30000, "rate": 10},
        {"above_contacts": 40000},
    ]
    doc["evaluation"]["scope"]["channel_mix"] = {"voice": 60, "chat": 30}
    doc["evaluation"]["scope"]["language_mix"] = {"en": 75, "fr": 25}
    found = errors(doc)
    path = "vendors[0].pricing"
    assert f"{path}.lines[3]: repeats the channel and language of row 1" in found
    assert any(e.startswith(f"{path}.lines[4]: must name a channel or a language") for e in found)
    assert f"{path}.lines[5].rate: must be a number >= 0 and <= 1,000,000" in found
    assert f"{path}.lines[6].rate: must be a number >= 0 and <= 1,000,000" in found
    assert f"{path}.tiers[0].discount_pct: must be a number >= 0 and <= 100" in found
    assert f"{path}.tiers[1].above_contacts: repeats the threshold of row 1" in found
    assert any(e.startswith(f"{path}.tiers[2].rate: with rate lines") for e in found)
    assert f"{path}.tiers[3]: must give one of discount_pct and rate, not both" in found
    assert "evaluation.scope.channel_mix: must add up to 100 % (it adds up to 90 %)" in found
    assert any(e.startswith("evaluation.scope.language_mix.fr: must be one of") for e in found)


def test_a_tier_rate_above_the_single_rate_is_refused(make_scenario):
    doc = make_scenario()
    doc["vendors"][1]["pricing"]["tiers"] = [{"above_contacts": 1000, "rate": 12}]
    assert errors(doc) == ["vendors[1].pricing.tiers[0].rate: must be at most the single rate (10)"]


def test_stored_and_dumped_back_and_scored_the_same(database, make_scenario):
    doc = normalise_scenario(lined(make_scenario()))
    with database.transaction() as s:
        evaluation_id = import_scenario(s, doc).id
    with database.session() as s:
        assert dump_evaluation(s, evaluation_id) == doc
        from_db = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, evaluation_id)))
    from_file = score_evaluation(scenario_to_input(doc))
    assert from_db == from_file
    assert from_db.to_json() == from_file.to_json()
