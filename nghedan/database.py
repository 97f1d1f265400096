"""The database: SQLite pragmas, the one transaction boundary, and Alembic upgrades."""

from __future__ import annotations

import random
import sqlite3
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, Response, current_app, has_request_context, request
from sqlalchemy import event, exc, text
from sqlalchemy.dialects.postgresql.dml import OnConflictDoNothing
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, configure_mappers, make_transient_to_detached
from sqlalchemy.sql.dml import Insert

from nghedan.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # Let SQLAlchemy (not pysqlite) emit BEGIN, so SAVEPOINT works and writers queue up.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # The busy timeout is pysqlite's `timeout` connect argument (see config.engine_options);
    # remembered for the writers' own wait (_begin_immediate).
    record.info["busy_timeout_ms"] = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        # IMMEDIATE takes the write lock up front: two writers wait instead of failing with
        # "database is locked" when a read turns into a write. Views that never write read
        # without it (a WAL reader holds no one up).
        if _in_reads_only_view():
            conn.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(conn)


def _begin_immediate(conn) -> None:
    """`BEGIN IMMEDIATE`, waiting for the writer before us in short, even steps.

    SQLite's own busy handler (pysqlite's timeout) sleeps 1, 2, 5, 10, 15, 20, 25… up to 100
    ms between tries, so a writer that loses a few times in a row sleeps on while the lock
    stands free: the lock is held about a millisecond per text, and under steady SMS load one
    text in a hundred waited 50–100 ms more than it needed (docs/PERFORMANCE.md). Here the
    handler is off while we wait, and we try again after 0.1–0.3 ms, then at most every 1.5 ms,
    until the same timeout. Statements inside the transaction keep SQLite's handler.
    """
    raw = conn.connection.driver_connection
    timeout_ms = conn.connection.info.get("busy_timeout_ms", 5000)
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        delay = 0.0002
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                busy = e.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY  # and its extended codes
                if not busy or time.monotonic() >= deadline:
                    raise exc.DBAPIError.instance(
                        "BEGIN IMMEDIATE", (), e, sqlite3.Error, dialect=conn.dialect
                    ) from e
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 1.5, 0.001)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")


def reads_only(view):
    """Mark a view that never writes (a report, an export, an API read): on SQLite its
    transaction begins DEFERRED, so it doesn't hold the one write lock while it reads, and a
    text arriving meanwhile is stored at once. Applied where the view is registered (the
    outermost decorator); tests/admin/test_reads_only.py checks that no marked view writes."""
    view.reads_only = True
    return view


def _in_reads_only_view() -> bool:
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return False
    return getattr(current_app.view_functions.get(request.endpoint), "reads_only", False)


def register_transaction_boundary(app: Flask) -> None:
    """Commit once per request when it succeeded, roll back otherwise."""

    @app.after_request
    def _commit(response: Response) -> Response:
        # Raising here turns the response into a 500, so no 2xx is sent for unsaved work.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback(_exc):
        db.session.rollback()


