"""The results pages and the JSON are kept per process while the evaluation's data
version stands (rfp.core.result_cache): a save shows on the very next page, in the
process that saved and in any other on the same database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from rfp import create_app
from rfp import models as m
from rfp.areas.results import queries
from rfp.core.result_cache import ResultCache
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input


@pytest.fixture
def scoring(db, demo) -> dict[str, Any]:
    """The demo back in scoring, with Dana free to change her scores; the vendor and the
    question she changes, and a value other than the one she gave."""
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, demo["evaluation"])
        evaluation.stage = "scoring"
        dana = s.scalar(select(m.Membership).join(m.User).where(m.User.username == "dana"))
        dana.submitted_at = None
        score = s.scalar(
            select(m.Score).where(m.Score.membership_id == dana.id).order_by(m.Score.id)
        )
        vendor_key = s.get(m.Vendor, score.vendor_id).key
        return {
            "evaluation": evaluation.id,
            "vendor": score.vendor_id,
            "vendor_key": vendor_key,
            "question": score.question_id,
            "new_value": 1 if score.value >= 3 else 5,
        }


@pytest.fixture
def second_app(database_url, tmp_path) -> Iterator[Any]:
    """Another app process on the same database (its own cache)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "EXPORT_DIR": str(tmp_path / "exports-2"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    yield app
    app.extensions["rfp.core.db"].dispose()


def save_as_dana(client, scoring: dict[str, Any]) -> None:
    url = (
        f"/evaluations/{scoring['evaluation']}/scorecards/{scoring['vendor']}"
        f"/questions/{scoring['question']}"
    )
    response = client.post(url, json={"score": scoring["new_value"], "comment": "Changed my mind"})
    assert response.status_code == 200, response.get_json()


def api_total(client, scoring: dict[str, Any]) -> float:
    doc = client.get(f"/api/evaluations/{scoring['evaluation']}/results").get_json()
    return next(v["total"] for v in doc["vendors"] if v["key"] == scoring["vendor_key"])


def page_total(client, scoring: dict[str, Any]) -> str:
    html = client.get(f"/evaluations/{scoring['evaluation']}/results").get_data(as_text=True)
    row = re.search(
        rf'data-vendor="{scoring["vendor_key"]}">.*?class="num total-score">([^<]+)<', html, re.S
    )
    assert row is not None
    return row.group(1)


def engine_total(db, scoring: dict[str, Any]) -> float:
    with db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, scoring["evaluation"])))
    return next(v.total for v in result.vendors if v.key == scoring["vendor_key"])


def test_a_save_shows_on_the_next_results_page_and_json_of_the_same_process(
    app, db, scoring, login_as
):
    lead, dana = app.test_client(), app.test_client()
    login_as(lead, "morgan")
    login_as(dana, "dana")
    before_json, before_page = api_total(lead, scoring), page_total(lead, scoring)
    assert api_total(lead, scoring) == before_json  # kept: the same figures

    save_as_dana(dana, scoring)

    after = engine_total(db, scoring)
    assert after != pytest.approx(before_json)
    assert api_total(lead, scoring) == pytest.approx(after)
    assert page_total(lead, scoring) != before_page


def test_a_save_in_one_process_shows_at_once_in_another(app, second_app, db, scoring, login_as):
    dana = app.test_client()
    elsewhere = second_app.test_client()
    login_as(dana, "dana")
    login_as(elsewhere, "morgan")
    before = api_total(elsewhere, scoring)  # kept in the second process

    save_as_dana(dana, scoring)

    assert api_total(elsewhere, scoring) == pytest.approx(engine_total(db, scoring))
    assert api_total(elsewhere, scoring) != pytest.approx(before)


def test_reading_again_without_a_write_computes_nothing_again(app, demo, login_as, monkeypatch):
    runs = []
    load = queries.load_results
    monkeypatch.setattr(queries, "load_results", lambda *a: runs.append(1) or load(*a))
    lead = app.test_client()
    login_as(lead, "morgan")
    evaluation_id, vendor_id = demo["evaluation"], demo["cottonwood"]
    urls = [
        f"/evaluations/{evaluation_id}/results",
        f"/evaluations/{evaluation_id}/results/vendors/{vendor_id}",
        f"/api/evaluations/{evaluation_id}/results",
    ]
    for _ in range(3):
        for url in urls:
            assert lead.get(url).status_code == 200
    assert runs == [1]  # one engine run for the three pages, three times each


def test_a_viewer_never_gets_what_was_kept_for_the_lead(app, scoring, login_as):
    """Before consensus a viewer reads the aggregate, not who gave what."""
    lead, viewer = app.test_client(), app.test_client()
    login_as(lead, "morgan")
    login_as(viewer, "elena")
    url = f"/api/evaluations/{scoring['evaluation']}/results"
    lead_doc = lead.get(url).get_json()
    assert any("scores" in d for d in lead_doc["dispersion"])
    viewer_doc = viewer.get(url).get_json()
    assert viewer_doc["dispersion"] and not any("scores" in d for d in viewer_doc["dispersion"])
    page = viewer.get(f"/evaluations/{scoring['evaluation']}/results").get_data(as_text=True)
    assert "Dana" not in page


# -- the cache itself ---------------------------------------------------------------------


class Evaluation:
    def __init__(self, id: int, version: int) -> None:
        self.id, self.created_at, self.data_version = id, None, version


def test_an_entry_is_served_until_the_version_moves():
    cache = ResultCache()
    built = []
    assert cache.get_or_build(Evaluation(1, 0), "r", lambda: built.append(0) or "v0") == "v0"
    assert cache.get_or_build(Evaluation(1, 0), "r", lambda: built.append(0) or "again") == "v0"
    assert cache.get_or_build(Evaluation(1, 1), "r", lambda: built.append(1) or "v1") == "v1"
    assert built == [0, 1]
    assert (cache.hits, cache.misses) == (1, 2)


def test_a_newer_version_drops_the_older_ones_of_that_evaluation_only():
    cache = ResultCache()
    cache.get_or_build(Evaluation(1, 0), "a", lambda: "1a0")
    cache.get_or_build(Evaluation(1, 0), "b", lambda: "1b0")
    cache.get_or_build(Evaluation(2, 7), "a", lambda: "2a7")
    cache.get_or_build(Evaluation(1, 1), "a", lambda: "1a1")
    assert len(cache) == 2  # 1a1 and 2a7
    # A request that read version 0 before the write builds, but keeps nothing.
    assert cache.get_or_build(Evaluation(1, 0), "b", lambda: "late") == "late"
    assert len(cache) == 2


def test_the_cache_keeps_at_most_its_size_least_recently_used_out_first():
    cache = ResultCache(max_entries=2)
    for evaluation_id in (1, 2):
        cache.get_or_build(Evaluation(evaluation_id, 0), "r", lambda: "x")
    cache.get_or_build(Evaluation(1, 0), "r", lambda: "not built")  # 1 used last
    cache.get_or_build(Evaluation(3, 0), "r", lambda: "x")
    assert len(cache) == 2
    assert cache.get_or_build(Evaluation(1, 0), "r", lambda: "rebuilt") == "x"
    assert cache.get_or_build(Evaluation(2, 0), "r", lambda: "rebuilt") == "rebuilt"


def test_size_zero_keeps_nothing():
    cache = ResultCache(max_entries=0)
    assert cache.get_or_build(Evaluation(1, 0), "r", lambda: "a") == "a"
    assert cache.get_or_build(Evaluation(1, 0), "r", lambda: "b") == "b"
    assert len(cache) == 0
