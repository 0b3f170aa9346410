"""The results area: ranking, chart, cost, flags, a vendor's page and the JSON view.

Most figures are checked on a small evaluation worked out by hand (`worked_scenario`);
the demo is used for "the same numbers everywhere" and for who may see what.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # noqa: S405  (parses our own SVG output)
from html.parser import HTMLParser
from typing import Any

import pytest
from click.testing import CliRunner
from markupsafe import escape
from sqlalchemy import event, select

from rfp import models as m
from rfp.areas.results.chart import SCALE
from rfp.cli import main as rfp_cli
from rfp.core.db import utcnow
from rfp.core.templating import money, score_text
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario
from rfp.scenario.synthetic import generate_scenario
from tests.fixtures.evaluations import make_user, set_stage

# -- helpers -----------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Rows of the tables with a given class: (tr attributes, [cell texts])."""

    def __init__(self, table_class: str) -> None:
        super().__init__()
        self.table_class = table_class
        self.depth = 0  # >0 inside a matching table
        self.rows: list[tuple[dict[str, str], list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "table":
            if self.depth or self.table_class in attributes.get("class", "").split():
                self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append((attributes, []))
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1][1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_class: str) -> list[tuple[dict[str, str], list[str]]]:
    parser = _Tables(table_class)
    parser.feed(html)
    return parser.rows


def svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S)
    assert match, "no chart on the page"
    return ET.fromstring(match.group(0))  # noqa: S314  (our own output)


SVG = "{http://www.w3.org/2000/svg}"


def engine_result(db: Any, evaluation_id: int) -> Any:
    with db.session() as s:
        return score_evaluation(load_scoring_input(s, s.get(m.Evaluation, evaluation_id)))


