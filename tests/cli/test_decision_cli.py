"""The command line: `rfp ahp FILE` and the sensitivity object of `rfp score`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfp.cli import main

# The Haas and Meixner car example (see test_ahp.py): style, reliability, fuel economy.
CAR = {
    "criteria": ["style", "reliability", "fuel_economy"],
    "matrix": [[1, "1/2", 3], [2, 1, 4], [0.333, 0.25, 1]],
}


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, doc: Any, name: str = "ahp.json") -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def test_rfp_ahp_json_prints_weights_lambda_ci_cr_and_random_index(tmp_path):
    result = run("ahp", write(tmp_path, CAR), "--json", "--random-index", "saaty2005")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {k: round(v, 4) for k, v in out["weights"].items()} == {
        "style": 0.3196,
        "reliability": 0.5584,
        "fuel_economy": 0.1220,
    }
    assert round(out["cr"], 4) == 0.0176
    assert out["random_index"] == 0.52
    assert out["random_index_table"] == "saaty2005"
    assert round(out["lambda_max"], 4) == 3.0183
    assert out["ci"] == pytest.approx((out["lambda_max"] - 3) / 2)
    assert out["acceptable"] is True and out["warning"] is None


def test_rfp_ahp_prints_a_table_with_the_consistency_figures(tmp_path):
    result = run("ahp", write(tmp_path, CAR))
    assert result.exit_code == 0, result.output
    assert "reliability     55.8 %" in result.output
    assert "RI 0.58 (saaty: " in result.output
    assert "CR 0.016: acceptable (at most 0.10)" in result.output
    assert "Most inconsistent judgment:" in result.output


def test_rfp_ahp_warns_and_names_the_judgment_to_revisit(tmp_path):
    # Consistent for 8:4:2:1 except cost vs references, reversed to 1/2.
    w = [8, 4, 2, 1]
    matrix = [[wi / wj for wj in w] for wi in w]
    matrix[0][3], matrix[3][0] = 1 / 2, 2
    doc = {"criteria": ["cost", "compliance", "tooling", "references"], "matrix": matrix}
    result = run("ahp", write(tmp_path, doc))
    assert result.exit_code == 0
    assert "too inconsistent" in result.output
    assert "Warning: CR " in result.output
    assert "revise cost against references first: given 1/2" in result.output


def test_rfp_ahp_combines_several_participants(tmp_path):
    doc = {"criteria": ["cost", "quality"], "matrices": [[[1, 4], [0.25, 1]], [[1, 1], [1, 1]]]}
    out = json.loads(run("ahp", write(tmp_path, doc), "--json").output)
    assert out["participants"] == 2
    assert out["weights"] == pytest.approx({"cost": 2 / 3, "quality": 1 / 3})


@pytest.mark.parametrize(
    ("doc", "error"),
    [
        (
            {"criteria": ["a", "b", "c"], "matrix": [[1, 3, 5], [0.5, 1, 2], [0.2, 0.5, 1]]},
            "matrix[1][0]: must be the reciprocal of matrix[0][1] (1/3 = 0.333), got 0.5",
        ),
        ({"criteria": ["a", "b"], "matrix": [[1, 0], [0, 1]]}, "matrix[0][1]: must be greater"),
        ({"criteria": ["a", "b"]}, "matrix: give either matrix (one participant) or matrices"),
        ({"matrix": [[1]]}, "criteria: is required"),
        ('{"criteria": ["a", "b"], "matrix": [[1, 2], [0.5, 1]', "malformed JSON"),
        ([1, 2], "file: must be a JSON object with criteria and matrix"),
    ],
)
def test_rfp_ahp_rejects_an_invalid_file_with_status_2_naming_the_field(tmp_path, doc, error):
    result = run("ahp", write(tmp_path, doc))
    assert result.exit_code == 2
    assert "invalid comparison file" in result.output
    assert error in result.output


def test_rfp_ahp_unknown_random_index_is_a_usage_error(tmp_path):
    result = run("ahp", write(tmp_path, CAR), "--random-index", "made-up")
    assert result.exit_code == 2
    assert "Invalid value for '--random-index'" in result.output


def test_rfp_score_json_has_a_sensitivity_object(tmp_path, demo_doc):
    path = write(tmp_path, demo_doc, "demo.json")
    result = run("score", path, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [v["key"] for v in out["vendors"]][0] == "puente_norte"  # the ranking is intact
    sensitivity = out["sensitivity"]
    assert sensitivity["leader"] == "puente_norte"
    assert sensitivity["verdict"].startswith("Puente Norte CX leads in ")
    assert [c["criterion"] for c in sensitivity["thresholds"]] == list(out["weights"])
    cost = next(c for c in sensitivity["thresholds"] if c["criterion"] == "cost")
    assert cost["up"]["new_leader"] == "tanglaw"
    assert cost["up"]["change_pp"] == pytest.approx(100 * (cost["up"]["weight"] - 0.2))
    stability = sensitivity["stability"]
    assert (stability["draws"], stability["concentration"], stability["seed"]) == (
        10_000,
        50.0,
        2027,
    )
    assert sum(v["first_share"] for v in stability["vendors"]) == pytest.approx(1.0)
    # Seeded: the same command prints the same figures.
    assert json.loads(run("score", path, "--json").output)["sensitivity"] == sensitivity


def test_rfp_score_table_ends_with_the_verdict_and_the_thresholds(tmp_path, demo_doc):
    path = write(tmp_path, demo_doc, "demo.json")
    result = run("score", path, "--draws", "1000", "--concentration", "20")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Sensitivity to the weights\n  Puente Norte CX leads in " in text
    assert "Stability and ramp         15 %  none within 0 to 100 %" in text
    assert "First place over 1,000 weightings" in text and "concentration 20" in text
    assert run("score", path, "--concentration", "0").exit_code == 2


def test_rfp_score_honours_the_scenarios_normalisation_and_concentration(tmp_path, make_scenario):
    # Ana scores alpha 1, 2, 3 and Raj 3, 4, 5 on timezone, language, audits.
    # Raw: timezone mean (1 + 3) / 2 = 2 -> 40 points. Normalised (test_calibration.py):
    # both become 3 - sqrt(2.5), 3, 3 + sqrt(2.5), so timezone is 20 (3 - sqrt(2.5)).
    doc = make_scenario(normalise_evaluators=True, sensitivity_concentration=7)
    doc["scores"] = [
        {"evaluator": e, "vendor": "alpha", "question": q, "score": s}
        for e, row in (("ana", (1, 2, 3)), ("raj", (3, 4, 5)))
        for q, s in zip(("timezone", "language", "audits"), row, strict=True)
    ]
    out = json.loads(run("score", write(tmp_path, doc, "n.json"), "--json").output)
    alpha = next(v for v in out["vendors"] if v["key"] == "alpha")
    assert alpha["questions"]["timezone"] == pytest.approx(20 * (3 - 2.5**0.5))
    assert out["sensitivity"]["stability"]["concentration"] == 7.0
    text = run("score", write(tmp_path, doc, "n.json")).output
    assert "Each evaluator's scores were normalised to the panel's mean and spread." in text

    doc["evaluation"]["normalise_evaluators"] = False
    out = json.loads(run("score", write(tmp_path, doc, "raw.json"), "--json").output)
    alpha = next(v for v in out["vendors"] if v["key"] == "alpha")
    assert alpha["questions"]["timezone"] == pytest.approx(40.0)
