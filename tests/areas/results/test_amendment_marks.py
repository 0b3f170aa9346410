"""Amendments after unsealing are shown wherever the result is: a mark on the vendor in
the ranking, the results page and the vendor's results page, the JSON API and
`rfp score --json`, each amendment with its fields and in the same words."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from rfp.cli import main
from rfp.scenario.store import dump_evaluation

REASON = "PCI-DSS AOC dated 2026-09-30 received after the deadline"
PRICE = (
    "Price amended by the lead after unsealing: $2.35 → $1.95 per contact, reason: "
    "Rate card error confirmed in writing"
)
KNOCKOUT = (
    "Knockout “PCI-DSS attestation for card-handling agents” amended by the lead after "
    f"unsealing: fail → pass, reason: {REASON}"
)
FIELDS = {"field", "question", "old", "new", "reason", "source", "by", "at", "stage"}


def _amend_valle_claro(client: Any, auth: Any, demo: dict[str, Any]) -> None:
    auth.login("morgan")
    url = f"/evaluations/{demo['evaluation']}/vendors/{demo['valle_claro']}/amend"
    for query, new, reason in (
        ("field=rate", "1.95", "Rate card error confirmed in writing"),
        ("field=knockout&question=pci", "pass", REASON),
    ):
        done = client.post(f"{url}?{query}", data={"new": new, "reason": reason, "confirm": "y"})
        assert done.status_code == 302


def test_the_results_page_marks_the_vendor_and_lists_the_amendments(client, auth, demo):
    _amend_valle_claro(client, auth, demo)
    page = client.get(f"/evaluations/{demo['evaluation']}/results").get_data(as_text=True)
    ranking = page[page.index('id="ranking-heading"') :]
    row = ranking[
        ranking.index("Valle Claro Soluciones") : ranking.index(
            "</tr>", ranking.index("Valle Claro Soluciones")
        )
    ]
    assert "amended after unsealing" in row
    assert "disqualified" not in row  # it qualifies as amended
    assert PRICE in page and KNOCKOUT in page
    # The recommendation says it, and never as if nothing happened.
    head = page[: page.index('id="ranking-heading"')]
    assert (
        "Valle Claro Soluciones qualifies only because a knockout it failed as submitted was "
        "amended to pass after unsealing."
    ) in head


def test_a_clarification_before_unsealing_is_listed_but_not_marked(client, auth, demo):
    """The demo's one amendment: Tanglaw clarified its sites answer after the deadline,
    before unsealing. Listed, in the vendor's words; no mark, no exception."""
    auth.login("morgan")
    page = client.get(f"/evaluations/{demo['evaluation']}/results").get_data(as_text=True)
    assert "amended after unsealing" not in page and "-exception" not in page
    section = page[page.index('id="amendments"') : page.index('id="ranking-heading"')]
    assert "Tanglaw Support Services</a></strong>:" in section
    assert "Answer to “Sites and seat capacity” clarified by the vendor after the deadline" in (
        section
    )


def test_the_vendor_results_page_shows_the_amended_values_beside_the_submitted(client, auth, demo):
    _amend_valle_claro(client, auth, demo)
    page = client.get(
        f"/evaluations/{demo['evaluation']}/results/vendors/{demo['valle_claro']}"
    ).get_data(as_text=True)
    assert "amended after unsealing" in page
    assert PRICE in page and KNOCKOUT in page
    assert "as submitted: <del>fail</del>" in page
    assert "$1.95 per contact" in page  # the quote the cost is computed from


def test_the_json_lists_each_vendor_s_amendments_with_their_fields(client, auth, demo):
    _amend_valle_claro(client, auth, demo)
    for who in ("morgan", "elena"):  # the lead, and leadership (a viewer)
        client.post("/logout")
        auth.login(who)
        doc = client.get(f"/api/evaluations/{demo['evaluation']}/results").get_json()
        vendors = {v["key"]: v for v in doc["vendors"]}
        price, knockout = vendors["valle_claro"]["amendments"]
        assert FIELDS | {"after_unsealing"} == set(price)
        assert (price["field"], price["old"], price["new"], price["source"]) == (
            "rate",
            2.35,
            1.95,
            "lead",
        )
        assert (price["stage"], price["after_unsealing"], price["by"]) == (
            "consensus",
            True,
            "Morgan Avery",
        )
        assert (knockout["question"], knockout["old"], knockout["new"]) == ("pci", False, True)
        assert knockout["reason"] == REASON
        assert vendors["valle_claro"]["disqualified"] is False
        assert vendors["puente_norte"]["amendments"] == []


def test_rfp_score_prints_the_amendments_and_marks_the_vendor(tmp_path, client, auth, db, demo):
    _amend_valle_claro(client, auth, demo)
    runner = CliRunner()
    path = tmp_path / "amended.json"
    with db.transaction() as s:
        path.write_text(json.dumps(dump_evaluation(s, demo["evaluation"])))
    out = runner.invoke(main, ["score", str(path), "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    valle = next(v for v in doc["vendors"] if v["key"] == "valle_claro")
    api = client.get(f"/api/evaluations/{demo['evaluation']}/results").get_json()
    assert valle["amendments"] == next(
        v["amendments"] for v in api["vendors"] if v["key"] == "valle_claro"
    )
    text = runner.invoke(main, ["score", str(path)]).output
    assert "AMENDED after unsealing" in text
    assert f"Valle Claro Soluciones: {PRICE}" in text
