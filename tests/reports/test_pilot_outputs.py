"""The pilot in the text outputs: the PDF's pilot pages and `rfp score`'s pilot block say
what the engine found (rfp.domain.pilot), in the same words (rfp.domain.pilot_text)."""

from __future__ import annotations

import copy
import json

from click.testing import CliRunner

from rfp.cli import main
from rfp.demo import demo_scenario
from rfp.domain.pilot_text import pilot_text
from tests.reports.conftest import scored
from tests.reports.test_pdf_first_page import pages

# The demo's finished pilot (rfp/demo/customer_service_2027.json, "pilot"): Puente Norte,
# the champion, passes every criterion and was recorded "expand"; Tanglaw, the challenger,
# sits in the watch band on FCR, CSAT and attrition and was recorded "extend".
# Tanglaw's FCR over weeks 7-10: (73 + 74 + 73 + 74) / 4 = 73.5 %, between the failing
# limit (72 %) and the threshold (75 %): watch, and no week at 75 % or more: met 0 of 10.
TANGLAW_FCR = "FCR at least 75.0 % (failing below 72.0 %)"


def test_the_pdf_has_the_pilot_with_each_vendor_s_verdict_and_criteria():
    doc, result = scored(demo_scenario())
    text = " ".join(pages(doc, result))
    assert "The pilot Pilot: 10 of 10 weeks reported (finished)." in text
    assert "Puente Norte CX (champion): the data proposes expand; recorded: expand." in text
    assert (
        "Tanglaw Support Services (challenger): the data proposes extend the pilot; "
        "recorded: extend the pilot." in text
    )
    assert f"{TANGLAW_FCR} 73.5 % (weeks 7-10) 0 of 10 Watch" in text
    assert "The pilot's KPIs week by week" in text


def test_without_a_pilot_the_pdf_has_no_pilot_pages():
    doc = copy.deepcopy(demo_scenario())
    doc.pop("pilot")
    doc["evaluation"]["stage"] = "consensus"
    doc, result = scored(doc)
    text = " ".join(pages(doc, result))
    assert "The pilot" not in text and "KPIs week by week" not in text


def test_rfp_score_prints_the_pilot_after_the_ranking(tmp_path):
    path = tmp_path / "demo.json"

    path.write_text(json.dumps(demo_scenario()))
    printed = CliRunner().invoke(main, ["score", str(path)], catch_exceptions=False).output
    doc, result = scored(demo_scenario())
    names = {v["key"]: v["name"] for v in doc["vendors"]}
    assert result.pilot is not None
    assert pilot_text(result.pilot, names).strip() in printed
    assert f"  Watch  {TANGLAW_FCR}: latest 73.5 % (weeks 7-10), met 0 of 10 weeks" in printed
    assert printed.index("Pilot: 10 of 10") > printed.index("Rank")
