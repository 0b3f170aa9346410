"""Test databases: an empty SQLite file or a PostgreSQL database of its own (per xdist
worker, per module), with the latest schema. Used by conftest.py's per-test databases
and by the module-wide demo world (tests/web/demo_world.py)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from rfp import models  # noqa: F401  (registers the tables)
from rfp.core.db import Base, Database


def sqlite_database_url(path: Path) -> str:
    """A new SQLite file at `path` with the latest schema."""
    url = f"sqlite:///{path}"
    database = Database(url)
    Base.metadata.create_all(database.engine)
    database.dispose()
    return url


def postgres_database_url(server_url: str, suffix: str) -> str:
    """The URL of the database named after `server_url`'s plus `suffix`, on the same
    server (psycopg driver), created if it does not exist yet."""
    url = make_url(server_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    name = f"{url.database}{suffix}"
    admin = Database(
        url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with admin.engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def recreate_schema(database: Database) -> None:
    """Start a PostgreSQL database from nothing, whatever an earlier run or an `rfp
    init-db` left in it (drop_all fails on constraints it does not find, and would leave
    alembic_version behind), then create the models' tables."""
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    Base.metadata.create_all(database.engine)
