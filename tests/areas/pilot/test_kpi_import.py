"""Weekly KPI figures imported from a helpdesk export (CSV or xlsx): a good file in every
form a helpdesk writes, and bad ones each refused with its row and column named and
nothing written."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from rfp.areas.pilot.kpi_file import KpiFileError, KpiFileSpec, parse_kpi_file, template_csv
from tests.areas.pilot.conftest import CHAMPION, figures, pilot_url
from tests.fixtures.evaluations import events
from tests.fixtures.intake_workbooks import encrypted, zip_bomb

START = date(2026, 11, 2)  # a Monday; 10 weeks: to 2027-01-10
SPEC = KpiFileSpec(
    vendors={"puente_norte": "Puente Norte CX", "tanglaw": "Tanglaw Support Services"},
    kpis=("fcr_pct", "csat_pct", "aht_minutes", "attrition_pct", "cost_per_contact"),
    start=START,
    weeks=10,
)
HEADER = "vendor,week,fcr_pct,csat_pct,aht_minutes,attrition_pct,cost_per_contact"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx(rows: list[list[object]], formats: dict[str, str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for cell, fmt in (formats or {}).items():
        ws[cell].number_format = fmt
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parsed(data: bytes) -> dict[tuple[str, int, str], float]:
    return {(f.vendor, f.week, f.kpi): f.value for f in parse_kpi_file(data, SPEC)}


# -- good files ----------------------------------------------------------------------------


def test_a_csv_names_vendors_by_name_or_key_and_weeks_by_number_or_any_date_in_them():
    data = csv(
        "Puente Norte CX,2026-11-02,74.5,86,9.8,31,$6.90",
        "puente_norte,2,75 %,87%,9.6 min,30,6.80 USD",
        "TANGLAW SUPPORT SERVICES,2026-11-11,72,84,10.1,40,",  # a Wednesday of week 2
        ",,,,,,",  # an empty row is skipped
    )
    assert parsed(data) == {
        ("puente_norte", 1, "fcr_pct"): 74.5,
        ("puente_norte", 1, "csat_pct"): 86,
        ("puente_norte", 1, "aht_minutes"): 9.8,
        ("puente_norte", 1, "attrition_pct"): 31,
        ("puente_norte", 1, "cost_per_contact"): 6.9,
        ("puente_norte", 2, "fcr_pct"): 75,
        ("puente_norte", 2, "csat_pct"): 87,
        ("puente_norte", 2, "aht_minutes"): 9.6,
        ("puente_norte", 2, "attrition_pct"): 30,
        ("puente_norte", 2, "cost_per_contact"): 6.8,
        ("tanglaw", 2, "fcr_pct"): 72,
        ("tanglaw", 2, "csat_pct"): 84,
        ("tanglaw", 2, "aht_minutes"): 10.1,
        ("tanglaw", 2, "attrition_pct"): 40,
        # An empty cell is no figure.
    }


def test_a_semicolon_csv_from_a_decimal_comma_locale_reads_its_commas_as_decimals():
    data = "\ufeffvendor;week;fcr_pct;aht_minutes\nPuente Norte CX;1;74,5;9,8\n".encode()
    spec = KpiFileSpec(SPEC.vendors, ("fcr_pct", "aht_minutes"), START, 10)
    figures = {(f.week, f.kpi): f.value for f in parse_kpi_file(data, spec)}
    assert figures == {(1, "fcr_pct"): 74.5, (1, "aht_minutes"): 9.8}


def test_an_xlsx_reads_dates_and_percent_formatted_cells_as_percentages():
    data = xlsx(
        [
            ["Vendor", "Week", "FCR_pct", "csat_pct"],
            ["Puente Norte CX", date(2026, 11, 9), 0.745, 86],
        ],
        formats={"C2": "0.0%"},
    )
    spec = KpiFileSpec(SPEC.vendors, ("fcr_pct", "csat_pct"), START, 10)
    figures = {(f.week, f.kpi): f.value for f in parse_kpi_file(data, spec)}
    assert figures == {(2, "fcr_pct"): pytest.approx(74.5), (2, "csat_pct"): 86}


def test_the_template_reads_back_once_filled_in():
    text = template_csv(SPEC)
    lines = text.splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "Puente Norte CX,2026-11-02,,,,,"
    assert len(lines) == 1 + 2 * 10
    filled = text.replace("Puente Norte CX,2026-11-09,,,,,", "Puente Norte CX,2026-11-09,76,88,,,")
    assert parsed(filled.encode()) == {
        ("puente_norte", 2, "fcr_pct"): 76,
        ("puente_norte", 2, "csat_pct"): 88,
    }


def test_a_vendor_name_that_looks_like_a_formula_is_quoted_in_the_template_and_still_matches():
    spec = KpiFileSpec({"evil": "=HYPERLINK(1)"}, ("fcr_pct",), START, 1)
    text = template_csv(spec)
    assert "'=HYPERLINK(1)" in text
    filled = text.replace("2026-11-02,", "2026-11-02,77")
    assert [(f.vendor, f.value) for f in parse_kpi_file(filled.encode(), spec)] == [("evil", 77)]


# -- bad files: each refused with its row and column ------------------------------------------

BAD_FILES = {
    "wrong_unit_seconds": (
        csv("Puente Norte CX,1,75,86,360 s,30,6"),
        "row 2, column E (aht_minutes): wrong unit: AHT is in minutes, not s (360 s is 6.00 min)",
    ),
    "handle_time_in_seconds_without_a_unit": (
        csv("Puente Norte CX,1,75,86,390,30,6"),
        "row 2, column E (aht_minutes): 390 minutes is an hour or more: handle time is in "
        "minutes (390 s would be 6.5 min)",
    ),
    "percentage_over_100": (
        csv("Puente Norte CX,1,75,104,9,30,6"),
        "row 2, column D (csat_pct): 104 is a percentage: at most 100",
    ),
    "percentage_as_a_fraction": (
        csv("Puente Norte CX,1,0.76,86,9,30,6"),
        "row 2, column C (fcr_pct): 0.76 looks like a fraction; write percentages as 76 (or 76 %)",
    ),
    "date_outside_the_pilot": (
        csv("Puente Norte CX,2027-01-11,75,86,9,30,6"),
        "row 2, column B (week): 2027-01-11 is outside the pilot (2026-11-02 to 2027-01-10)",
    ),
    "week_number_outside_the_pilot": (
        csv("Puente Norte CX,11,75,86,9,30,6"),
        "row 2, column B (week): week '11' is not a week of the pilot (1 to 10)",
    ),
    "unknown_vendor": (
        csv("Altamira CX,1,75,86,9,30,6"),
        "row 2, column A (vendor): unknown vendor 'Altamira CX'; the shortlist is Puente "
        "Norte CX, Tanglaw Support Services",
    ),
    "duplicate_week": (
        csv("Puente Norte CX,1,75,86,9,30,6", "puente_norte,2026-11-05,76,86,9,30,6"),
        "row 3, column B (week): week 1 of Puente Norte CX appears twice (first in row 2)",
    ),
    "cost_in_another_currency": (
        csv("Puente Norte CX,1,75,86,9,30,€6.10"),
        "row 2, column G (cost_per_contact): '€6.10' is not a number",
    ),
    "cost_with_a_percent_sign": (
        csv("Puente Norte CX,1,75,86,9,30,6 %"),
        "row 2, column G (cost_per_contact): wrong unit: Cost per contact is in US dollars, not %",
    ),
    "negative_cost": (
        csv("Puente Norte CX,1,75,86,9,30,-3"),
        "row 2, column G (cost_per_contact): -3 must be 0 or more",
    ),
    "text_in_a_number_column": (
        csv("Puente Norte CX,1,n/a,86,9,30,6"),
        "row 2, column C (fcr_pct): 'n/a' is not a number",
    ),
    "unknown_column": (
        csv("Puente Norte CX,1,75,86,9,30,6", header=HEADER.replace("attrition_pct", "nps")),
        "row 1, column F: unknown column 'nps'; the columns are vendor, week, fcr_pct, "
        "csat_pct, aht_minutes, attrition_pct, cost_per_contact",
    ),
    "kpi_without_a_criterion": (
        csv("Puente Norte CX,1,75,6,88", header="vendor,week,fcr_pct,aht_minutes,qa_score_pct"),
        "row 1, column E: 'qa_score_pct': the pilot has no success criterion for QA score; "
        "remove the column or add the criterion",
    ),
    "missing_week_column": (
        csv("Puente Norte CX,75", header="vendor,fcr_pct"),
        "row 1: the header has no 'week' column",
    ),
    "nan_in_a_figure": (
        csv("Puente Norte CX,1,nan,86,9,30,6"),
        "row 2, column C (fcr_pct): 'nan' is not a number",
    ),
    "xlsx_percent_cell_in_a_minutes_column": (
        xlsx([["vendor", "week", "aht_minutes"], ["Puente Norte CX", 1, 0.1]], {"C2": "0%"}),
        "row 2, column C (aht_minutes): wrong unit: AHT is in minutes, not %",
    ),
    "xlsx_formula": (
        xlsx([["vendor", "week", "aht_minutes"], ["Puente Norte CX", 1, "=6+3"]]),
        "row 2, column C (aht_minutes): a formula ('=6+3'): paste the figures as values",
    ),
}


@pytest.mark.parametrize(("data", "error"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_with_the_row_and_column_named(data, error):
    with pytest.raises(KpiFileError) as refused:
        parse_kpi_file(data, SPEC)
    assert error in refused.value.errors


def test_every_problem_of_a_file_is_listed_at_once():
    data = csv("Puente Norte CX,1,104,86,9,30,6", "Nobody,2,75,86,9,30,6")
    with pytest.raises(KpiFileError) as refused:
        parse_kpi_file(data, SPEC)
    assert len(refused.value.errors) == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "The file is empty."),
        (b"vendor,week\x00,fcr_pct\n", "The file holds NUL bytes"),
        ("vendor,week,fcr_pct\nPuente,1,75\n".encode("utf-16"), "The file is not UTF-8 text"),
        (zip_bomb(), "would inflate"),
        (encrypted(xlsx([["vendor", "week"]])), "password-protected"),
        (b"x" * (5 * 1024 * 1024 + 1), "The file is too large"),
        ((HEADER + "\n" + "Puente Norte CX,1,75,,,,\n" * 2_100).encode(), "more than 2,000 rows"),
    ],
    ids=["empty", "nul", "utf16", "zip_bomb", "encrypted", "too_large", "too_many_rows"],
)
def test_a_hostile_file_is_refused_whole(data, error):
    with pytest.raises(KpiFileError) as refused:
        parse_kpi_file(data, SPEC)
    assert any(error in e for e in refused.value.errors), refused.value.errors


# -- through the page: all or nothing ---------------------------------------------------------


def _upload(client, evaluation_id: int, data: bytes, name: str = "kpis.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        pilot_url(evaluation_id, "/upload"),
        data={"kpi_file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _pilot_csv(start: date, *rows: tuple[str, int, str]) -> bytes:
    lines = ["vendor,week,fcr_pct,csat_pct"]
    for vendor, week, rest in rows:
        lines.append(f"{vendor},{(start + timedelta(days=7 * (week - 1))).isoformat()},{rest}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    "bad", ["Nobody,75,86", "Puente Norte CX,75,104"], ids=["vendor", "over_100"]
)
def test_a_refused_upload_writes_nothing_and_names_row_and_column(client, db, piloting, bad):
    evaluation_id = piloting["evaluation"]
    good = f"Puente Norte CX,{piloting['start'].isoformat()},75,86"
    week2 = (piloting["start"] + timedelta(days=7)).isoformat()
    second = bad.replace(",", f",{week2},", 1)
    data = f"vendor,week,fcr_pct,csat_pct\n{good}\n{second}\n".encode()
    response = _upload(client, evaluation_id, data)
    assert response.status_code == 422
    assert b"The file was not imported; nothing was written" in response.data
    assert b"row 3, column" in response.data
    assert figures(db, piloting["pilot"]) == {}
    assert events(db, evaluation_id, "pilot.figures_imported") == []


def test_an_upload_with_a_week_not_begun_is_refused_whole_naming_the_row(client, db, piloting):
    # The pilot began 28 days ago: week 5 began today, week 6 begins in 7 days. A figure
    # for week 6 would be a forecast, read by the verdict as measured.
    evaluation_id = piloting["evaluation"]
    data = _pilot_csv(
        piloting["start"],
        ("Puente Norte CX", 5, "74,85"),
        ("Puente Norte CX", 6, "75,86"),
    )
    response = _upload(client, evaluation_id, data)
    assert response.status_code == 422
    week6 = piloting["start"] + timedelta(days=35)
    assert f"row 3: week 6 begins on {week6:%d %b %Y}" in response.get_data(as_text=True)
    assert figures(db, piloting["pilot"]) == {}
    assert events(db, evaluation_id, "pilot.figures_imported") == []


def test_an_upload_replaces_the_figures_it_holds_and_leaves_the_others(client, db, piloting):
    evaluation_id = piloting["evaluation"]
    url = pilot_url(evaluation_id, f"/vendors/{piloting[CHAMPION]}/weeks")
    client.post(url, data={"w1_fcr_pct": "70", "w1_csat_pct": "80", "w2_fcr_pct": "71"})
    data = _pilot_csv(
        piloting["start"],
        ("Puente Norte CX", 1, "74,"),
        ("Tanglaw Support Services", 2, "73,85"),
    )
    response = _upload(client, evaluation_id, data)
    assert response.status_code == 302
    assert figures(db, piloting["pilot"]) == {
        (CHAMPION, 1, "fcr_pct"): 74,  # replaced
        (CHAMPION, 1, "csat_pct"): 80,  # an empty cell changes nothing
        (CHAMPION, 2, "fcr_pct"): 71,  # not in the file: kept
        ("tanglaw", 2, "fcr_pct"): 73,
        ("tanglaw", 2, "csat_pct"): 85,
    }
    [imported] = events(db, evaluation_id, "pilot.figures_imported")
    assert imported.target == "kpis.csv"
    assert imported.new == {
        "figures": 3,
        "changed": 3,
        "vendors": ["Puente Norte CX", "Tanglaw Support Services"],
        "weeks": [1, 2],
    }


def test_the_template_is_the_lead_s_to_download(client, auth, db, piloting):
    response = client.get(pilot_url(piloting["evaluation"], "/template.csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.decode().startswith("vendor,week,fcr_pct,csat_pct,aht_minutes")
