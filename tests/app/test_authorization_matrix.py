"""Every route of the URL map, for every role: the answer written in authorization_table.

The routes come from the app's URL map, so a new route cannot go untested: it fails the
coverage test until its rows are in the table. The world (demo_world.py) is built once
per module; the POSTs send harmless data (authorization_table.HARMLESS_POSTS) and the
row counts of every table are checked after each allowed one, so one world serves every
row. Further tests: an id of another evaluation's object answers 404, and the protected
data the refused answers are checked against really shows where it is allowed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.app.authorization_table import (
    EVALUATION_OBJECTS,
    HARMLESS_JSON,
    HARMLESS_POSTS,
    HIDE,
    LOGIN,
    OK,
    ROLES,
    TABLE,
    Row,
)
from tests.fixtures.demo_world import (
    SENTINELS,
    VENDOR,
    World,
    build_world,
    fast_hashing_for_module,  # noqa: F401  (module fixture)
    make_app,
    module_database_url,
    rule_of,
)

ALLOWED_POST = {200, 302, 400, 409, 422}
# Routes that log the client out (and audit, for the "log out of all sessions" one).
LOGGING_OUT = {"auth.logout", "auth.end_sessions"}


@pytest.fixture(scope="module")
def world(tmp_path_factory, worker_id, fast_hashing_for_module) -> Any:  # noqa: F811
    folder = tmp_path_factory.mktemp("matrix")
    app = make_app(module_database_url(folder, "matrix", worker_id), folder)
    built = build_world(app)
    yield built
    built.db.dispose()


def _rules(app: Any) -> list[Any]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def _pairs(app: Any) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in _rules(app)
        for method in ("GET", "POST")
        if method in rule.methods
    }


def _request(world: World, role: str, row: Row, url: str) -> Any:
    client = world.client(role)
    if row.method == "GET":
        return client.get(url)
    if row.endpoint in HARMLESS_JSON:
        return client.post(url, json=HARMLESS_JSON[row.endpoint])
    return client.post(url, data=HARMLESS_POSTS.get(row.endpoint, {}))


def _protected_data_in(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [name for name, sentinel in SENTINELS.items() if sentinel in text]


def _local(location: str) -> str:
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost"), f"redirect out of the app: {location}"
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- the table and the URL map agree -----------------------------------------------------


def test_the_table_covers_every_route_of_the_url_map(world):
    covered = {(row.endpoint, row.method) for row in TABLE}
    missing = sorted(_pairs(world.app) - covered)
    assert not missing, (
        "Routes with no row in tests/web/authorization_table.py (add a row per method with "
        "the stage it is checked at and the answer of each role):\n"
        + "\n".join(
            f"  {endpoint} {method} {world.rule(endpoint, method).rule}"
            for endpoint, method in missing
        )
    )


def test_every_row_names_a_route_that_exists(world):
    stale = sorted({(row.endpoint, row.method) for row in TABLE} - _pairs(world.app))
    assert not stale, f"rows for routes the app does not have: {stale}"


def test_every_row_is_unique_and_names_every_role():
    seen = set()
    for row in TABLE:
        assert (row.endpoint, row.method, row.stage) not in seen, row.id
        seen.add((row.endpoint, row.method, row.stage))
        assert tuple(row.expected) == ROLES, row.id
        assert row.expected["anonymous"] in (LOGIN, OK), row.id
        for answer in row.expected.values():
            assert answer in (OK, HIDE, LOGIN, 403, 404, 409), row.id


# -- the matrix ----------------------------------------------------------------------------


def _check(world: World, role: str, row: Row, response: Any) -> None:
    expected = row.expected[role]
    status = response.status_code
    where = f"{role} {row.method} {row.endpoint} at {row.stage or '-'}"
    assert status != 500, f"{where}: 500"
    if expected == OK:
        if row.method == "GET":
            assert status in (200, 302), f"{where}: {status}, expected 200 or a redirect"
        else:
            assert status in ALLOWED_POST, f"{where}: {status}, expected an allowed answer"
        if status == 302 and row.endpoint not in LOGGING_OUT:
            target = _local(response.headers["Location"])
            assert not target.startswith("/login?"), f"{where}: sent to log in ({target})"
        return
    leaked = _protected_data_in(response.data)
    assert not leaked, f"{where}: answered {status} with protected data {leaked}"
    if expected == HIDE:
        assert status == 200, f"{where}: {status}, expected 200 without the protected data"
    elif expected == LOGIN:
        if status == 302:
            assert urlsplit(response.headers["Location"]).path == "/login", where
        else:
            assert status == 401, f"{where}: {status}, expected a redirect to log in"
    else:
        assert status == expected, f"{where}: {status}, expected {expected}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", TABLE, ids=[row.id for row in TABLE])
def test_each_role_gets_the_answer_of_the_table(world, row, role):
    if (row.endpoint, row.method) not in _pairs(world.app):
        pytest.fail(f"{row.endpoint} {row.method} is not a route of the app (stale row)")
    url = world.url(world.rule(row.endpoint, row.method), row.stage)
    # An allowed POST gets harmless data: check that it wrote nothing, so that the rows
    # after it still see the world they expect (a refused one is caught by its status).
    counted = row.method == "POST" and row.expected[role] == OK and row.endpoint not in LOGGING_OUT
    before = world.row_counts() if counted else None
    response = _request(world, role, row, url)
    response.close()  # a download holds its file open until closed
    if counted:
        assert world.row_counts() == before, f"{role} POST {row.endpoint} wrote something"
    try:
        _check(world, role, row, response)
    finally:
        if row.endpoint in LOGGING_OUT and role != "anonymous":
            world.clients.pop(role)  # logged out: the next test logs in again


# -- ids of another evaluation -------------------------------------------------------------


def _object_cases() -> list[tuple[Row, str]]:
    """(row, parameter) for each row whose URL names an object of the evaluation."""
    from rfp import create_app  # the URL map only; no database is touched

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    seen, cases = set(), []
    for row in TABLE:
        if row.stage is None or (row.endpoint, row.method) in seen:
            continue
        try:
            rule = rule_of(app, row.endpoint, row.method)
        except StopIteration:
            continue
        seen.add((row.endpoint, row.method))
        cases += [(row, name) for name in sorted(rule.arguments) if name in EVALUATION_OBJECTS]
    app.extensions["rfp.core.db"].dispose()
    return cases


OBJECT_CASES = _object_cases()


@pytest.mark.parametrize(
    ("row", "parameter"), OBJECT_CASES, ids=[f"{r.id}-{p}" for r, p in OBJECT_CASES]
)
def test_an_id_from_another_evaluation_answers_404(world, row, parameter):
    """Asked by a role the row allows, who has the same part in both copies (the people
    are the same): only the object's evaluation can refuse it."""
    rule = world.rule(row.endpoint, row.method)
    role = next(r for r in ("lead", "admin", "evaluator", "viewer") if row.expected[r] == OK)
    stage = row.stage or "consensus"
    other = world.other_than(stage)
    foreign = world.value(other, parameter)
    url = world.url(rule, stage, **{parameter: foreign})
    before = world.row_counts()
    response = _request(world, role, row, url)
    response.close()
    assert response.status_code == 404, f"{role} {url}: {response.status_code}"
    assert not _protected_data_in(response.data)
    assert world.row_counts() == before


