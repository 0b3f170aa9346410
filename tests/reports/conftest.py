"""Fixtures of the report tests: scored scenarios ready for the builders."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)

from rfp.demo import demo_scenario
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.result import Result
from rfp.reports.xlsx import build_workbook
from rfp.scenario import normalise_scenario, scenario_to_input
from rfp.scenario.synthetic import generate_scenario

GENERATED_AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)

# User text that a spreadsheet could take for a formula, one per dangerous first character.
HOSTILE_TEXTS = (
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\tcmd|' /C calc'!A0",
    "\r=2+2",
    "#REF!",
)
HOSTILE_VENDOR = '=HYPERLINK("http://x","y")'


Scored = tuple[dict[str, Any], Result]


def scored(doc: dict[str, Any]) -> Scored:
    canonical = normalise_scenario(doc)
    return canonical, score_evaluation(scenario_to_input(canonical))


@pytest.fixture
def generated_at() -> datetime:
    return GENERATED_AT


@pytest.fixture
def hostile_texts() -> tuple[str, ...]:
    return HOSTILE_TEXTS


@pytest.fixture
def score_doc() -> Callable[[dict[str, Any]], Scored]:
    """Normalise a scenario document and score it: (canonical doc, result)."""
    return scored


@pytest.fixture
def demo_report() -> Scored:
    return scored(demo_scenario())


@pytest.fixture
def hand_worked(make_scenario: Callable[..., dict[str, Any]]) -> Scored:
    """Two vendors whose figures are worked out by hand (scale 0-5, so a point is 20).

    alpha: timezone (w2) 4,5 -> 90; language (w1) 3,3 -> 60; fit = (2*90 + 60)/3 = 80
           audits 4,2 -> 60; compliance = 60
    beta:  timezone 2,2 -> 40; language 5,4 -> 90; fit = (2*40 + 90)/3 = 56.667
           audits 5,5 -> 100; compliance = 100
    Cost: H = 20000 * 6 / 60 / 0.8 = 2500 agent-hours a month, term 24, no fees.
          alpha 16/h -> 40,000 a month, TCO 960,000; beta 10/h -> 25,000, TCO 600,000.
          lowest_ratio: beta 100, alpha 100 * 600/960 = 62.5.
          In-house TCO 24 * 2500 * 38 = 2,280,000: savings 1,320,000 and 1,680,000.
    References: alpha one call rated 4 -> 80; beta one call rated 3 -> 60.
    Weights 40/30/20/10:
          alpha = .4*80 + .3*60 + .2*62.5 + .1*80 = 70.5
          beta  = .4*56.667 + .3*100 + .2*100 + .1*60 = 78.667 -> beta 1st, alpha 2nd.
    """
    doc = make_scenario()
    scores = {
        ("alpha", "timezone"): (4, 5),
        ("alpha", "language"): (3, 3),
        ("alpha", "audits"): (4, 2),
        ("beta", "timezone"): (2, 2),
        ("beta", "language"): (5, 4),
        ("beta", "audits"): (5, 5),
    }
    doc["scores"] = [
        {"evaluator": evaluator, "vendor": vendor, "question": question, "score": value}
        for (vendor, question), values in scores.items()
        for evaluator, value in zip(("ana", "raj"), values, strict=True)
    ]
    doc["references"] = [
        {"vendor": "alpha", "company": "Acme", "rating": 4, "would_sign_again": "yes"},
        {"vendor": "beta", "company": "Globex", "rating": 3, "would_sign_again": "unsure"},
    ]
    return scored(doc)


@pytest.fixture
def hostile_report(make_scenario: Callable[..., dict[str, Any]]) -> Scored:
    """Every kind of user text set to something a spreadsheet would run as a formula."""
    doc = make_scenario(title="=cmd|' /C calc'!A0")
    doc["criteria"][0]["name"] = "@criterion"
    doc["criteria"][0]["questions"][0]["text"] = "=question()"
    doc["vendors"][0]["name"] = HOSTILE_VENDOR
    doc["vendors"][0]["model"] = "nearshore"
    doc["evaluators"][0]["name"] = "+evaluator"
    questions = ("timezone", "language", "audits")
    triples = [(e, v, q) for e in ("ana", "raj") for v in ("alpha", "beta") for q in questions]
    doc["scores"] = [
        {
            "evaluator": evaluator,
            "vendor": vendor,
            "question": question,
            "score": 3,
            "comment": HOSTILE_TEXTS[n % len(HOSTILE_TEXTS)],
        }
        for n, (evaluator, vendor, question) in enumerate(triples)
    ]
    doc["scores"][0]["score"] = 0  # a flagged dispersion row: 0 against 3
    doc["consensus"] = [
        {"vendor": "alpha", "question": "audits", "score": 4, "rationale": "-rationale"}
    ]
    doc["references"] = [
        {
            "vendor": "alpha",
            "caller": "ana",
            "company": "@company",
            "contact": "=contact",
            "date": "2026-10-02",
            "similar_business": True,
            "rating": 4,
            "would_sign_again": "no",
            "surprised_negatively": "+surprise",
            "do_differently": "-differently",
            "notes": "\tnotes",
        }
    ]
    return scored(doc)


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("RFP_REQUIRE_LIBREOFFICE"):
            pytest.fail("RFP_REQUIRE_LIBREOFFICE is set but LibreOffice (soffice) is not on PATH")
        pytest.skip(
            "LibreOffice is not installed (no soffice on PATH): install libreoffice-calc-nogui "
            "to recalculate workbooks, or set RFP_REQUIRE_LIBREOFFICE=1 to make this fail"
        )
    return found


# LibreOffice trusts the values a workbook stores with its formulas unless told to
# recalculate on load; the builder stores the engine's figures there, so a test that did
# not force the recalculation would compare the engine with itself.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def lo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A HOME and user profile of this test module's own, so parallel runs do not clash;
    the profile makes LibreOffice recalculate every formula of a workbook it opens."""
    home = tmp_path_factory.mktemp("libreoffice")
    user = home / "profile" / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE, encoding="utf-8")
    return home