@contextmanager
def unit_of_work():
    """The transaction boundary of a CLI command or worker job."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


class _OnAnyConflictDoNothing(OnConflictDoNothing):
    """`ON CONFLICT DO NOTHING` without a target: the same text for SQLite and PostgreSQL."""

    # No target and nothing else that varies: its class is its whole cache key.
    _traverse_internals = []
    inherit_cache = True


class InsertIgnoringDuplicates(Insert):
    """`INSERT … ON CONFLICT DO NOTHING` on SQLite (>= 3.35) and PostgreSQL alike.

    The dialects' own `insert(...).on_conflict_do_nothing()` has no cache key, so SQLAlchemy
    compiles it again on every execution; this one is always the same clause, so it caches.
    """

    inherit_cache = True
    _post_values_clause = _OnAnyConflictDoNothing()


def insert_ignoring_duplicates(model) -> InsertIgnoringDuplicates:
    """An INSERT into `model`'s table that inserts nothing when a unique key is taken.

    With `.returning(model)` and `db.session.scalars(...)`, a row comes back (a persistent
    object) only when it was inserted: the unique constraint decides without a savepoint, also
    against a concurrent transaction inserting the same key.
    """
    return InsertIgnoringDuplicates(model)


def insert_row(model, values: dict, *, ignoring_duplicates: bool = False):
    """Insert one row with a Core `INSERT … RETURNING id` and return it as a persistent object.

    A fraction of the ORM's cost (no unit of work, no savepoint), for hot paths such as the
    SMS webhook. Every column gets its value here (its default when not given), so reading
    the object afterwards costs no query. With `ignoring_duplicates`, a row whose unique key
    is taken (also by a concurrent transaction) is not inserted and None is returned.
    """
    row = _row_with_defaults(model, values)
    row_id = _insert(model, row, ignoring_duplicates)
    if row_id is None:
        return None
    # The object as a query would have loaded it: values straight into its state, no events.
    instance = model.__mapper__.class_manager.new_instance()
    instance.__dict__.update(row, id=row_id)
    make_transient_to_detached(instance)
    session = db.session()
    session.add(instance)  # persistent, as if loaded: no SQL
    # The ORM doesn't know this row is new in the transaction: remember it, so a rollback
    # takes it out of the session like the ORM's own inserts (see _forget_rolled_back_rows).
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_CORE_INSERTED, []).append((transaction, instance))
    return instance


def insert_row_id(model, values: dict) -> int:
    """`insert_row` for a row nobody reads back in this transaction (a history entry): its
    id, and no object in the session (a later query loads it like any other row)."""
    return _insert(model, _row_with_defaults(model, values), False)


def _row_with_defaults(model, values: dict) -> dict:
    _statement, defaults = _insert_plan(model, False)
    row = {
        key: default.arg(None) if default.is_callable else default.arg for key, default in defaults
    }
    row.update(values)
    return row


def _insert(model, row: dict, ignoring_duplicates: bool) -> int | None:
    db.session.flush()  # pending objects first, in the order the ORM would have written them
    statement, _defaults = _insert_plan(model, ignoring_duplicates)
    found = run_prebuilt(statement, row).fetchone()
    return None if found is None else found[0]


def run_prebuilt(statement, params: dict):
    """Run a Core statement built once (a hot path's module constant) in the session's
    transaction, straight on the DBAPI cursor; returns the cursor (rows are plain tuples).

    SQLAlchemy's execution of an already compiled statement costs about 50 µs of Python, more
    than SQLite's own work for most statements; the SMS webhook runs six per text. Here the
    statement is compiled once per dialect and set of parameter names, and each run only
    converts the values with the column types' own bind processors, as SQLAlchemy would.
    Statements it can't run this way (expanding or post-compile parameters, Python-side
    defaults computed by a function, a parameter left out), and every statement while
    something listens to the engine's cursor events (SQL echo, tests that watch statements),
    go through `Connection.execute`.
    DBAPI errors come out as SQLAlchemy's exceptions, and a lost connection is invalidated.
    It reads three SQLAlchemy 2.0 internals (`Connection._echo`, the compiled statement's
    `_bind_processors` and `_render_postcompile`); pyproject.toml keeps SQLAlchemy below 2.1
    and tests/core/test_prebuilt.py checks the result on both engines.
    """
    connection = db.session.connection()
    plan = _prebuilt_plan(statement, connection.dialect, tuple(params))
    if plan is None or connection._echo or connection.dispatch.before_cursor_execute:
        return _RowsOf(connection.execute(statement, params))
    values = dict(plan.fixed, **params)
    for name, process in plan.processors:
        values[name] = process(values[name])
    arguments = tuple(values[name] for name in plan.names) if plan.positional else values
    dbapi_connection = connection.connection.driver_connection
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(plan.sql, arguments)
    except connection.dialect.loaded_dbapi.Error as e:
        lost = connection.dialect.is_disconnect(e, dbapi_connection, cursor)
        if lost:
            connection.invalidate(e)
        raise exc.DBAPIError.instance(
            plan.sql,
            arguments,
            e,
            connection.dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=connection.dialect,
        ) from e
    return cursor


class _RowsOf:
    """A SQLAlchemy result with the DBAPI cursor's `fetchone` (plain tuples)."""

    def __init__(self, result):
        self.result = result

    def fetchone(self):
        row = self.result.fetchone() if self.result.returns_rows else None
        return None if row is None else tuple(row)


