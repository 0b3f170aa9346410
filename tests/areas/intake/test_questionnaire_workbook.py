"""The questionnaire workbook and its parser, on plain data (no database, no Flask)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest

from rfp.areas.intake.content import ResponseContent, spec_from_scenario
from rfp.areas.intake.parse import QuestionnaireError, parse_questionnaire
from rfp.areas.intake.questionnaire import build_questionnaire
from tests.fixtures.intake_workbooks import fill, long_sheet, replace_part
from tests.fixtures.intake_world import open_scenario


@pytest.fixture
def doc(make_scenario: Any) -> dict[str, Any]:
    doc = open_scenario(make_scenario)
    doc["criteria"][0]["questions"][0]["guidance"] = "5: eight hours or more (evaluators only)"
    doc["criteria"][1]["questions"][1]["text"] = '=HYPERLINK("http://x") audit cadence'
    return doc


@pytest.fixture
def spec(doc: dict[str, Any]) -> Any:
    return spec_from_scenario(doc, "alpha", evaluation_id=41)


@pytest.fixture
def workbook(spec: Any) -> bytes:
    return build_questionnaire(spec)


def _load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_are_instructions_questions_knockouts_pricing_and_hidden_keys(workbook):
    wb = _load(workbook)
    assert wb.sheetnames == [
        "Instructions",
        "Questions",
        "Knockouts",
        "Pricing",
        "Rate lines",
        "Volume tiers",
        "rfp_keys",
    ]
    assert [ws.sheet_state for ws in wb] == ["visible"] * 6 + ["veryHidden"]
    keys = wb["rfp_keys"]
    assert [[c.value for c in row] for row in keys.iter_rows()] == [
        ["format", "rfp-questionnaire"],
        ["version", 2],
        ["evaluation", 41],
        ["vendor", "alpha"],
    ]
    assert wb.security.lockStructure


def test_instructions_give_the_public_scope_and_deadline_but_no_weights_or_rivals(workbook, doc):
    ws = _load(workbook)["Instructions"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert doc["evaluation"]["deadline"][:10] in text  # the deadline's date
    for shown in (
        "customer care",
        "email, chat",
        "en, es",
        "Mon-Fri 08:00-20:00 US Central",
        "20,000",
        "6 minutes",
        "24 months",
        "SOC 2, PCI-DSS",
        "10 weeks",
        "75 %",
    ):
        assert shown in text
    assert "Alpha CX" in text
    # Not the other vendor, not weights, not the buyer's own cost figures (the in-house
    # rate, 38). The deadline's line is left out: its time is the clock's (14:38 UTC).
    undated = "\n".join(line for line in text.splitlines() if "UTC" not in line)
    for hidden in ("Beta Support", "weight", "38", "occupancy", "evaluators only"):
        assert hidden not in undated


def test_questions_sheet_rows_carry_their_key_in_a_hidden_column(workbook):
    ws = _load(workbook)["Questions"]
    assert ws.column_dimensions["A"].hidden
    keys = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    # Knockouts live on their own sheet; every other question is here, in order.
    assert keys == ["timezone", "language", "attrition", "audits", "sites"]
    assert [c.value for c in ws[2]] == ["Key", "Criterion", "Question", "Guidance", "Your answer"]
    # The evaluators' guidance stays in the app; the vendor gets an answering hint.
    assert ws["D3"].value is None
    assert ws["D5"].value == "Answer with a number (%)."


def test_only_answer_cells_are_unlocked_on_protected_sheets(workbook):
    wb = _load(workbook)
    for name, answer_columns, first_row in (
        ("Questions", "E", 3),
        ("Knockouts", "EF", 3),
        ("Pricing", "C", 3),
        ("Rate lines", "ABC", 4),
        ("Volume tiers", "ABC", 4),
    ):
        ws = wb[name]
        assert ws.protection.sheet
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
            for cell in row:
                unlocked = cell.row >= first_row and cell.column_letter in answer_columns
                assert cell.protection.locked is not unlocked, (name, cell.coordinate)
    assert wb["Instructions"].protection.sheet
    # Room for 30 rate lines and 10 volume tiers.
    assert (wb["Rate lines"].max_row, wb["Volume tiers"].max_row) == (33, 13)


def test_data_validation_gives_drop_downs_and_number_limits(workbook):
    wb = _load(workbook)
    knockout = wb["Knockouts"].data_validations.dataValidation
    assert [(dv.type, dv.formula1, str(dv.sqref)) for dv in knockout] == [
        ("list", '"yes,no"', "E3")
    ]
    pricing = {str(dv.sqref): dv for dv in wb["Pricing"].data_validations.dataValidation}
    assert pricing["C3"].type == "list"
    assert pricing["C3"].formula1 == '"per_hour,per_contact,per_fte_month"'
    money = pricing["C4 C5 C6"]  # rate, setup fee, monthly fee
    assert (money.type, money.operator, money.formula1) == ("decimal", "between", "0")
    numbers = [dv for dv in wb["Questions"].data_validations.dataValidation if dv.type == "decimal"]
    assert [str(dv.sqref) for dv in numbers] == ["E5"]
    # The scope's channels and languages as drop-downs; rates, thresholds and discounts
    # within the scenario file's bounds.
    rules = {
        sheet: [
            (dv.type, dv.formula1, dv.formula2, str(dv.sqref))
            for dv in wb[sheet].data_validations.dataValidation
        ]
        for sheet in ("Rate lines", "Volume tiers")
    }
    assert rules == {
        "Rate lines": [
            ("list", '"email,chat"', None, "A4:A33"),
            ("list", '"en,es"', None, "B4:B33"),
            ("decimal", "0", "1000000", "C4:C33"),
        ],
        "Volume tiers": [
            ("decimal", "0", "100000000", "A4:A13"),
            ("decimal", "0", "100", "B4:B13"),
            ("decimal", "0", "1000000", "C4:C13"),
        ],
    }


def test_text_that_looks_like_a_formula_is_written_as_text(workbook):
    ws = _load(workbook)["Questions"]
    cell = ws["C6"]
    assert cell.value == '=HYPERLINK("http://x") audit cadence'
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        assert all(b"<f>" not in z.read(n) for n in z.namelist() if n.endswith(".xml"))


def test_a_prefilled_workbook_reads_back_as_the_same_response(spec):
    content = ResponseContent(
        answers={"timezone": "=SUM(A1:A9) is not a formula", "language": "Español nativo"},
        numbers={"attrition": 31.5},
        knockouts={"soc2": False},
        evidence={"soc2": "Audit planned for Q3"},
    )
    assert parse_questionnaire(build_questionnaire(spec, content), spec) == content


def test_a_blank_workbook_is_an_empty_response(workbook, spec):
    assert parse_questionnaire(workbook, spec) == ResponseContent()


def test_values_typed_by_a_vendor_come_back_as_typed(workbook, spec):
    data = fill(
        workbook,
        answers={"timezone": "=foo", "language": 42, "attrition": "12.5", "sites": "Lima; Cebu"},
        knockouts={"soc2": "Yes"},
        pricing={"pricing_model": "per_contact", "rate": 3.2, "setup_fee": 0},
    )
    content = parse_questionnaire(data, spec)
    assert content.answers == {"timezone": "=foo", "language": "42", "sites": "Lima; Cebu"}
    assert content.numbers == {"attrition": 12.5}
    assert content.knockouts == {"soc2": True}
    assert (content.pricing.model, content.pricing.rate, content.pricing.setup_fee) == (
        "per_contact",
        3.2,
        0.0,
    )
    assert content.pricing.monthly_fee is None


def test_every_problem_is_reported_at_once_with_sheet_and_cell(workbook, spec):
    data = fill(
        workbook,
        answers={"attrition": "about ten"},
        knockouts={"soc2": "maybe"},
        pricing={"pricing_model": "per_week", "rate": -1, "setup_fee": "=1+1"},
    )
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(data, spec)
    assert refused.value.errors == [
        "Questions!E5: the answer to 'attrition' must be a number, not text ('about ten')",
        "Knockouts!E3: 'maybe' is neither yes nor no",
        "Pricing!C3: pricing model 'per_week' is not one of per_hour, per_contact, per_fte_month",
        "Pricing!C4: rate must be a number >= 0 (got -1)",
        "Pricing!C5: setup fee: type the number itself, not a formula (=1+1)",
    ]


def test_a_workbook_for_another_vendor_or_evaluation_is_refused(workbook, doc):
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(workbook, spec_from_scenario(doc, "beta", evaluation_id=42))
    assert refused.value.errors == [
        "rfp_keys!B3: this questionnaire belongs to another evaluation",
        "rfp_keys!B4: this questionnaire was made for another vendor",
    ]


def test_a_sheet_without_a_dimension_is_still_cut_at_the_row_limit(workbook, spec):
    data = replace_part(workbook, "xl/worksheets/sheet2.xml", long_sheet(5000, dimension=False))
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(data, spec)
    assert refused.value.errors == ["Questions: the sheet has more than 2,000 rows"]


def test_overlong_answers_are_refused_with_their_length(workbook, spec):
    data = fill(workbook, answers={"timezone": "a" * 20_001})
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(data, spec)
    assert refused.value.errors == [
        "Questions!E3: the answer to 'timezone' is 20,001 characters long; the limit is 20,000"
    ]