@pytest.fixture
def recalculate(soffice: str, lo_home: Path, tmp_path: Path, generated_at):
    """Build the workbook, let LibreOffice recalculate it, and open the values it stored."""

    def run(
        doc: dict[str, Any],
        result: Any,
        *,
        weights: dict[str, float] | None = None,
        data: bytes | None = None,
        edit: Callable[[Any], None] | None = None,
    ):
        """`data`: a workbook already built (a kept file); else built from doc and result.
        `weights` and `edit` change input cells first, as a reader would (openpyxl)."""
        if data is None:
            data = build_workbook(result, doc, generated_at=generated_at)
        source = tmp_path / "workbook.xlsx"
        if weights or edit:
            wb = load_workbook(io.BytesIO(data))
            ws = wb["Summary"]
            for key, value in (weights or {}).items():
                ws[weight_cell(wb, doc, key)] = value
            if edit is not None:
                edit(wb)
            wb.save(source)
        else:
            source.write_bytes(data)
        out = tmp_path / "recalculated"
        completed = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(lo_home / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ, "HOME": str(lo_home)},
            check=False,
        )
        converted = out / source.name
        assert converted.exists(), f"LibreOffice did not convert: {completed.stderr}"
        return load_workbook(converted, data_only=True)

    return run


def weight_cell(wb: Any, doc: dict[str, Any], criterion: str) -> str:
    """The Summary cell holding a criterion's weight (the named range's n-th cell)."""
    sheet_ref = wb.defined_names["CriterionWeights"].attr_text.split("!")[1]
    column, row = coordinate_from_string(sheet_ref.replace("$", "").split(":")[0])
    index = [c["key"] for c in doc["criteria"]].index(criterion)
    return f"{get_column_letter(column_index_from_string(column) + index)}{row}"


@pytest.fixture(scope="session")
def large_report() -> Scored:
    """The benchmark's generated 40 vendors x 120 questions x 12 evaluators."""
    return scored(generate_scenario(vendors=40, questions=120, evaluators=12))