def cli_score_json(evaluation_id: int, database_url: str, tmp_path: Any, monkeypatch: Any) -> Any:
    """What `rfp score --json` prints for the evaluation, dumped by `rfp dump`: an
    independent route (file, CLI) to the JSON the API must answer."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    runner = CliRunner()
    dumped = tmp_path / "dump.json"
    out = runner.invoke(rfp_cli, ["dump", str(evaluation_id), "-o", str(dumped)])
    assert out.exit_code == 0, out.output
    out = runner.invoke(rfp_cli, ["score", str(dumped), "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def import_as_lead(db: Any, doc: dict[str, Any], lead: str = "lucia") -> dict[str, int]:
    """Import a scenario with `lead` as its lead; returns the ids by vendor key."""
    make_user(db, lead)
    with db.transaction() as s:
        user = s.scalar(select(m.User).where(m.User.username == lead))
        evaluation = import_scenario(s, normalise_scenario(doc), lead=user)
        ids = {"evaluation": evaluation.id}
        ids.update({v.key: v.id for v in evaluation.vendors})
    return ids


def results_url(evaluation_id: int) -> str:
    return f"/evaluations/{evaluation_id}/results"


def vendor_url(evaluation_id: int, vendor_id: int) -> str:
    return f"/evaluations/{evaluation_id}/results/vendors/{vendor_id}"


def api_url(evaluation_id: int) -> str:
    return f"/api/evaluations/{evaluation_id}/results"


@pytest.fixture
def worked_scenario(make_scenario: Any) -> dict[str, Any]:
    """Three vendors, two evaluators, worked by hand.

    Scope: 20,000 contacts x 6 min / 60 / 0.8 occupancy = 2,500 agent-hours a month,
    24 months, no overhead, in-house $38/h -> in-house TCO 24 x 2,500 x 38 = $2,280,000.
    Weights: fit 40, compliance 30, cost 20, references 10 (sum 100).

    alpha (nearshore, $16/h): charge 40,000, TCO 960,000, per contact 960,000 /
      (24 x 20,000) = $2.00, savings 1,320,000. Ana and Raj: timezone 5, 5 (100),
      language 4, 4 (80), audits 3, 3 (60). Fit (100x2 + 80)/3 = 93.33. One call rated 4
      (80). Cost 100 x 600,000 / 960,000 = 62.5. Total 0.4 x 93.33 + 0.3 x 60 +
      0.2 x 62.5 + 0.1 x 80 = 37.33 + 18 + 12.5 + 8 = 75.83 -> "75.8".
    beta (offshore, $10/h): charge 25,000, TCO 600,000, per contact $1.25, savings
      1,680,000; abnormally low (600,000 < 0.75 x 960,000). Timezone ana 3, raj 1
      (40, 20: mean 40, range 2 -> flagged), language ana 2 only (40; raj missing ->
      provisional), audits 4, 4 (80). Fit (40x2 + 40)/3 = 40. Cost 100. One call rated 3
      (60), "would not sign again". Total 16 + 24 + 20 + 6 = 66.0.
    gamma (nearshore, $14/h): fails the SOC 2 knockout: disqualified. All scores 4 (80),
      TCO 840,000, cost 100 x 600,000 / 840,000 = 71.43, call rated 5 (100). Total
      32 + 24 + 14.29 + 10 = 80.29 -> "80.3": higher than alpha, still listed after beta.
    """
    doc = make_scenario(stage="consensus")
    doc["vendors"].append(
        {
            "key": "gamma",
            "name": "Gamma Contact",
            "model": "nearshore",
            "pricing": {"model": "per_hour", "rate": 14},
            "knockouts": {"soc2": False},
        }
    )
    scores = {
        ("ana", "alpha"): {"timezone": 5, "language": 4, "audits": 3},
        ("raj", "alpha"): {"timezone": 5, "language": 4, "audits": 3},
        ("ana", "beta"): {"timezone": 3, "language": 2, "audits": 4},
        ("raj", "beta"): {"timezone": 1, "audits": 4},
        ("ana", "gamma"): {"timezone": 4, "language": 4, "audits": 4},
        ("raj", "gamma"): {"timezone": 4, "language": 4, "audits": 4},
    }
    doc["scores"] = [
        {"evaluator": e, "vendor": v, "question": q, "score": value, "comment": ""}
        for (e, v), by_question in scores.items()
        for q, value in by_question.items()
    ]
    doc["references"] = [
        {
            "vendor": "alpha",
            "caller": "ana",
            "company": "Acme",
            "rating": 4,
            "would_sign_again": "yes",
        },
        {
            "vendor": "beta",
            "caller": "raj",
            "company": "Bolt",
            "rating": 3,
            "would_sign_again": "no",
        },
        {
            "vendor": "gamma",
            "caller": "ana",
            "company": "Core",
            "rating": 5,
            "would_sign_again": "yes",
        },
    ]
    return doc


@pytest.fixture
def worked(db: Any, auth: Any, worked_scenario: dict[str, Any]) -> dict[str, int]:
    ids = import_as_lead(db, worked_scenario)
    auth.login("lucia")
    return ids


# -- the results page --------------------------------------------------------------------


def test_ranking_follows_the_engine_with_totals_as_score_text_formats_them(client, db, worked):
    html = client.get(results_url(worked["evaluation"])).get_data(as_text=True)
    result = engine_result(db, worked["evaluation"])
    rows = [r for r in table_rows(html, "ranking") if "data-vendor" in r[0]]

    assert [attrs["data-vendor"] for attrs, _ in rows] == [v.key for v in result.vendors]
    assert [attrs["data-vendor"] for attrs, _ in rows] == ["alpha", "beta", "gamma"]
    for (_attrs, cells), vendor in zip(rows, result.vendors, strict=True):
        assert cells[2] == score_text(vendor.total)
        assert cells[3:] == [score_text(vendor.criteria[k]) for k in result.weights]
    # By hand (see worked_scenario): 75.8, 66.0, 80.3; fit of alpha 93.3, cost 62.5.
    assert [cells[2] for _a, cells in rows] == ["75.8", "66.0", "80.3"]
    assert rows[0][1][3] == "93.3" and rows[0][1][5] == "62.5"
    assert [cells[0] for _a, cells in rows] == ["1", "2", "–"]
    # Criterion weights shown as percentages in the header.
    header = table_rows(html, "ranking")[0][1]
    assert header[3:] == ["Cultural fit40 %", "Compliance30 %", "Cost20 %", "References10 %"]


def test_provisional_vendor_is_marked_and_the_missing_scores_named(client, worked):
    html = client.get(results_url(worked["evaluation"])).get_data(as_text=True)
    rows = {a["data-vendor"]: (a, c) for a, c in table_rows(html, "ranking") if "data-vendor" in a}

    assert "provisional" in rows["beta"][0]["class"]
    assert "provisional" in rows["beta"][1][1]
    assert "provisional" not in rows["alpha"][0]["class"]
    # Raj never scored beta's language fluency: named by evaluator and question text.
    section = html[html.index('id="provisional"') :]
    assert "Beta Support" in section
    assert re.search(r"<strong>Raj Patel</strong>: 1.2 Language fluency", section)
    assert "1 score missing" in section
    # A qualified vendor is incomplete, so nothing is recommended; alpha leads by
    # 75.83 - 66.0 = 9.83 -> "9.8".
    assert "No recommendation: results are provisional." in html
    assert "9.8 points ahead of Beta Support" in html


def test_other_incomplete_reasons_are_given_in_words(client, db, auth, worked_scenario):
    worked_scenario["vendors"][0]["pricing"] = None
    worked_scenario["references"] = worked_scenario["references"][1:]
    del worked_scenario["vendors"][1]["knockouts"]["soc2"]
    ids = import_as_lead(db, worked_scenario)
    auth.login("lucia")
    html = client.get(results_url(ids["evaluation"])).get_data(as_text=True)

    section = html[html.index('id="provisional"') :]
    assert "No price quoted: cost scores 0" in section
    assert "No reference call recorded: references score 0" in section
    assert "Knockout not answered: 2.1 SOC 2 Type II" in section


def test_disqualified_vendor_is_listed_after_the_qualified_with_its_failed_knockout(client, worked):
    html = client.get(results_url(worked["evaluation"])).get_data(as_text=True)
    rows = table_rows(html, "ranking")
    vendors = [a.get("data-vendor") for a, _c in rows if "data-vendor" in a]
    separator = next(i for i, (a, _c) in enumerate(rows) if a.get("class") == "group-row")

    # gamma's 80.3 beats alpha's 75.8, yet it comes last, with no rank.
    assert vendors[-1] == "gamma"
    assert rows[separator + 1][0]["data-vendor"] == "gamma"
    assert "disqualified" in rows[-1][1][1]
    assert "Failed: 2.1 SOC 2 Type II" in rows[-1][1][1]


def test_chart_segments_sum_to_each_total(client, db, worked):
    html = client.get(results_url(worked["evaluation"])).get_data(as_text=True)
    result = engine_result(db, worked["evaluation"])
    svg = svg_of(html)
    bars = svg.findall(f"{SVG}g[@data-vendor]")

    assert [b.get("data-vendor") for b in bars] == [v.key for v in result.vendors]
    for bar in bars:
        vendor = result.vendor(bar.get("data-vendor"))
        rects = bar.findall(f"{SVG}rect")
        points = sum(float(r.get("data-points")) for r in rects)
        assert points == pytest.approx(vendor.total, abs=1e-9)
        # Lengths drawn: SCALE px per point, coordinates to 3 decimals.
        assert sum(float(r.get("width")) for r in rects) / SCALE == pytest.approx(
            vendor.total, abs=0.01
        )
        # Segments are contiguous, left to right.
        lefts = [float(r.get("x")) for r in rects]
        rights = [float(r.get("x")) + float(r.get("width")) for r in rects]
        assert all(abs(a - b) < 0.01 for a, b in zip(rights, lefts[1:], strict=False))
    # alpha by hand: 37.33 + 18 + 12.5 + 8 = 75.83, in the criteria's order.
    alpha = bars[0].findall(f"{SVG}rect")
    assert [round(float(r.get("data-points")), 2) for r in alpha] == [37.33, 18.0, 12.5, 8.0]
    # Accessible: a title and a description, text labels with each total, a legend.
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.startswith("Total score by vendor")
    assert svg.find(f"{SVG}desc").text
    totals = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-total"]
    assert totals == ["75.8", "66.0 provisional", "80.3 · disqualified"]
    legend = [t.text for t in svg.find(f"{SVG}g[@class='chart-legend']").iter(f"{SVG}text")]
    assert legend == [
        "Cultural fit (40 %)",
        "Compliance (30 %)",
        "Cost (20 %)",
        "References (10 %)",
    ]


def test_cost_table_shows_the_engines_cost_figures(client, db, worked):
    html = client.get(results_url(worked["evaluation"])).get_data(as_text=True)
    result = engine_result(db, worked["evaluation"])
    rows = [cells for a, cells in table_rows(html, "cost-table") if len(cells) == 8]

    assert len(rows) == 4  # header and three vendors
    for cells, vendor in zip(rows[1:], result.vendors, strict=True):
        cost = vendor.cost
        assert cells[0].startswith(vendor.name)
        assert cells[2].startswith(money(cost.effective_rate, 2))
        assert cells[3] == money(cost.monthly_charge)
        assert cells[4] == money(cost.tco)
        assert cells[5] == money(cost.cost_per_contact, 2)
        assert cells[6] == money(cost.savings)
        assert cells[7] == score_text(cost.score)
    # By hand (see worked_scenario).
    alpha, beta, gamma = rows[1:]
    assert alpha[2:] == [
        "$16.00 nearshore $12–$20",
        "$40,000",
        "$960,000",
        "$2.00",
        "$1,320,000",
        "62.5",
    ]
    assert beta[2:] == [
        "$10.00 offshore $7–$15",
        "$25,000",
        "$600,000",
        "$1.25",
        "$1,680,000",
        "100.0",
    ]
    assert gamma[4] == "$840,000" and gamma[7] == "71.4"
    assert alpha[1] == "$16.00 per agent-hour"
    assert "In-house at $38.00 per agent-hour costs <strong>$2,280,000</strong>" in html
    assert "benchmark $4–$22" in html
    # Both below $4 per contact; beta more than 25 % below alpha's TCO.
    assert html.count("Cost per contact $1.25 is below the $4-22 benchmark") == 1
    assert "TCO $600,000 is more than 25 % below the median" in html


def test_dispersion_and_reference_flags_are_listed(client, worked):
    html = client.get(results_url(worked["evaluation"])).get_data(as_text=True)
    dispersion = table_rows(html, "dispersion")
    references = {c[0]: c for _a, c in table_rows(html, "references-table")[1:]}

    # beta's time zone: Ana 3, Raj 1, a range of 2 = the threshold: flagged, open.
    assert dispersion[1][1] == [
        "Beta Support",
        "1.1 Time zone overlap Cultural fit",
        "2",
        "Ana Ruiz 3 Raj Patel 1",
        "open",
    ]
    assert len(dispersion) == 2
    assert "Only 1 reference call;" in references["Alpha CX"][4]
    assert "1 reference would not sign this contract again" in references["Beta Support"][4]
    assert references["Beta Support"][2] == "0 yes · 1 no · 0 unsure"


def test_recommendation_names_the_leader_and_its_margin(client, db, auth, worked_scenario):
    worked_scenario["scores"].append(
        {"evaluator": "raj", "vendor": "beta", "question": "language", "score": 2, "comment": ""}
    )
    ids = import_as_lead(db, worked_scenario)
    auth.login("lucia")
    html = client.get(results_url(ids["evaluation"])).get_data(as_text=True)

    # Complete now; beta unchanged at 66.0 (language 40 either way): 75.83 - 66.0 = 9.8.
    assert "Alpha CX ranks first with 75.8, 9.8 points ahead of Beta Support (66.0)." in html


def test_tied_leaders_give_no_recommendation(client, db, auth, worked_scenario):
    worked_scenario["vendors"] = worked_scenario["vendors"][:1] + [
        dict(worked_scenario["vendors"][0], key="twin", name="Twin CX")
    ]
    worked_scenario["scores"] = [s for s in worked_scenario["scores"] if s["vendor"] == "alpha"] + [
        dict(s, vendor="twin") for s in worked_scenario["scores"] if s["vendor"] == "alpha"
    ]
    worked_scenario["references"] = [
        worked_scenario["references"][0],
        dict(worked_scenario["references"][0], vendor="twin"),
    ]
    ids = import_as_lead(db, worked_scenario)
    auth.login("lucia")
    html = client.get(results_url(ids["evaluation"])).get_data(as_text=True)

    assert "No recommendation: results are tied." in html
    assert "Alpha CX and Twin CX share first place" in html


# -- the same numbers everywhere ---------------------------------------------------------


def test_page_cli_and_engine_agree_to_the_last_decimal_shown(
    client, db, auth, demo, database_url, tmp_path, monkeypatch
):
    evaluation_id = demo["evaluation"]
    cli = cli_score_json(evaluation_id, database_url, tmp_path, monkeypatch)
    engine = engine_result(db, evaluation_id)

    auth.login("morgan")
    html = client.get(results_url(evaluation_id)).get_data(as_text=True)
    rows = [(a["data-vendor"], c) for a, c in table_rows(html, "ranking") if "data-vendor" in a]
    cost_rows = [c for _a, c in table_rows(html, "cost-table") if len(c) == 8][1:]

    assert [key for key, _ in rows] == [v["key"] for v in cli["vendors"]]
    assert [key for key, _ in rows] == [v.key for v in engine.vendors]
    for (_key, cells), shown_cost, from_cli, from_engine in zip(
        rows, cost_rows, cli["vendors"], engine.vendors, strict=True
    ):
        assert cells[2] == score_text(from_cli["total"]) == score_text(from_engine.total)
        for column, criterion in zip(cells[3:], from_engine.criteria, strict=True):
            assert column == score_text(from_cli["criteria"][criterion])
            assert column == score_text(from_engine.criteria[criterion])
        assert shown_cost[4] == money(from_cli["cost"]["tco"]) == money(from_engine.cost.tco)
        assert shown_cost[5] == money(from_cli["cost"]["cost_per_contact"], 2)
        assert shown_cost[6] == money(from_cli["cost"]["savings"])
        assert from_cli["rank"] == from_engine.rank
    # The demo's leader, as the seeds' scenario intends: Puente Norte CX at 80.7.
    assert rows[0][0] == "puente_norte" and rows[0][1][2] == "80.7"


def test_api_answers_the_fields_of_rfp_score_json(
    client, db, demo, auth, database_url, tmp_path, monkeypatch
):
    auth.login("morgan")
    response = client.get(api_url(demo["evaluation"]))

    assert response.status_code == 200
    assert response.is_json
    data = response.get_json()
    assert data == cli_score_json(demo["evaluation"], database_url, tmp_path, monkeypatch)
    # The demo carries its pilot (the pilot's scorecard and verdicts).
    assert set(data) == {"vendors", "weights", "complete", "dispersion", "pilot", "sensitivity"}
    # The engine's own result, field for field, beside the sensitivity report.
    expected = engine_result(db, demo["evaluation"]).to_json()
    assert {k: v for k, v in data.items() if k != "sensitivity"} == json.loads(json.dumps(expected))
    # The demo's verdict as the results page states it: Puente Norte CX leads.
    assert data["sensitivity"]["leader"] == "puente_norte"


# -- escaping ----------------------------------------------------------------------------


def test_markup_from_users_is_shown_as_text(client, db, auth, worked_scenario):
    name = "<script>alert(1)</script>"
    worked_scenario["vendors"][0]["name"] = name
    worked_scenario["vendors"][0]["answers"] = {"timezone": "<i>all day</i>"}
    worked_scenario["criteria"][0]["name"] = "Fit <em>&</em> culture"
    for s in worked_scenario["scores"]:
        s["comment"] = "<b>bold</b>"
    worked_scenario["references"][0]["notes"] = "<img src=x onerror=alert(2)>"
    worked_scenario["consensus"] = [
        {"vendor": "beta", "question": "timezone", "score": 2, "rationale": "<b>agreed</b>"}
    ]
    ids = import_as_lead(db, worked_scenario)
    auth.login("lucia")

    index = client.get(results_url(ids["evaluation"])).get_data(as_text=True)
    alpha = client.get(vendor_url(ids["evaluation"], ids["alpha"])).get_data(as_text=True)
    beta = client.get(vendor_url(ids["evaluation"], ids["beta"])).get_data(as_text=True)

    for page in (index, alpha, beta):
        assert "<script>alert" not in page
        assert "<b>" not in page and "<em>&" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in alpha
    assert "&lt;b&gt;bold&lt;/b&gt;" in alpha
    assert "&lt;i&gt;all day&lt;/i&gt;" in alpha
    assert "&lt;img src=x onerror=alert(2)&gt;" in alpha
    assert "&lt;b&gt;agreed&lt;/b&gt;" in beta
    # In the SVG: the label and tooltips hold the name as text, the XML parses.
    svg = svg_of(index)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels[0] == "1. " + name
    assert any(t.text and t.text.startswith(name) for t in svg.iter(f"{SVG}title"))
    assert "Fit &lt;em&gt;&amp;&lt;/em&gt; culture" in index


# -- a vendor's page ---------------------------------------------------------------------


def test_vendor_page_breaks_the_total_down_by_question_and_evaluator(client, worked):
    html = client.get(vendor_url(worked["evaluation"], worked["beta"])).get_data(as_text=True)
    summary = table_rows(html, "breakdown-summary")
    questions = [c for _a, c in table_rows(html, "breakdown") if len(c) == 6][1:]

    # beta: fit 40 x 40 % = 16.0 points, compliance 80 x 30 % = 24.0, cost 100 x 20 %
    # = 20.0, references 60 x 10 % = 6.0; total 66.0.
    assert [c[1:] for _a, c in summary[1:5]] == [
        ["40.0 %", "40.0", "16.0"],
        ["30.0 %", "80.0", "24.0"],
        ["20.0 %", "100.0", "20.0"],
        ["10.0 %", "60.0", "6.0"],
    ]
    # Time zone: weight 2 of 3 -> 66.7 % of fit; 40 x 2/3 x 40 % = 10.7 points.
    timezone = questions[0]
    assert timezone[0].startswith("1.1 Time zone overlap")
    assert timezone[1:4] == ["66.7 %", "40.0", "10.7"]
    assert "Ana Ruiz 3 Raj Patel 1" in timezone[4]
    assert "Scores range over 2 points" in timezone[4]
    # Language: only Ana (2 -> 40); Raj is awaited.
    assert "Awaiting: Raj Patel" in questions[1][4]
    assert "<strong>1</strong> Poor" in html  # the scale's anchors
    # Knockout answer, cost figures and the reference call with all its fields.
    assert "pass" in table_rows(html, "knockouts")[1][1][1]
    assert "$600,000" in html and "$1.25" in html
    call = table_rows(html, "reference-calls")[1][1]
    assert call[0].startswith("Bolt") and call[1] == "Raj Patel" and call[2] == "3 / 5"
    assert call[3] == "no"


def test_vendor_page_marks_scores_the_engine_does_not_count(client, db, worked):
    with db.transaction() as s:
        raj = s.scalar(
            select(m.Membership).where(
                m.Membership.evaluation_id == worked["evaluation"], m.Membership.key == "raj"
            )
        )
        s.add(m.ConflictDeclaration(membership_id=raj.id, vendor_id=worked["alpha"]))
    html = client.get(vendor_url(worked["evaluation"], worked["alpha"])).get_data(as_text=True)

    assert "declared a conflict of interest: not counted" in html


def test_disqualified_vendor_page_names_the_failed_knockout(client, worked):
    html = client.get(vendor_url(worked["evaluation"], worked["gamma"])).get_data(as_text=True)

    assert "Disqualified." in html
    assert "Failed knockout: 2.1 SOC 2 Type II" in html
    assert table_rows(html, "knockouts")[1][1][1] == "fail"


def test_vendor_of_another_evaluation_is_not_found(client, db, worked, worked_scenario):
    other = import_as_lead(db, worked_scenario, lead="lucia")
    response = client.get(vendor_url(worked["evaluation"], other["alpha"]))

    assert response.status_code == 404


# -- who may see what --------------------------------------------------------------------


ROUTES = ("index", "vendor", "api")


def _urls(demo: dict[str, int]) -> dict[str, str]:
    ev = demo["evaluation"]
    return {
        "index": results_url(ev),
        "vendor": vendor_url(ev, demo["tanglaw"]),
        "api": api_url(ev),
    }


# (who, stage) -> expected status on every route; None = anonymous.
ACCESS_TABLE = [
    (None, "consensus", 401),
    ("outsider", "consensus", 404),
    ("dana", "scoring", 403),
    ("dana", "consensus", 200),
    ("dana", "decided", 200),
    ("elena", "open", 409),  # prices, hence results, are sealed until scoring
    ("elena", "scoring", 200),
    ("elena", "consensus", 200),
    ("morgan", "scoring", 200),
    ("morgan", "draft", 200),
    ("admin", "consensus", 200),
]


@pytest.mark.parametrize(("who", "stage", "expected"), ACCESS_TABLE)
def test_who_may_open_the_results(client, db, auth, demo, who, stage, expected):
    set_stage(db, demo["evaluation"], stage)
    if who == "outsider":
        make_user(db, who)
    if who:
        auth.login(who)
    for route, url in _urls(demo).items():
        response = client.get(url)
        if route == "api":
            assert response.status_code == expected, (route, response.status_code)
            assert response.is_json
            if expected != 200:
                assert response.get_json()["status"] == expected
                assert "vendors" not in response.get_json()
        elif expected == 401:
            assert response.status_code == 302
            assert "/login" in response.headers["Location"]
        else:
            assert response.status_code == expected, (route, response.status_code)
        if expected != 200:
            assert b"Tanglaw" not in response.data


def test_evaluator_with_a_conflict_may_not_open_that_vendors_file(client, db, auth, demo):
    with db.transaction() as s:
        dana = s.scalar(
            select(m.Membership).where(
                m.Membership.evaluation_id == demo["evaluation"], m.Membership.key == "dana"
            )
        )
        s.add(m.ConflictDeclaration(membership_id=dana.id, vendor_id=demo["tanglaw"]))
    auth.login("dana")
    ev = demo["evaluation"]

    assert client.get(vendor_url(ev, demo["tanglaw"])).status_code == 403
    assert client.get(vendor_url(ev, demo["cottonwood"])).status_code == 200
    index = client.get(results_url(ev)).get_data(as_text=True)
    assert vendor_url(ev, demo["tanglaw"]) not in index
    assert vendor_url(ev, demo["cottonwood"]) in index


def test_viewer_reads_who_gave_what_only_from_consensus_on(client, db, auth, demo, demo_doc):
    ev = demo["evaluation"]
    comment = next(
        s["comment"]
        for s in demo_doc["scores"]
        if s["vendor"] == "tanglaw" and s["evaluator"] == "dana" and s["comment"]
    )
    set_stage(db, ev, "scoring")
    auth.login("elena")
    index = client.get(results_url(ev)).get_data(as_text=True)
    page = client.get(vendor_url(ev, demo["tanglaw"])).get_data(as_text=True)
    data = client.get(api_url(ev)).get_json()

    assert "hidden until consensus" in index and "hidden until consensus" in page
    assert 'class="panel-entry' not in page
    assert str(escape(comment)) not in page
    assert all("scores" not in d for d in data["dispersion"])
    assert data["dispersion"] and all("range" in d for d in data["dispersion"])
    assert all(
        "scores" not in f for v in data["vendors"] for f in v["flags"] if f["type"] == "dispersion"
    )

    set_stage(db, ev, "consensus")
    page = client.get(vendor_url(ev, demo["tanglaw"])).get_data(as_text=True)
    assert str(escape(comment)) in page
    data = client.get(api_url(ev)).get_json()
    data.pop("sensitivity")
    assert data == json.loads(json.dumps(engine_result(db, ev).to_json()))


def test_lead_reads_who_gave_what_at_any_stage(client, db, auth, demo):
    ev = demo["evaluation"]
    set_stage(db, ev, "scoring")
    auth.login("morgan")
    page = client.get(vendor_url(ev, demo["tanglaw"])).get_data(as_text=True)

    assert 'class="panel-entry' in page and "hidden until consensus" not in page


# -- query counts ------------------------------------------------------------------------


def _count_queries(app: Any, client: Any, url: str) -> int:
    engine = app.extensions["rfp.core.db"].engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def test_query_count_does_not_grow_with_vendors_questions_or_evaluators(app, client, db, auth):
    counts = {}
    for size in ((3, 8, 2), (12, 40, 5)):
        vendors, questions, evaluators = size
        doc = generate_scenario(
            vendors=vendors, questions=questions, evaluators=evaluators, limited_every=2
        )
        ids = import_as_lead(db, doc)
        with db.session() as s:
            first = s.scalar(select(m.Vendor.id).where(m.Vendor.evaluation_id == ids["evaluation"]))
        auth.login("lucia")
        counts[size] = {
            route: _count_queries(app, client, url)
            for route, url in (
                ("index", results_url(ids["evaluation"])),
                ("vendor", vendor_url(ids["evaluation"], first)),
                ("api", api_url(ids["evaluation"])),
            )
        }

    small, large = counts.values()
    assert small == large
    assert all(n <= 30 for n in large.values()), large


def test_an_evaluation_without_vendors_or_criteria_still_has_a_results_page(client, db, auth):
    make_user(db, "lucia")
    with db.transaction() as s:
        lucia = s.scalar(select(m.User).where(m.User.username == "lucia"))
        evaluation = m.Evaluation(title="Empty", scope={})
        s.add(evaluation)
        s.flush()
        s.add(m.Membership(evaluation=evaluation, user=lucia, role="lead", key="lucia"))
        evaluation_id = evaluation.id
    auth.login("lucia")

    response = client.get(results_url(evaluation_id))
    assert response.status_code == 200
    assert b"No recommendation: no vendor qualifies." in response.data
    assert client.get(api_url(evaluation_id)).get_json()["vendors"] == []


def test_an_evaluator_under_two_envelopes_sees_results_once_submitted(client, db, auth, demo):
    ev = demo["evaluation"]
    with db.transaction() as s:
        s.get(m.Evaluation, ev).two_envelope = True
        dana = s.scalar(
            select(m.Membership).where(m.Membership.evaluation_id == ev, m.Membership.key == "dana")
        )
        dana.submitted_at = None
    auth.login("dana")
    # Unsubmitted, she may not read the results at all (403), prices or not.
    assert client.get(results_url(ev)).status_code == 403
    assert client.get(api_url(ev)).status_code == 403

    with db.transaction() as s:
        s.get(m.Membership, dana.id).submitted_at = utcnow()
    assert client.get(results_url(ev)).status_code == 200