class _Plan:
    __slots__ = ("sql", "names", "positional", "fixed", "processors")


_PLANS: dict = {}


def _prebuilt_plan(statement, dialect, keys: tuple):
    """The compiled form of `statement` for this dialect and parameter names (None when it
    must go through SQLAlchemy's execution)."""
    cache_key = (statement, dialect.name, keys)
    try:
        return _PLANS[cache_key]
    except KeyError:
        pass
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    prefetch = [*compiled.insert_prefetch, *compiled.update_prefetch]
    defaults = [
        column.default if column in compiled.insert_prefetch else column.onupdate
        for column in prefetch
    ]
    # A parameter left out: SQLAlchemy's execution says which (instead of running with NULL).
    missing = any(bind.required and name not in keys for bind, name in compiled.bind_names.items())
    plan = None
    if not (
        missing
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or compiled.escaped_bind_names
        or compiled._render_postcompile
        or any(default is None or not default.is_scalar for default in defaults)
    ):
        plan = _Plan()
        plan.sql = compiled.string
        plan.positional = dialect.positional
        plan.names = tuple(compiled.positiontup or ()) if plan.positional else ()
        plan.fixed = {
            name: bind.value for bind, name in compiled.bind_names.items() if name not in keys
        }
        # Columns left to their Python-side constant defaults ("vi", False…).
        plan.fixed.update(
            (column.key, default.arg) for column, default in zip(prefetch, defaults, strict=True)
        )
        plan.processors = tuple(compiled._bind_processors.items())
    _PLANS[cache_key] = plan
    return plan


_CORE_INSERTED = "nghedan.core_inserted"


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back_rows(session: Session, previous_transaction) -> None:
    """Rows `insert_row` wrote inside a transaction (or savepoint) that was rolled back are
    gone from the database: take their objects out of the session too."""
    inserted = session.info.get(_CORE_INSERTED)
    if not inserted:
        return
    kept = []
    for transaction, instance in inserted:
        if _within(transaction, previous_transaction):
            if instance in session:
                session.expunge(instance)
        else:
            kept.append((transaction, instance))
    session.info[_CORE_INSERTED] = kept


@event.listens_for(Session, "after_commit")
def _forget_committed_rows(session: Session) -> None:
    session.info.pop(_CORE_INSERTED, None)


def _within(transaction, outer) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


@cache
def _insert_plan(model, ignoring_duplicates: bool):
    """The INSERT … RETURNING id of a model's table, built once, and the defaults of its
    columns (None for a column without one)."""
    configure_mappers()  # objects are made without their constructor, which would do it
    table = model.__table__
    insert = InsertIgnoringDuplicates(table) if ignoring_duplicates else table.insert()
    defaults = tuple(
        (column.key, column.default or _NO_DEFAULT)
        for column in table.columns
        if column.key != "id"
    )
    return insert.returning(table.c.id), defaults


class _NoDefault:
    is_callable = False
    arg = None


_NO_DEFAULT = _NoDefault()


def database_answers() -> bool:
    """True when a trivial query succeeds."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        db.session.rollback()
        return False


def alembic_config(app: Flask) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["flask_app"] = app
    return cfg


def upgrade(app: Flask, revision: str = "heads") -> None:
    """Create or upgrade the schema to the newest revision."""
    with app.app_context():
        command.upgrade(alembic_config(app), revision)
