"""Page 1 of the PDF carries the decision: the money of the vendor it names, who recorded
the award and when, and the process exceptions; and no page speaks in internal words."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from rfp.demo import demo_scenario
from rfp.domain import vocabulary
from rfp.reports.meta import DeclaredConflict, ReportMeta, meta_from_scenario, process_exceptions
from rfp.reports.pdf import build_summary_pdf
from tests.reports.conftest import scored

# The demo's money, worked out from its scope: 24,000 contacts a month x 10 min / 60 / 0.8
# occupancy = 5,000 agent-hours a month, a 36-month term, 10 % governance overhead.
# Puente Norte: $2,720 per FTE-month x 5,000 / 160 = $85,000 a month; TCO = 30,000 setup +
# 36 x (85,000 + 2,500 fee) x 1.10 = $3,495,000; per contact 3,495,000 / (36 x 24,000) =
# $4.05. In-house: 36 x 5,000 h x $38 = $6,840,000, so it saves $3,345,000 (49 %).
PUENTE_TCO = "$3,495,000"
PUENTE_PER_CONTACT = "$4.05"
DEADLINE = datetime(2026, 9, 4, 22, 0, tzinfo=UTC)  # the demo's response deadline


def pages(doc: dict[str, Any], result: Any, meta: ReportMeta | None = None) -> list[str]:
    """Each page's text, whitespace folded (lines wrap inside boxes and cells)."""
    data = build_summary_pdf(
        result, doc, generated_at=datetime(2026, 11, 23, 14, 30, tzinfo=UTC), meta=meta
    )
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def decided_demo(award: str = "puente_norte") -> tuple[dict[str, Any], Any]:
    doc = demo_scenario()
    doc["evaluation"]["stage"] = "decided"
    doc["evaluation"]["award"] = {"vendor": award, "rationale": "Best overall value."}
    doc["conflicts"] = [{"evaluator": "priya", "vendor": "valle_claro", "note": "Former employer"}]
    return scored(doc)


def audited(doc: dict[str, Any], **facts: Any) -> ReportMeta:
    """The meta the database would give: who recorded the award, when, and so on."""
    return dataclasses.replace(meta_from_scenario(doc), from_scenario_file=False, **facts)


def test_page_one_carries_the_money_the_decision_maker_the_award_date_and_the_exceptions():
    doc, result = decided_demo()
    meta = audited(
        doc,
        decided_by="Morgan Avery",
        decided_at=datetime(2026, 9, 1, 15, 0, tzinfo=UTC),  # before the deadline
        unsealed_at=datetime(2026, 8, 30, 9, 0, tzinfo=UTC),
        unsubmitted_scorecards=("Luis Ortega",),
    )
    first = pages(doc, result, meta)[0]
    assert "Awarded to Puente Norte CX." in first
    assert "Decision maker: Morgan Avery · Award date: 2026-09-01" in first
    assert "The money: Puente Norte CX, awarded" in first
    assert f"TCO over 36 months Cost per contact Against in-house {PUENTE_TCO}" in first
    assert PUENTE_PER_CONTACT in first
    assert "saves $3,345,000 against in-house" in first and "49 % below the in-house" in first
    # The box, one line per exception.
    box = first[first.index("Process exceptions") :]
    assert (
        "Priya Raman declared a conflict of interest with Valle Claro Soluciones; their scores "
        "of that vendor are not counted. (Former employer)" in box
    )
    assert "1 scorecard never submitted, by Luis Ortega" in box
    assert (
        "Responses unsealed on 2026-08-30 09:00 UTC, before the response deadline of "
        "2026-09-04 22:00 UTC." in box
    )
    assert "Award recorded on 2026-09-01, before the response deadline of 2026-09-04." in box


def test_a_vendor_dearer_than_in_house_is_said_to_cost_more():
    doc = demo_scenario()
    doc["evaluation"]["scope"]["inhouse_rate"] = 12
    doc, result = scored(doc)
    first = pages(doc, result)[0]
    # In-house at $12: 36 x 5,000 x 12 = $2,160,000; Puente Norte's TCO is $1,335,000 more
    # (62 % of the in-house cost).
    assert "The money: Puente Norte CX, ranked first" in first
    assert "costs $1,335,000 more than in-house" in first
    assert "62 % above the in-house cost" in first
    assert "−$1,335,000" not in first


