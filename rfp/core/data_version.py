"""The data version of an evaluation: a counter on its row that every write to the
evaluation, or to anything in it, bumps in the same transaction.

Whatever is computed from an evaluation (its Result, the results pages' data) can be
kept as long as the counter has not moved (rfp.core.result_cache). Being a column, it
is what every process on the database agrees on: a save committed by one gunicorn
worker moves it for all the others at the same moment as the score itself.

Nobody bumps it by hand: `track(sessionmaker)` (done by rfp.core.db.Database) listens to
its sessions and maps each changed row to its evaluation:

- an evaluation's own row;
- a row with an `evaluation_id` (criteria, questions, vendors, memberships, scores,
  consensus, reference calls, ...);
- a row with a `vendor_id` or a `membership_id` and no `evaluation_id` (vendor
  responses, answers, conflict declarations, the criteria an evaluator is limited to),
  through that vendor or membership;
- a user whose name changes: every evaluation they take part in (the pages show names).

Rows that hold nothing the results are computed from are left out (`OUTSIDE_RESULTS`:
jobs, e-mail, the audit trail, kept reports, portal links): a job's progress must not
throw away every reader's cached results. Flushed objects are seen after each flush;
ORM-enabled bulk statements (`session.execute(update(Score).where(...))`, `insert(...)`
with rows) before they run, by reading which evaluations they touch. SQL given as text
is not read: call `touch(session, evaluation_id)` beside it.

The bump is one UPDATE per evaluation (in id order, so two transactions never wait on
each other crosswise), issued as late as possible: in `before_commit`, after the last
flush. On PostgreSQL the evaluation's row stays locked only for the commit itself, so
twenty evaluators saving at once queue on it for microseconds, not for their requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.expression import ClauseElement

from rfp.core.db import Base

# Tables whose rows are no input of any result: writing them changes no data version.
OUTSIDE_RESULTS = frozenset(
    {
        "jobs",
        "mail_messages",
        "audit_events",
        "generated_reports",
        "vendor_links",
        "outcome_letters",
    }
)
# A user's row matters through these columns only (a login writes last_login_at).
USER_COLUMNS_SHOWN = ("name",)

_CHANGED = "rfp.data_version.changed"  # session.info: evaluation ids written since commit


def track(factory: sessionmaker[Session]) -> None:
    """Keep the data versions of the evaluations that sessions of `factory` write."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _before_bulk_statement)
    event.listen(factory, "before_commit", _bump)
    event.listen(factory, "after_soft_rollback", _forget)


def touch(session: Session, *evaluation_ids: int) -> None:
    """Bump these evaluations' versions when the session commits (for writes the events
    cannot read, such as SQL given as text)."""
    session.info.setdefault(_CHANGED, set()).update(evaluation_ids)


def pending(session: Session) -> frozenset[int]:
    """The evaluations whose version this session will bump when it commits."""
    return frozenset(session.info.get(_CHANGED, ()))


def current_version(session: Session, evaluation_id: int) -> int | None:
    """The committed version of an evaluation as the database has it now."""
    table = _table("evaluations")
    return session.scalar(select(table.c.data_version).where(table.c.id == evaluation_id))


# -- which evaluation a row belongs to --------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _route(table: Table) -> str | None:
    """How a row of `table` leads to its evaluation: the column to follow, or None."""
    if table.name in OUTSIDE_RESULTS:
        return None
    if table.name == "evaluations":
        return "id"
    if table.name == "users":
        return "user"
    for column in ("evaluation_id", "vendor_id", "membership_id"):
        if column in table.c:
            return column
    return None


_ROUTES: dict[str, str | None] = {}


def route_of(table: Table) -> str | None:
    if table.name not in _ROUTES:
        _ROUTES[table.name] = _route(table)
    return _ROUTES[table.name]


