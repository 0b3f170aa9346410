"""The database refuses a value outside the product's vocabulary (CHECK constraints of
migration 0002), on SQLite and on PostgreSQL, and the migration keeps existing rows."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, StatementError

from rfp import models as m
from rfp.core.db import Database
from rfp.core.migrate import alembic_config, upgrade
from rfp.domain.vocabulary import Stage

# (table, column): every column that holds one of the closed sets.
CHECKED = [
    ("evaluations", "stage"),
    ("evaluations", "aggregation"),
    ("evaluations", "price_formula"),
    ("memberships", "role"),
    ("criteria", "kind"),
    ("questions", "kind"),
    ("questions", "answer_type"),
    ("vendors", "delivery_model"),
    ("vendor_responses", "status"),
    ("vendor_responses", "pricing_model"),
    ("reference_calls", "would_sign_again"),
    ("pilot_vendors", "role"),
    ("pilot_vendors", "verdict"),
    ("pilot_criteria", "kpi"),
    ("pilot_criteria", "direction"),
    ("pilot_figures", "kpi"),
]


def _insert_evaluation(connection, stage: str) -> None:  # type: ignore[no-untyped-def]
    connection.execute(
        text(
            "INSERT INTO evaluations (title, description, stage, scale_min, scale_max, anchors,"
            " aggregation, dispersion_threshold, price_formula, price_zero_multiple, scope,"
            " readiness, blind_scoring, two_envelope, normalise_evaluators,"
            " sensitivity_concentration, award_rationale, created_at)"
            " VALUES ('T', '', :stage, 0, 5, '{}', 'mean', 2, 'lowest_ratio', 2, '{}', '{}',"
            " false, false, false, 50, '', CURRENT_TIMESTAMP)"
        ),
        {"stage": stage},
    )


@pytest.mark.parametrize(("table", "column"), CHECKED)
def test_every_closed_set_column_has_its_named_check_constraint(empty_database_url, table, column):
    upgrade(empty_database_url)
    database = Database(empty_database_url)
    try:
        names = {c["name"] for c in inspect(database.engine).get_check_constraints(table)}
    finally:
        database.dispose()
    assert f"ck_{table}_{column}" in names


def test_the_database_refuses_a_stage_outside_the_vocabulary(empty_database_url):
    upgrade(empty_database_url)
    database = Database(empty_database_url)
    try:
        with database.engine.begin() as connection:
            _insert_evaluation(connection, "scoring")
        with pytest.raises(IntegrityError), database.engine.begin() as connection:
            _insert_evaluation(connection, "awarded")
    finally:
        database.dispose()


def test_the_model_refuses_a_misspelt_stage_before_it_reaches_the_database(session):
    session.add(m.Evaluation(title="Typo", stage="scorring"))
    with pytest.raises(StatementError, match="scorring"):
        session.flush()


def test_a_stage_is_read_back_as_the_vocabulary_member(session):
    evaluation = m.Evaluation(title="Read back", stage="open")
    session.add(evaluation)
    session.flush()
    session.expire_all()
    stage = session.get(m.Evaluation, evaluation.id).stage
    assert stage is Stage.OPEN
    assert stage.sealed and stage.weights_frozen and not stage.read_only


def test_upgrading_a_0001_database_keeps_its_rows(empty_database_url):
    """0002 rebuilds tables on SQLite (batch mode): rows survive, and no cascade from
    the rebuilt table removes the rows that refer to it."""
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0001")
    database = Database(empty_database_url)
    try:
        with database.engine.begin() as connection:
            _insert_evaluation(connection, "open")
            evaluation_id = connection.scalar(text("SELECT id FROM evaluations"))
            connection.execute(
                text(
                    "INSERT INTO criteria (evaluation_id, key, name, kind, weight, description,"
                    " position) VALUES (:e, 'fit', 'Fit', 'scored', 1, '', 0)"
                ),
                {"e": evaluation_id},
            )
        upgrade(empty_database_url)
        with database.engine.connect() as connection:
            assert connection.scalar(text("SELECT stage FROM evaluations")) == "open"
            assert connection.scalar(text("SELECT count(*) FROM criteria")) == 1
    finally:
        database.dispose()


def test_the_pilot_stage_is_accepted_since_0016_and_its_downgrade_returns_to_consensus(
    empty_database_url,
):
    """0016 puts `pilot` into the stage CHECK constraint (a database at 0004 refuses it);
    going back below 0016, an evaluation in its pilot returns to consensus."""
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0004")
    database = Database(empty_database_url)
    try:
        with pytest.raises(IntegrityError), database.engine.begin() as connection:
            _insert_evaluation(connection, "pilot")
        upgrade(empty_database_url)
        with database.engine.begin() as connection:
            _insert_evaluation(connection, "pilot")
        with pytest.raises(IntegrityError), database.engine.begin() as connection:
            _insert_evaluation(connection, "piloting")
        command.downgrade(config, "0004")
        with database.engine.connect() as connection:
            assert connection.scalar(text("SELECT stage FROM evaluations")) == "consensus"
    finally:
        database.dispose()
