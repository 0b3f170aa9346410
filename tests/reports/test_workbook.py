"""The workbook, opened again with openpyxl, holds the engine's numbers and the user's text."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.escape import unescape
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter import Workbook as XlsxWriterWorkbook

from rfp.domain.scoring import score_evaluation
from rfp.reports.xlsx import SHEETS, build_workbook
from rfp.reports.xlsx.book import Book, RowOrderError
from rfp.reports.xlsx.cells import FLAG_COLOUR, INPUT_COLOUR, MONEY, SCORE
from rfp.scenario import normalise_scenario, scenario_to_input
from tests.reports.figures import (
    assert_figures_equal,
    assert_matrix_and_cost_equal_the_engine,
    engine_figures,
    summary_figures,
)

GENERATED_AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
HOSTILE_VENDOR = '=HYPERLINK("http://x","y")'


def open_workbook(report: tuple[dict[str, Any], Any]) -> Workbook:
    doc, result = report
    data = build_workbook(result, doc, generated_at=GENERATED_AT)
    return load_workbook(io.BytesIO(data))


def header_row(ws: Worksheet, first_label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first_label:
            return row[0].row
    raise AssertionError(f"no header {first_label!r} in {ws.title}")


def row_values(ws: Worksheet, row: int) -> list[Any]:
    return [c.value for c in ws[row]]


def test_workbook_has_the_sheets_leadership_reads_in_order(demo_report):
    wb = open_workbook(demo_report)
    # The demo ran a pilot (its sheet before the sensitivity analysis) and has an amendment.
    assert wb.sheetnames == [
        "Summary", "Matrix", "Scores", "Consensus", "References", "Cost", "Pilot",
        "Sensitivity", "Amendments",
    ]  # fmt: skip


def test_summary_lists_vendors_in_rank_order_with_the_engine_criterion_scores(hand_worked):
    doc, result = hand_worked
    ws = open_workbook(hand_worked)["Summary"]
    header = header_row(ws, "Rank")
    assert row_values(ws, header)[:10] == [
        "Rank", "Vendor", "Delivery model", "Status",
        "Cultural fit", "Compliance", "Cost", "References", "Total", "Data",
    ]  # fmt: skip
    beta, alpha = (row_values(ws, header + 1), row_values(ws, header + 2))
    # Criterion scores worked out by hand in the fixture, written as numbers; the cost
    # score is the Cost sheet's (live), stored with the engine's figure.
    assert beta[1:4] == ["Beta Support", "Offshore", "Qualified"]
    assert [beta[4], beta[5], beta[7]] == pytest.approx([56.6666667, 100.0, 60.0])
    assert alpha[1] == "Alpha CX"
    assert [alpha[4], alpha[5], alpha[7]] == [80.0, 60.0, 80.0]
    assert beta[6].startswith("='Cost'!$R$") and alpha[6].startswith("='Cost'!$R$")
    stored = load_workbook(
        io.BytesIO(build_workbook(result, doc, generated_at=GENERATED_AT)), data_only=True
    )["Summary"]
    assert [stored.cell(header + 1, 7).value, stored.cell(header + 2, 7).value] == [100.0, 62.5]
    # The engine's floats, not rounded copies (openpyxl writes 16 significant digits).
    assert beta[4] == pytest.approx(result.vendor("beta").criteria["fit"], rel=1e-15, abs=0)
    assert ws.cell(header + 1, 5).number_format == SCORE


def test_totals_and_ranks_are_formulas_over_the_weight_input_cells(hand_worked):
    wb = open_workbook(hand_worked)
    ws = wb["Summary"]
    header = header_row(ws, "Rank")
    weights_row = header - 2
    assert [ws.cell(weights_row, c).value for c in range(5, 9)] == [40, 30, 20, 10]
    assert all(ws.cell(weights_row, c).fill.fgColor.rgb == f"FF{INPUT_COLOUR}"
               for c in range(5, 9))  # fmt: skip
    name = wb.defined_names["CriterionWeights"]
    assert name.attr_text == f"'Summary'!$E${weights_row}:$H${weights_row}"
    total = ws.cell(header + 1, 9).value
    assert total.startswith("=") and "SUMPRODUCT(E" in total and "CriterionWeights" in total
    rank = ws.cell(header + 1, 1).value
    assert rank.startswith("=IF($D") and '"Disqualified"' in rank


def test_formulas_store_the_engine_figures_for_readers_that_do_not_recalculate(demo_report):
    """A viewer or a library that does not recalculate shows the value stored with each
    formula: the engine's figure (LibreOffice's own figures are in test_workbook_recalc)."""
    doc, result = demo_report
    data = build_workbook(result, doc, generated_at=GENERATED_AT)
    wb = load_workbook(io.BytesIO(data), data_only=True)
    assert_figures_equal(summary_figures(wb), engine_figures(result))
    assert_matrix_and_cost_equal_the_engine(wb, doc, result)
    summary = wb["Summary"]
    header = header_row(summary, "Rank")
    weights = [c["weight"] for c in doc["criteria"]]
    shares = [summary.cell(header - 1, 5 + i).value for i in range(len(weights))]
    assert shares == pytest.approx([w / sum(weights) for w in weights])
    cost = wb["Cost"]
    stored = {cost.cell(r, 1).value: cost.cell(r, 2).value for r in range(1, 20)}
    vendor = result.vendors[0].cost
    assert stored["Agent hours a month"] == pytest.approx(vendor.hours_per_month)
    assert stored["In-house TCO over the term"] == pytest.approx(vendor.inhouse_tco)
    inhouse_rate_row = next(r for r in range(1, 20) if str(cost.cell(r, 1).value).startswith("In-"))
    assert (
        cost.cell(inhouse_rate_row, 3).value == "within the market benchmark for in-house, $30-45"
    )


def test_disqualified_vendor_is_marked_and_kept_out_of_the_rank(demo_report):
    doc, result = demo_report
    ws = open_workbook(demo_report)["Summary"]
    header = header_row(ws, "Rank")
    last = header + len(result.vendors)
    # The demo's Valle Claro fails the PCI knockout: last row, marked, shaded.
    assert ws.cell(last, 2).value == "Valle Claro Soluciones"
    assert ws.cell(last, 4).value == "Disqualified"
    assert "Failed knockout: 2.2 PCI-DSS" in ws.cell(last, 13).value
    assert ws.cell(last, 2).fill.fgColor.rgb.endswith("F4DEDE")
    assert '"–"' in ws.cell(last, 1).value


def test_summary_has_a_colour_scale_and_a_chart_of_totals(demo_report):
    ws = open_workbook(demo_report)["Summary"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any(r.type == "colorScale" for r in rules)
    assert len(ws._charts) == 1


def test_matrix_holds_question_scores_and_criterion_subtotal_formulas(hand_worked):
    doc, result = hand_worked
    ws = open_workbook(hand_worked)["Matrix"]
    header = header_row(ws, "Criterion")
    assert row_values(ws, header) == ["Criterion", "Question", "Weight", "Beta Support",
                                      "Alpha CX"]  # fmt: skip
    rows = {ws.cell(r, 2).value: r for r in range(header + 1, ws.max_row + 1)}
    timezone = rows["1.1 Time zone overlap"]  # criterion 1, question 1
    # Question scores from the engine: beta 2,2 -> 40; alpha 4,5 -> 90.
    assert [ws.cell(timezone, c).value for c in (3, 4, 5)] == [2, 40.0, 90.0]
    fit_row = timezone - 1
    assert ws.cell(fit_row, 1).value == "Cultural fit"
    subtotal = ws.cell(fit_row, 4).value
    # Weighted mean over the questions that have a score.
    scores, weights = f"D{timezone}:D{timezone + 1}", f"$C${timezone}:$C${timezone + 1}"
    assert subtotal == (
        f"=IF(SUMPRODUCT(ISNUMBER({scores})*{weights})=0,0,"
        f"SUMPRODUCT({scores},{weights})/SUMPRODUCT(ISNUMBER({scores})*{weights}))"
    )
    knockout = rows["Knockout (pass/fail): 2.1 SOC 2 Type II"]
    assert [ws.cell(knockout, c).value for c in (4, 5)] == ["Pass", "Pass"]
    cost_row = next(r for r in rows.values() if ws.cell(r, 1).value == "Cost")
    # The cost criterion row reads the Cost sheet's live score (beta 100, alpha 62.5).
    assert all(ws.cell(cost_row, c).value.startswith("='Cost'!$R$") for c in (4, 5))
    assert "Lowest price ratio" in ws.cell(cost_row, 2).value
    assert ws.cell(header + 1, 1).value == "Total"
    assert "'Summary'!$E$" in ws.cell(header + 1, 4).value


def test_scores_sheet_has_every_score_with_its_comment_and_a_filter(demo_report):
    doc, result = demo_report
    ws = open_workbook(demo_report)["Scores"]
    header = header_row(ws, "Evaluator")
    assert row_values(ws, header) == [
        "Evaluator", "Vendor", "Criterion", "Question", "Score (0-5)", "Comment",
        "Dispersion", "Not counted because",
    ]  # fmt: skip
    assert ws.max_row - header == len(doc["scores"])
    assert ws.auto_filter.ref == f"A{header}:H{ws.max_row}"
    assert ws.freeze_panes == f"A{header + 1}"
    comments = {ws.cell(r, 6).value for r in range(header + 1, ws.max_row + 1)}
    assert {s["comment"] for s in doc["scores"] if s["comment"]} <= comments


def test_flagged_dispersion_rows_are_highlighted(demo_report):
    doc, result = demo_report
    ws = open_workbook(demo_report)["Scores"]
    header = header_row(ws, "Evaluator")
    flagged = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 7).value]
    # The demo's one flagged pair: Tanglaw on time zone overlap, scored 2 and 5, consensus since.
    (dispersion,) = result.flagged_dispersion
    assert (dispersion.vendor, dispersion.question) == ("tanglaw", "timezone")
    assert len(flagged) == len(dispersion.scores) == 2
    assert {ws.cell(r, 2).value for r in flagged} == {"Tanglaw Support Services"}
    assert ws.cell(flagged[0], 7).value == "range 3 (consensus recorded)"
    # Highlighted by one rule over the table: rows whose Dispersion cell is filled.
    (rule,) = [
        (str(cf.sqref), r)
        for cf in ws.conditional_formatting
        for r in cf.rules
        if r.type == "expression"
    ]
    assert rule[0] == f"A{header + 1}:H{ws.max_row}"
    assert rule[1].formula == [f'$G{header + 1}<>""']
    assert rule[1].dxf.fill.fgColor.rgb.endswith(FLAG_COLOUR) or (
        rule[1].dxf.fill.bgColor.rgb.endswith(FLAG_COLOUR)
    )


def test_references_sheet_holds_every_call_and_every_field(demo_report):
    doc, result = demo_report
    ws = open_workbook(demo_report)["References"]
    header = header_row(ws, "Vendor")
    assert ws.max_row - header == len(doc["references"])
    call = doc["references"][0]  # Cottonwood's first call, with Dana
    row = next(
        r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 3).value == call["company"]
    )
    values = row_values(ws, row)
    assert values[0] == "Cottonwood Ridge CX"
    assert values[1] == "Dana Whitfield"
    assert values[3] == call["contact"]
    assert values[4].date().isoformat() == call["date"]
    assert values[5:8] == ["yes", 4, "yes"]
    assert values[8:11] == [call["surprised_negatively"], call["do_differently"], call["notes"]]
    assert ws.auto_filter.ref


def test_cost_sheet_has_scope_inputs_and_figures_as_formulas(hand_worked):
    wb = open_workbook(hand_worked)
    ws = wb["Cost"]
    inputs = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, 30) if ws.cell(r, 1).value}
    assert inputs["Contacts per month"].value == 20000
    assert inputs["Average handle time (minutes)"].value == 6
    assert inputs["Occupancy"].value == 0.8
    assert inputs["Contract term (months)"].value == 24
    assert inputs["In-house rate ($/agent-hour)"].value == 38
    assert inputs["Occupancy"].fill.fgColor.rgb == f"FF{INPUT_COLOUR}"
    assert inputs["Agent hours a month"].value == "=ContactsPerMonth*AHTMinutes/60/Occupancy"
    assert inputs["Lowest TCO compared"].value.startswith("=IF(COUNT(N")
    assert "Price formula: Lowest price ratio" in inputs
    assert wb.defined_names["TermMonths"].attr_text.startswith("'Cost'!$B$")
    assert wb.defined_names["LowestTCO"].attr_text.startswith("'Cost'!$B$")
    header = header_row(ws, "Vendor")
    labels = row_values(ws, header)
    beta = {label: ws.cell(header + 1, i + 1) for i, label in enumerate(labels)}
    r = header + 1
    assert beta["Vendor"].value == "Beta Support"
    # The price is an input: the pricing model in words, picked from a list.
    assert beta["Pricing model"].value == "per agent-hour"
    assert beta["Rate"].value == 10
    for label in ("Pricing model", "Rate", "Setup fee", "Monthly fee"):
        assert beta[label].fill.fgColor.rgb == f"FF{INPUT_COLOUR}", label
    (validation,) = [v for v in ws.data_validations.dataValidation if f"D{r}" in str(v.sqref)]
    assert validation.formula1 == '"per agent-hour,per contact,per FTE-month"'
    assert beta["TCO"].value == (
        f'=IF(ISNUMBER(H{r}),F{r}+TermMonths*(H{r}+G{r})*(1+GovernanceOverheadPct/100),"")'
    )
    assert beta["TCO"].number_format == MONEY
    assert beta["TCO compared (qualified, with a price)"].value == (
        f'=IF(AND($C{r}="Qualified",ISNUMBER(M{r})),M{r},"")'
    )
    assert beta["Savings vs in-house"].value.startswith("=IF(AND(ISNUMBER(InhouseTCO)")
    assert beta["Benchmark low"].value == 7  # offshore: $7-15 an agent-hour
    assert beta["Cost score (0-100)"].value == (
        f"=IF(ISNUMBER(M{r}),MIN(100,MAX(0,IF(LowestTCO<=0,IF(M{r}<=LowestTCO,100,0),"
        f"100*LowestTCO/M{r}))),0)"
    )
    assert "below the $4-22 benchmark" in beta["Flags (as generated)"].value


@pytest.mark.parametrize(
    ("formula", "points"),
    [
        ("linear", "IF(HighestTCO=LowestTCO,100,100*(HighestTCO-M9)/(HighestTCO-LowestTCO))"),
        ("deviation", "IF(LowestTCO<=0,IF(M9<=LowestTCO,100,0),100*(1-(M9-LowestTCO)/LowestTCO))"),
        ("log", "IF(LowestTCO<=0,IF(M9<=LowestTCO,100,0),"
                "100*(1-LN(M9/LowestTCO)/LN(PriceZeroMultiple)))"),
    ],
)  # fmt: skip
def test_cost_score_is_the_price_formula_of_the_evaluation(make_scenario, score_doc, formula,
                                                           points):  # fmt: skip
    from rfp.reports.xlsx.cost_model import price_points

    assert price_points(formula, "M9") == points
    doc, result = score_doc(make_scenario(price_formula=formula, price_zero_multiple=3))
    ws = open_workbook((doc, result))["Cost"]
    labels = {ws.cell(r, 1).value: r for r in range(1, 30)}
    if formula == "log":
        # The zero multiple is an input, named, read by the logarithmic formula.
        assert ws.cell(labels["Price zero multiple (A)"], 2).value == 3
        assert ws.cell(labels["Price zero multiple (A)"], 2).fill.fgColor.rgb.endswith(INPUT_COLOUR)
    else:
        assert "Price zero multiple (A)" not in labels


def test_a_vendor_without_a_price_has_blank_price_inputs_and_scores_0(make_scenario, score_doc):
    doc = make_scenario()
    doc["vendors"][0]["pricing"] = None
    doc, result = score_doc(doc)
    data = build_workbook(result, doc, generated_at=GENERATED_AT)
    ws = load_workbook(io.BytesIO(data), data_only=True)["Cost"]
    header = header_row(ws, "Vendor")
    labels = row_values(ws, header)
    alpha = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "Alpha CX")
    row = {label: ws.cell(alpha, i + 1) for i, label in enumerate(labels)}
    assert row["Pricing model"].value is None and row["Rate"].value is None
    assert row["Rate"].fill.fgColor.rgb == f"FF{INPUT_COLOUR}"  # there to be filled in
    assert row["TCO"].value is None  # the formula's "" (openpyxl reads an empty string so)
    assert row["Cost score (0-100)"].value == 0
    assert row["Flags (as generated)"].value.startswith("No price: scores 0 on cost")


@pytest.mark.parametrize("sheet", ["Summary", "Cost"])
def test_every_cell_but_the_inputs_is_locked_without_a_password(demo_report, sheet):
    ws = open_workbook(demo_report)[sheet]
    assert ws.protection.sheet and not ws.protection.password
    assert ws.protection.autoFilter is False  # filters still work (OOXML: not locked)
    inputs = locked = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.fill.fgColor.rgb == f"FF{INPUT_COLOUR}":
                assert not cell.protection.locked, cell.coordinate
                inputs += 1
            elif cell.value is not None:
                assert cell.protection.locked, cell.coordinate
                locked += 1
    assert inputs and locked
    notes = " ".join(str(ws.cell(r, 1).value) for r in range(2, 6))
    assert "Every other cell is locked (Review › Unprotect Sheet, no password)" in notes


def test_the_summary_chart_marks_a_disqualified_vendor(demo_report):
    doc, result = demo_report
    ws = open_workbook(demo_report)["Summary"]
    (chart,) = ws._charts
    (series,) = chart.series
    # Categories: a hidden column of labels; the demo's Valle Claro (last) says why.
    column = series.cat.strRef.f.split("!")[1][1]
    assert ws.column_dimensions[column].hidden
    labels = [point.v for point in series.cat.strRef.strCache.pt]
    assert labels[-1] == "Valle Claro Soluciones (disqualified: not ranked)"
    assert labels[:-1] == [v.name for v in result.vendors[:-1]]
    # Its bar alone is hatched, and the title says what hatching means.
    assert [(p.idx, p.spPr.pattFill.prst) for p in series.dPt] == [(4, "wdUpDiag")]
    assert "hatched: disqualified" in chart.title.tx.rich.p[0].r[0].t


@pytest.mark.parametrize("sheet", ["Summary", "Matrix", "Scores", "References", "Cost"])
def test_every_sheet_freezes_its_header_and_prints_landscape_one_page_wide(demo_report, sheet):
    ws = open_workbook(demo_report)[sheet]
    assert ws.freeze_panes
    assert ws.page_setup.orientation == "landscape"
    # One page wide: XlsxWriter leaves out fitToWidth="1", OOXML's default when absent.
    assert ws.page_setup.fitToWidth in (1, None)
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows
    assert "Page &P of &N" in ws.oddFooter.right.text
    assert ws.oddFooter.left.text == "Customer service outsourcing 2027"


def test_number_formats_are_set(demo_report):
    wb = open_workbook(demo_report)
    summary = wb["Summary"]
    header = header_row(summary, "Rank")
    assert summary.cell(header - 1, 5).number_format == "0.0%"  # share of the total
    assert summary.cell(header + 1, 11).number_format == SCORE  # total
    cost = wb["Cost"]
    cost_header = header_row(cost, "Vendor")
    labels = row_values(cost, cost_header)
    formats = {label: cost.cell(cost_header + 1, i + 1).number_format
               for i, label in enumerate(labels)}  # fmt: skip
    assert formats["TCO"] == MONEY
    assert formats["Cost per contact"] == '"$"#,##0.00'
    occupancy = next(r for r in range(1, 20) if cost.cell(r, 1).value == "Occupancy")
    assert cost.cell(occupancy, 2).number_format == "0%"


def test_user_text_never_becomes_a_formula_in_any_sheet(hostile_report, hostile_texts):
    """A vendor named =HYPERLINK(...) and comments starting with = + - @ tab and CR come
    back as the same text, in text cells, wherever they appear."""
    doc, result = hostile_report
    wb = open_workbook(hostile_report)
    user_texts = {
        *hostile_texts,
        doc["evaluation"]["title"],
        "@criterion",
        "=question()",
        "+evaluator",
        "-rationale",
        "@company",
        "=contact",
        "+surprise",
        "-differently",
        "\tnotes",
    }
    found: dict[str, set[str]] = {}
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    # Formulas are the workbook's own: none carries user text.
                    assert not any(t.strip() in cell.value for t in user_texts), cell.coordinate
                # openpyxl does not decode OOXML's _x000D_ (a carriage return); Excel does.
                text = unescape(cell.value) if isinstance(cell.value, str) else None
                if text in user_texts:
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate)
                    found.setdefault(text, set()).add(ws.title)
    assert found[HOSTILE_VENDOR] == {
        "Summary", "Matrix", "Scores", "Consensus", "References", "Cost", "Sensitivity",
    }  # fmt: skip
    for text in hostile_texts:
        assert "Scores" in found[text], repr(text)
    assert found[doc["evaluation"]["title"]] == {"Summary"}
    for text in ("@company", "=contact", "+surprise", "-differently", "\tnotes"):
        assert found[text] == {"References"}
    assert found["-rationale"] == {"Consensus"}


def test_user_text_with_control_characters_is_cleaned_not_refused(make_scenario):
    doc = make_scenario()
    doc["vendors"][1]["name"] = "Under_x0041_score"
    doc = normalise_scenario(doc)
    # The scenario file refuses control characters: the builder's own line of defence is
    # tested with a name put in after the file was read.
    doc["vendors"][0]["name"] = "Bell\x07 Corp"
    result = score_evaluation(scenario_to_input(doc))
    ws = open_workbook((doc, result))["Summary"]
    names = {ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert "Bell Corp" in names
    # A literal "_x0041_" is escaped so that a spreadsheet does not read it as "A".
    assert "Under_x005F_x0041_score" in names
    assert unescape("Under_x005F_x0041_score") == "Under_x0041_score"


def test_a_sheet_is_one_more_writer_function(demo_report):
    doc, result = demo_report

    def write_notes(book, ctx):
        book.add_sheet("Notes").text(1, 1, f"{len(ctx.vendors)} vendors")

    data = build_workbook(result, doc, generated_at=GENERATED_AT, sheets=[*SHEETS, write_notes])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[-1] == "Notes"
    assert wb["Notes"]["A1"].value == "5 vendors"


def test_a_sheet_is_written_top_to_bottom():
    """In constant memory a row goes to disk once a later one is begun: a write above it
    would be lost, so it raises."""
    out = io.BytesIO()
    with XlsxWriterWorkbook(out, {"constant_memory": True}) as workbook:
        sheet = Book(workbook).add_sheet("Rows")
        sheet.text(2, 1, "second")
        sheet.text(2, 2, "same row, later column")
        sheet.text(3, 1, "third")
        with pytest.raises(RowOrderError, match="row 2 written after row 3"):
            sheet.number(2, 3, 1.0)
    assert list(load_workbook(out)["Rows"].iter_rows(values_only=True)) == [
        (None, None),
        ("second", "same row, later column"),
        ("third", None),
    ]


def test_an_ampersand_in_the_title_keeps_the_footer(make_scenario, score_doc):
    """ "&" starts a code in a header or footer: the title's is doubled, and "&G" (an image
    placeholder) cannot appear by accident, so the footer is written whatever the title."""
    doc, result = score_doc(make_scenario(title="R&G Support & Co"))
    ws = open_workbook((doc, result))["Summary"]
    assert ws.oddFooter.left.text.replace("\u200b", "") == "R&&G Support && Co"
    assert "Page &P of &N" in ws.oddFooter.right.text


def test_forty_vendor_evaluation_has_a_row_for_every_score(large_report):
    """The generated 40 x 120 x 12 evaluation (the benchmark's) comes out whole: each sheet
    is written top to bottom, so a misplaced row would have raised or been lost."""
    doc, result = large_report
    data = build_workbook(result, doc, generated_at=GENERATED_AT)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    scores = wb["Scores"]
    assert scores.max_row == 4 + len(doc["scores"])  # title, note, blank row, header
    assert scores.max_column == 8
    summary = list(wb["Summary"].iter_rows(max_col=2, values_only=True))
    header = summary.index(("Rank", "Vendor"))
    names = [name for _rank, name in summary[header + 1 : header + 1 + len(result.vendors)]]
    assert names == [v.name for v in result.vendors]
    wb.close()


def test_the_same_result_and_time_give_the_same_bytes(demo_report):
    """Kept reports are listed with their SHA-256: a rebuild of the same figures matches."""
    doc, result = demo_report
    first = build_workbook(result, doc, generated_at=GENERATED_AT)
    assert build_workbook(result, doc, generated_at=GENERATED_AT) == first
