"""When a request failed on the database, the error page failed too (its frame reads the
logged-in user from the database), and a JSON route answered HTML. A database that does
not answer now gives a 503 page that needs no database, and /api/ routes answer JSON
errors, whatever the status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.fixtures.evaluations import set_stage


def _dead_url(url: str) -> str:
    """The same kind of database, at an address where nothing answers."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return "sqlite:////nonexistent-folder/rfp/away.db"
    return parsed.set(host="127.0.0.1", port=1).render_as_string(hide_password=False)


@pytest.fixture
def logged_in_then_away(client, login_as, demo, db) -> Iterator[dict[str, Any]]:
    login_as(client, "morgan")
    dead = create_engine(_dead_url(db.url))
    db.sessionmaker.configure(bind=dead)
    yield demo
    db.sessionmaker.configure(bind=db.engine)
    dead.dispose()


def test_a_database_that_does_not_answer_gives_a_503_page_that_needs_none(
    client, logged_in_then_away
):
    response = client.get(f"/evaluations/{logged_in_then_away['evaluation']}/criteria")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "The database is not answering. Nothing was saved" in page
    assert "Log out" not in page  # the bare frame: no user, no navigation


def test_the_api_answers_json_when_the_database_is_away(client, logged_in_then_away):
    response = client.get(f"/api/evaluations/{logged_in_then_away['evaluation']}/results")
    assert response.status_code == 503
    assert response.is_json
    assert response.json["status"] == 503
    assert "not answering" in response.json["detail"]


def test_logging_in_with_the_database_away_is_a_503(client, demo, db):
    dead = create_engine(_dead_url(db.url))
    db.sessionmaker.configure(bind=dead)
    try:
        response = client.post("/login", data={"username": "morgan", "password": "x" * 12})
    finally:
        db.sessionmaker.configure(bind=db.engine)
        dead.dispose()
    assert response.status_code == 503


def test_a_404_whose_page_frame_fails_falls_back_to_the_bare_page(client, logged_in_then_away):
    # The page frame shows the logged-in user: with the database away it cannot, and
    # the not-found page is shown without it rather than turning into a 500.
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Not found" in page and "Log out" not in page


@pytest.mark.parametrize(
    ("who", "stage", "path", "method", "status"),
    [
        ("morgan", "consensus", "/api/evaluations/{id}/results?view=%00", "get", 400),
        ("dana", "scoring", "/api/evaluations/{id}/results", "get", 403),
        ("morgan", "consensus", "/api/evaluations/999999/results", "get", 404),
        ("morgan", "consensus", "/api/evaluations/{id}/results", "post", 405),
        ("morgan", "consensus", "/api/no-such-route", "get", 404),
    ],
)
def test_api_routes_answer_json_errors(
    client, login_as, db, demo, who, stage, path, method, status
):
    set_stage(db, demo["evaluation"], stage)
    login_as(client, who)
    response = getattr(client, method)(path.format(id=demo["evaluation"]))
    assert response.status_code == status
    assert response.is_json, response.get_data(as_text=True)[:200]
    assert response.json["status"] == status
    assert response.json["error"] and response.json["detail"] is not None


class _Orig(Exception):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("orig", "status"),
    [
        (_Orig("UNIQUE constraint failed: scores.membership_id"), 409),  # SQLite
        (_Orig("duplicate key value violates unique constraint", "23505"), 409),  # PostgreSQL
        (_Orig("FOREIGN KEY constraint failed"), 500),  # a bug, not a race
    ],
)
def test_a_row_written_twice_at_once_is_a_409_and_other_integrity_errors_a_500(app, orig, status):
    from sqlalchemy.exc import IntegrityError

    @app.route("/api/test-integrity")
    def integrity():  # type: ignore[no-untyped-def]
        raise IntegrityError("INSERT ...", {}, orig)

    response = app.test_client().get("/api/test-integrity")
    assert response.status_code == status
    assert response.json["status"] == status