def test_an_award_to_another_than_the_first_ranked_vendor_is_an_exception_with_its_money():
    doc, result = decided_demo(award="tanglaw")
    first = pages(doc, result, audited(doc, decided_by="Morgan Avery"))[0]
    # Tanglaw: $1,504 x 31.25 FTE = $47,000 a month; 20,000 + 36 x 51,000 x 1.1 = $2,039,600.
    assert "The money: Tanglaw Support Services, awarded" in first
    assert "$2,039,600" in first
    assert (
        "Awarded to Tanglaw Support Services, ranked 2, over Puente Norte CX, ranked first."
        in first
    )
    assert "Award date: not on record" in first


def test_a_clean_process_says_so_and_names_no_decision_before_the_award(demo_report):
    doc, result = demo_report  # the pilot: no award yet, no conflict declared
    first = pages(doc, result)[0]
    assert "No award recorded yet (stage: Pilot)." in first  # the demo runs its pilot
    assert "Process exceptions None: no conflict of interest declared, every scorecard " in first
    assert "The money: Puente Norte CX, ranked first" in first


def test_a_scenario_file_does_not_say_who_recorded_the_award_nor_when():
    doc, result = decided_demo()
    doc["conflicts"] = []
    first = pages(doc, result)[0]  # no meta: what the scenario document says
    assert "Decision maker: not on record · Award date: not on record (a scenario file" in first
    # Nor can the box vouch for the award's date.
    assert "None: no conflict of interest declared, every scorecard submitted." in first


def test_process_exceptions_are_plain_lines_for_whoever_adds_more():
    doc, result = decided_demo()
    meta = ReportMeta(
        stage="decided",
        deadline=DEADLINE,
        decided_at=DEADLINE,  # on the deadline itself: not before it
        award_vendor="puente_norte",
        conflicts=(DeclaredConflict("Ana Ruiz", "Altamira CX"),),
        unsubmitted_scorecards=("Raj Patel", "Luis Ortega"),
    )
    assert process_exceptions(result, meta) == [
        "Ana Ruiz declared a conflict of interest with Altamira CX; their scores of that vendor "
        "are not counted.",
        "2 scorecards never submitted, by Raj Patel and Luis Ortega: the scores entered count "
        "as they stand.",
    ]
    # While scoring is under way an unsubmitted scorecard is no exception.
    scoring = dataclasses.replace(meta, stage="scoring", conflicts=())
    assert process_exceptions(result, scoring) == []


def internal_words() -> set[str]:
    """Every stored value of the vocabulary that a reader would see as a key (it has an
    underscore: lowest_ratio, per_fte_month, not_started ...), and the seed articles'
    name for the market benchmarks."""
    values = {
        member.value
        for name in dir(vocabulary)
        if isinstance(cls := getattr(vocabulary, name), type)
        and issubclass(cls, vocabulary.Labelled)
        for member in cls
    }
    words = {value for value in values if "_" in value}
    assert {"lowest_ratio", "per_fte_month", "per_hour"} <= words
    return words | {"seeds"}


def with_formula(formula: str) -> tuple[dict[str, Any], Any]:
    doc = demo_scenario()
    doc["evaluation"]["price_formula"] = formula
    return scored(doc)


@pytest.mark.parametrize("formula", list(vocabulary.PriceFormula))
def test_no_page_speaks_in_internal_words(formula):
    doc, result = with_formula(formula)
    forbidden = internal_words()
    texts = pages(doc, result)
    for number, text in enumerate(texts, start=1):
        assert not [w for w in forbidden if w in text.lower()], (number, formula)
        # Nor any other snake_case key (criterion, question or scenario field keys).
        assert not re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", text), (number, formula)
    # The formula by its name in the methodology.
    assert f"Price score ({vocabulary.PriceFormula(formula).label}):" in " ".join(texts)


def test_no_internal_words_in_a_forty_vendor_evaluation(large_report):
    doc, result = large_report
    forbidden = internal_words()
    for number, text in enumerate(pages(doc, result), start=1):
        assert not [w for w in forbidden if w in text.lower()], number
        assert not re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", text), number