class _Found:
    """Evaluation ids found, and vendor, membership and user ids still to resolve."""

    def __init__(self) -> None:
        self.evaluations: set[int] = set()
        self.through: dict[str, set[int]] = {
            "vendor_id": set(),
            "membership_id": set(),
            "user": set(),
        }

    def add(self, route: str, value: Any) -> None:
        if value is None:
            return
        if route in ("id", "evaluation_id"):
            self.evaluations.add(value)
        else:
            self.through[route].add(value)

    def resolve(self, session: Session) -> set[int]:
        """The evaluation ids, with one query per kind of row still to follow."""
        found = set(self.evaluations)
        vendors, memberships, users = (
            self.through["vendor_id"],
            self.through["membership_id"],
            self.through["user"],
        )
        connection = session.connection()
        if vendors:
            table = _table("vendors")
            found.update(
                connection.scalars(
                    select(table.c.evaluation_id).where(table.c.id.in_(sorted(vendors)))
                )
            )
        memberships_table = _table("memberships")
        if memberships:
            found.update(
                connection.scalars(
                    select(memberships_table.c.evaluation_id).where(
                        memberships_table.c.id.in_(sorted(memberships))
                    )
                )
            )
        if users:
            found.update(
                connection.scalars(
                    select(memberships_table.c.evaluation_id)
                    .where(memberships_table.c.user_id.in_(sorted(users)))
                    .distinct()
                )
            )
        return found


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Rows about to be deleted, read while they are still there (their columns may
    need loading)."""
    found = _Found()
    for obj in session.deleted:
        _add_row(found, obj, deleted=True)
    _touch_found(session, found)


def _after_flush(session: Session, _context: Any) -> None:
    """New and changed rows, once flushed (a new row's foreign keys are set by then)."""
    found = _Found()
    for obj in session.new:
        _add_row(found, obj, deleted=False)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=True):
            _add_row(found, obj, deleted=False)
    _touch_found(session, found)


def _add_row(found: _Found, obj: Any, *, deleted: bool) -> None:
    state = inspect(obj)
    mapper = state.mapper
    route = route_of(mapper.local_table)
    if route is None or (deleted and route == "id"):
        return
    if route == "user":
        if (
            deleted
            or state.pending
            or any(state.attrs[name].history.has_changes() for name in USER_COLUMNS_SHOWN)
        ):
            found.add(route, obj.id)
        return
    key = mapper.get_property_by_column(mapper.local_table.c[route]).key
    found.add(route, getattr(obj, key))


def _touch_found(session: Session, found: _Found) -> None:
    ids = found.resolve(session)
    if ids:
        touch(session, *ids)


def _before_bulk_statement(state: ORMExecuteState) -> None:
    """An UPDATE, DELETE or INSERT given to session.execute: the evaluations it touches,
    read before it runs (afterwards a DELETE's rows are gone)."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    statement: Any = state.statement
    table = statement.table
    if not isinstance(table, Table):  # an aliased or joined target: read its base table
        table = getattr(table, "element", table)
    route = route_of(table) if isinstance(table, Table) else None
    if route is None or (route == "id" and not state.is_update):
        return
    found = _Found()
    if state.is_insert:
        column = "id" if route == "user" else route
        for row in _inserted_rows(state):
            found.add(route, row.get(column))
    else:
        column = table.c.id if route == "user" else table.c[route]
        query = select(column).distinct()
        if statement.whereclause is not None:
            query = query.where(statement.whereclause)
        for value in state.session.connection().scalars(query):
            found.add(route, value)
    ids = found.resolve(state.session)
    if ids:
        touch(state.session, *ids)


def _inserted_rows(state: ORMExecuteState) -> Iterable[Mapping[str, Any]]:
    parameters = state.parameters
    if isinstance(parameters, list | tuple):
        yield from parameters
    elif isinstance(parameters, Mapping) and parameters:
        yield parameters
    else:  # insert(...).values(...): the values are in the statement (one row or many,
        # whose parameters are named column_m0, column_m1, ...)
        statement = state.statement
        assert isinstance(statement, ClauseElement)  # every executable statement is one
        for key, value in statement.compile().params.items():
            yield {key.rsplit("_m", 1)[0] if key[-1].isdigit() else key: value}


# -- the bump, at commit ----------------------------------------------------------------


def _bump(session: Session) -> None:
    if session.in_nested_transaction():
        return  # the outer commit bumps
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush would come after this hook
    ids = session.info.pop(_CHANGED, None)
    if not ids:
        return
    table = _table("evaluations")
    connection = session.connection()
    for evaluation_id in sorted(ids):
        connection.execute(
            update(table)
            .where(table.c.id == evaluation_id)
            .values(data_version=table.c.data_version + 1)
        )
    _expire_loaded_versions(session, ids)


def _expire_loaded_versions(session: Session, ids: Iterable[int]) -> None:
    """Evaluations loaded in this session read their new version on next use."""
    from rfp.models import Evaluation

    for evaluation_id in ids:
        loaded = session.identity_map.get(identity_key(Evaluation, evaluation_id))
        if loaded is not None:
            session.expire(loaded, ["data_version"])


def _forget(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested and not session.in_transaction():
        session.info.pop(_CHANGED, None)
