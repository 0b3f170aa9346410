"""`rfp init-db` and `rfp db`: the database schema, through Alembic.

- `rfp init-db` / `rfp db upgrade`: create the database or bring it to the latest schema;
- `rfp db current`: the revision a database is at, and the latest;
- `rfp db revision -m MESSAGE`: a new migration, written by Alembic's autogenerate from
  what the models (Base.metadata) have that the latest schema lacks. The models are
  compared with a throwaway SQLite database brought to the latest schema, so that no
  real database is touched and the operations come out in batch mode, which runs on
  SQLite and PostgreSQL alike; `--url` compares with another database instead.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rfp.core.db import Database


@contextmanager
def open_database() -> Iterator[Database]:
    """The database DATABASE_URL names (the app's default without it), disposed of on
    the way out so that no connection outlives the command."""
    from rfp.core.config import database_url
    from rfp.core.db import Database

    db = Database(database_url())
    try:
        yield db
    finally:
        db.dispose()


def display_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _upgrade() -> None:
    from rfp.core.config import database_url
    from rfp.core.migrate import upgrade

    url = database_url()
    upgrade(url)
    click.echo(f"Database is at the latest schema: {display_url(url)}")


@click.command("init-db")
def init_db() -> None:
    """Create the database or bring it to the latest schema."""
    _upgrade()


@click.group("db")
def db() -> None:
    """The database schema: upgrade, current revision, new migrations (Alembic)."""


@db.command("upgrade")
def upgrade_command() -> None:
    """Create the database or bring it to the latest schema (as `rfp init-db`)."""
    _upgrade()


@db.command("current")
def current_command() -> None:
    """Print the revision the database is at, and the latest."""
    from rfp.core.config import database_url
    from rfp.core.migrate import current_heads

    url = database_url()
    at = applied_revisions(url)
    latest = current_heads(url)
    where = display_url(url)
    if not at:
        click.echo(f"{where}: no rfp schema yet (latest: {_listed(latest)}); run `rfp db upgrade`")
    elif set(at) == set(latest):
        click.echo(f"{where}: at {_listed(at)}, the latest")
    else:
        click.echo(
            f"{where}: at {_listed(at)}; the latest is {_listed(latest)}: run `rfp db upgrade`"
        )


def _listed(revisions: Sequence[str]) -> str:
    return ", ".join(revisions) or "none"


def applied_revisions(url: str) -> list[str]:
    """The revisions a database is at (none for an empty or missing database). Reads
    only: a missing SQLite file is not created."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.engine import make_url

    from rfp.core.db import make_engine

    parsed = make_url(url)
    on_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if on_file and not Path(str(parsed.database)).exists():
        return []
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes, in a few words.")
@click.option(
    "--empty",
    is_flag=True,
    help="Write an empty migration to fill in by hand (a data migration) instead of "
    "comparing the models with the schema.",
)
@click.option(
    "--url",
    help="Compare the models with this database, brought to the latest schema first "
    "(default: a throwaway SQLite database).",
)
def revision_command(message: str, empty: bool, url: str | None) -> None:
    """Write a new migration into rfp/core/migrations/versions.

    Alembic's autogenerate compares the models with the latest schema and writes what
    differs (tables, columns, indexes, constraints, types). When nothing differs no file
    is written and the command exits with status 1. Review the file before committing
    it: autogenerate sees no renames and no data.
    """
    if url is not None:
        path = write_revision(message, url, autogenerate=not empty)
    else:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="rfp-revision-") as folder:
            throwaway = f"sqlite:///{Path(folder) / 'schema.sqlite'}"
            path = write_revision(message, throwaway, autogenerate=not empty)
    if path is None:
        raise click.ClickException(
            "the models and the latest schema agree: no migration written "
            "(--empty writes one to fill in by hand)"
        )
    click.echo(f"Wrote {path}")
    if not empty:
        click.echo("Review it (autogenerate sees no renames and no data), then `rfp db upgrade`.")


def write_revision(message: str, url: str, *, autogenerate: bool) -> Path | None:
    """Bring the database at `url` to the latest schema, then write the next revision
    (numbered after the latest, as 0001, 0002, ...). With autogenerate, the revision
    holds what the models have that the schema lacks, and nothing is written when the
    two agree (returns None)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from rfp.core.migrate import alembic_config, upgrade

    config = alembic_config(url)
    config.cmd_opts = argparse.Namespace(quiet=True)  # the command says what it wrote
    # Branches merged in any order chain their revisions as they land, so the highest
    # number is not always the head: the next id follows the highest of them all.
    revisions = [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]
    upgrade(url)

    def only_changes(_context: Any, _revision: Any, directives: list[Any]) -> None:
        if autogenerate and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    written = command.revision(
        config,
        message,
        autogenerate=autogenerate,
        rev_id=next_revision_id(revisions),
        process_revision_directives=only_changes,
    )
    scripts = written if isinstance(written, list) else [written]
    return next((Path(s.path) for s in scripts if s is not None), None)


def next_revision_id(revisions: Sequence[str]) -> str | None:
    """The number after the highest revision, in the project's numbering (0002 -> 0003);
    None (Alembic's random id) when the revisions are not all numbered."""
    if revisions and all(revision.isdigit() for revision in revisions):
        return f"{max(int(revision) for revision in revisions) + 1:04d}"
    return None