# -- the sentinels are really there for those allowed to see them ----------------------------


@pytest.mark.parametrize(
    ("role", "stage", "path", "sentinels"),
    [
        ("lead", "open", "/vendors/{vendor}", ("answer", "rate")),
        ("evaluator", "scoring", "/vendors/{vendor}", ("answer", "rate")),
        ("evaluator", "scoring", "/scorecards/{vendor}", ("answer", "comment")),
        ("lead", "consensus", "/results/vendors/{vendor}", ("answer", "comment", "call_note")),
        ("viewer", "consensus", "/results/vendors/{vendor}", ("comment", "call_note")),
        ("evaluator", "scoring", "/documents", ("document",)),
        ("viewer", "scoring", "/vendors/{vendor}", ("document",)),
    ],
)
def test_the_protected_data_shows_where_it_is_allowed(world, role, stage, path, sentinels):
    """So that "no sentinel in the body" means something in the matrix."""
    ids = world.at(stage)
    url = f"/evaluations/{ids.evaluation}" + path.format(vendor=ids.vendors[VENDOR])
    response = world.client(role).get(url)
    assert response.status_code == 200
    assert set(sentinels) <= set(_protected_data_in(response.data))


@pytest.mark.parametrize(
    ("role", "stage", "path", "sentinels"),
    [
        # Before consensus a viewer reads the aggregate, not who gave what.
        ("viewer", "scoring", "/results/vendors/{vendor}", ("comment",)),
        ("viewer", "scoring", "/results", ("comment",)),
        # An evaluator with a conflict does not read the vendor's calls, answers, comments.
        ("conflicted", "scoring", "/references", ("call_note",)),
        ("conflicted", "consensus", "/results", ("answer", "comment", "call_note")),
        ("conflicted", "scoring", "/vendors", ("answer", "rate")),
        # Sealed: nobody but the lead reads a response before scoring.
        ("viewer", "open", "/vendors", ("answer", "rate")),
        ("evaluator", "open", "/criteria", ("answer", "rate")),
        # A vendor's documents are sealed too, from the lead as well (the vendor sent them).
        ("lead", "open", "/documents", ("document",)),
        ("lead", "open", "/vendors/{vendor}", ("document",)),
        ("evaluator", "open", "/documents", ("document",)),
        ("conflicted", "scoring", "/documents", ("document",)),
        ("conflicted", "scoring", "/vendors/{vendor}", ("document",)),
    ],
)
def test_pages_a_role_may_open_leave_out_what_is_not_theirs(world, role, stage, path, sentinels):
    ids = world.at(stage)
    url = f"/evaluations/{ids.evaluation}" + path.format(vendor=ids.vendors[VENDOR])
    response = world.client(role).get(url)
    assert response.status_code == 200
    assert not set(sentinels) & set(_protected_data_in(response.data))
