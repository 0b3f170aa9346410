"""The Alembic migrations build exactly the schema of the models.

`alembic upgrade head` on an empty database, then alembic's own autogenerate comparison
against `Base.metadata`: any table, column, type, nullability, index, unique or foreign
key the migrations miss (or add) is a difference, and none is filtered out. Runs on an
empty SQLite file always, and on an empty PostgreSQL database too when TEST_DATABASE_URL
is set (PostgreSQL is where a `use_alter` foreign key has to be added by ALTER TABLE).
"""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from rfp import models  # noqa: F401  (registers every table)
from rfp.core.db import Base, Database
from rfp.core.migrate import alembic_config, current_heads, upgrade


def schema_differences(url: str) -> list[object]:
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        database.dispose()


def table_names(url: str) -> set[str]:
    database = Database(url)
    try:
        return set(inspect(database.engine).get_table_names())
    finally:
        database.dispose()


def test_upgrade_head_on_an_empty_database_gives_exactly_the_models_schema(empty_database_url):
    upgrade(empty_database_url)
    assert schema_differences(empty_database_url) == []
    assert table_names(empty_database_url) == set(Base.metadata.tables) | {"alembic_version"}


def test_the_database_is_at_the_single_head_after_upgrade(empty_database_url):
    upgrade(empty_database_url)
    heads = current_heads(empty_database_url)
    assert len(heads) == 1
    database = Database(empty_database_url)
    try:
        with database.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)
    finally:
        database.dispose()


def test_upgrade_is_idempotent_and_downgrade_undoes_it(empty_database_url):
    upgrade(empty_database_url)
    upgrade(empty_database_url)  # a second `rfp init-db` changes nothing
    assert schema_differences(empty_database_url) == []
    command.downgrade(alembic_config(empty_database_url), "base")
    assert table_names(empty_database_url) == {"alembic_version"}
    upgrade(empty_database_url)
    assert schema_differences(empty_database_url) == []
