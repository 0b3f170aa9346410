"""Decision support on evaluations with little in them: the pages still answer, with
words instead of figures where there is nothing to compute."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.decision_web import comparison, import_small, section, text_of


def _doc(criteria: int, vendors: list[tuple[str, bool]]) -> dict[str, Any]:
    """`criteria` scored criteria with one question each (consensus 50 for everyone);
    vendors (key, disqualified)."""
    keys = [f"c{i}" for i in range(criteria)]
    return {
        "format": 1,
        "evaluation": {"title": "Sparse", "scale": {"min": 0, "max": 100}},
        "criteria": [
            {
                "key": k,
                "name": f"Criterion {k}",
                "weight": 10,
                "questions": [{"key": f"{k}q", "text": "Q"}]
                + ([{"key": "ko", "text": "Must", "kind": "knockout"}] if i == 0 else []),
            }
            for i, k in enumerate(keys)
        ],
        "vendors": [
            {"key": v, "name": v.title(), "knockouts": {"ko": not out}} for v, out in vendors
        ],
        "evaluators": [],
        "scores": [],
        "consensus": [
            {"vendor": v, "question": f"{k}q", "score": 50, "rationale": "r"}
            for v, _ in vendors
            for k in keys
        ],
    }


@pytest.mark.parametrize(
    ("criteria", "vendors", "verdict"),
    [
        (2, [("solo", False)], "Solo is the only qualified vendor."),
        (2, [("ann", True), ("bob", True)], "No qualified vendor: there is no ranking to test."),
        (1, [("ann", False), ("bob", False)], "Ann and Bob tie for first"),
    ],
)
def test_the_results_page_answers_with_a_verdict_in_words(client, auth, db, criteria, vendors,
                                                          verdict):  # fmt: skip
    ids = import_small(db, _doc(criteria, vendors))
    auth.login("lena")
    response = client.get(f"/evaluations/{ids['evaluation']}/results")
    assert response.status_code == 200
    page = response.data.decode()
    assert verdict in text_of(section(page, "sensitivity"))


def test_a_blank_evaluation_has_no_ranking_to_test_and_no_what_if(client, auth, db, demo):
    auth.login("morgan")
    response = client.post("/evaluations/new", data={"start": "blank", "title": "Blank"})
    evaluation_url = response.headers["Location"]
    page = client.get(f"{evaluation_url}/results").data.decode()
    assert "No qualified vendor: there is no ranking to test." in page
    assert 'id="what-if"' not in page


def test_the_weights_page_needs_two_criteria(client, auth, db):
    ids = import_small(db, _doc(1, [("ann", False)]))
    auth.login("lena")
    page = text_of(client.get(f"/evaluations/{ids['evaluation']}/weights").data.decode())
    assert "Pairwise comparison needs at least two criteria." in page


def test_beyond_ten_criteria_the_consistency_ratio_is_not_computed(client, auth, db):
    # Saaty's random index table covers 1 to 10 criteria: with 11 the weights still come
    # from the eigenvector, and the page says why there is no CR.
    ids = import_small(db, _doc(11, [("ann", False)]))
    ev = ids["evaluation"]
    keys = [f"c{i}" for i in range(11)]
    auth.login("lena")
    response = client.post(
        f"/evaluations/{ev}/weights/judgment", data=comparison(keys, ["eq"] * 55)
    )
    assert response.status_code == 302
    page = text_of(client.get(f"/evaluations/{ev}/weights").data.decode())
    assert "CR not computed: the saaty random index table covers 1 to 10 criteria, not 11" in page
    # Equal judgments: 100 / 11 = 9.09 % each. In tenths: 11 x 90 = 990, and the 10
    # tenths left go to the equal remainders in key order (c0, c1, c10, c2, ... c8):
    # c9 keeps 9.0.
    combined = text_of(section(client.get(f"/evaluations/{ev}/weights").data.decode(), "combined"))
    assert "Criterion c9 9.1 % 9.0 %" in combined
    assert "Criterion c0 9.1 % 9.1 %" in combined
