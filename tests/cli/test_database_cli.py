"""`rfp init-db` and `rfp db`: upgrade, current, and new migrations by autogenerate.

`rfp db revision` writes into the migrations' versions folder: these tests point the
migrations at a copy of rfp/core/migrations in the test's own folder, and change the
models with a throwaway table on Base.metadata, removed afterwards.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Column, Integer, String, Table, create_engine, inspect

from rfp.cli import main
from rfp.core import migrate
from rfp.core.db import Base
from rfp.core.migrate import current_heads

PROBE_TABLE = "probe_notes"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the migrations that `rfp db` reads and writes; its versions folder."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    return copy / "versions"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def probe_table() -> Iterator[Table]:
    """A model change: a new table on Base.metadata, for the length of a test."""
    import rfp.models  # noqa: F401  (every real table on Base.metadata first)

    table = Table(
        PROBE_TABLE,
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("note", String(40), nullable=False),
    )
    yield table
    Base.metadata.remove(table)


def revisions(versions: Path) -> list[str]:
    return sorted(p.name for p in versions.glob("*.py") if p.name != "__init__.py")


def head_of(versions: Path) -> str:
    """The revision no other revision follows, read from the files (branches merged in
    any order chain their revisions as they land: the head is not always the highest)."""
    ids, downs = set(), set()
    for path in versions.glob("*.py"):
        text = path.read_text()
        found = re.search(r"^revision = ['\"](\w+)['\"]", text, re.M)
        if found:
            ids.add(found.group(1))
            down = re.search(r"^down_revision = ['\"](\w+)['\"]", text, re.M)
            if down:
                downs.add(down.group(1))
    [head] = ids - downs
    return head


def columns(url: str, table: str) -> dict[str, bool]:
    """name -> nullable of a table's columns in the database at `url`."""
    engine = create_engine(url)
    try:
        return {c["name"]: c["nullable"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_rfp_db_revision_writes_the_models_changes_and_upgrade_applies_them(
    migrations, db_url, probe_table
):
    before, head = revisions(migrations), head_of(migrations)
    assert run("db", "upgrade").exit_code == 0  # the database at the old head

    result = run("db", "revision", "-m", "probe notes")
    assert result.exit_code == 0, result.output
    [new] = sorted(set(revisions(migrations)) - set(before))
    # Numbered after the highest, as the hand-written ones are, and following the head.
    latest = max(int(name[:4]) for name in before)
    assert new == f"{latest + 1:04d}_probe_notes.py"
    assert result.stdout.splitlines()[0] == f"Wrote {migrations / new}"
    text = (migrations / new).read_text()
    assert f"op.create_table('{PROBE_TABLE}'" in text
    assert f"down_revision = '{head}'" in text

    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert columns(db_url, PROBE_TABLE) == {"id": False, "note": False}

    # A column added to the model: the next revision adds it, in batch mode (SQLite).
    probe_table.append_column(Column("rating", Integer, nullable=True))
    result = run("db", "revision", "-m", "probe rating")
    assert result.exit_code == 0, result.output
    second = migrations / f"{latest + 2:04d}_probe_rating.py"
    text = second.read_text()
    assert f"with op.batch_alter_table('{PROBE_TABLE}'" in text
    assert "batch_op.add_column(sa.Column('rating', sa.Integer(), nullable=True))" in text
    assert run("db", "upgrade").exit_code == 0
    assert columns(db_url, PROBE_TABLE) == {"id": False, "note": False, "rating": True}
    assert run("db", "current").stdout.strip().endswith(f"at {latest + 2:04d}, the latest")


def test_rfp_db_revision_without_a_model_change_writes_nothing_and_exits_1(migrations):
    before = revisions(migrations)
    result = run("db", "revision", "-m", "nothing")
    assert result.exit_code == 1
    assert "the models and the latest schema agree: no migration written" in result.output
    assert revisions(migrations) == before


def test_rfp_db_revision_empty_writes_a_migration_to_fill_in(migrations):
    before = revisions(migrations)
    result = run("db", "revision", "-m", "move notes", "--empty")
    assert result.exit_code == 0, result.output
    [new] = sorted(set(revisions(migrations)) - set(before))
    assert new.endswith("_move_notes.py")
    text = (migrations / new).read_text()
    assert "def upgrade() -> None:\n    pass" in text


def test_rfp_db_revision_compares_with_the_url_given_after_upgrading_it(
    migrations, tmp_path, probe_table
):
    url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    result = run("db", "revision", "-m", "probe notes", "--url", url)
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    # Brought to the latest schema first; the new revision itself is not applied.
    assert {"evaluations", "alembic_version"} <= tables
    assert PROBE_TABLE not in tables


def test_rfp_db_current_says_where_a_database_is(db_url, tmp_path):
    [head] = current_heads(db_url)
    fresh = run("db", "current")
    assert fresh.exit_code == 0
    assert fresh.stdout.strip() == (
        f"{db_url}: no rfp schema yet (latest: {head}); run `rfp db upgrade`"
    )
    assert not (tmp_path / "cli.sqlite").exists()  # reading it created nothing

    upgraded = run("db", "upgrade")
    assert upgraded.stdout.strip() == f"Database is at the latest schema: {db_url}"
    assert run("db", "current").stdout.strip() == f"{db_url}: at {head}, the latest"

    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    finally:
        engine.dispose()
    behind = run("db", "current").stdout.strip()
    assert behind == f"{db_url}: at 0001; the latest is {head}: run `rfp db upgrade`"


def test_rfp_db_upgrade_and_init_db_agree(db_url):
    first = run("init-db")
    second = run("db", "upgrade")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
