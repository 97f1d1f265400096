"""The database: the app's engine, the one transaction boundary, and Alembic upgrades."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, Response, current_app, has_request_context, request
from sqlalchemy import Table, bindparam, select, text
from sqlalchemy.sql.elements import TextClause

from nghedan.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


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


def register_engine(app: Flask) -> None:
    """The app's own engine gets SQLite's pragmas and writers' lock (nghedan.sqlite)."""
    from nghedan import sqlite as sqlite_behaviour

    with app.app_context():
        sqlite_behaviour.register(db.engine, reads_only=_in_reads_only_view)


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


def insert_new(model, values: dict):
    """Insert one row of `model` unless one of its unique keys is taken (also by a concurrent
    transaction); the new object, or None. One statement, no savepoint: `INSERT … ON CONFLICT
    DO NOTHING RETURNING` read into the entity (`from_statement`)."""
    table = model.__table__
    row = with_defaults(table, values)
    statement = insert_ignoring_sql(table, tuple(row), tuple(column.key for column in table.c))
    return db.session.scalars(select(model).from_statement(statement), row).first()


def insert_ignoring(table: Table, values: dict, returning: Iterable[str] = ()):
    """`INSERT … ON CONFLICT DO NOTHING` of one row into `table` (the Python-side column
    defaults filled in); its result (with `returning`, a row only when it was inserted)."""
    row = with_defaults(table, values)
    statement = insert_ignoring_sql(table, tuple(row), tuple(returning))
    return db.session.execute(statement, row)


@cache
def insert_ignoring_sql(table: Table, keys: tuple[str, ...], returning: tuple[str, ...]):
    """The statement for rows of these columns, written once per shape.

    SQLite (3.24+) and PostgreSQL spell `INSERT … ON CONFLICT DO NOTHING [RETURNING]` alike,
    and a textual statement is compiled once and cached by SQLAlchemy, where the dialects'
    own `insert().on_conflict_do_nothing()` constructs are compiled again at every execution
    (they are not cacheable): the hot paths (the webhook, an SMS item, a contact) run these
    many times a second. Bound values and results go through the columns' types."""
    columns = [table.c[key] for key in keys]

    def quoted(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    sql = (
        f"INSERT INTO {quoted(table.name)} ({', '.join(quoted(c.name) for c in columns)}) "
        f"VALUES ({', '.join(':' + c.key for c in columns)}) ON CONFLICT DO NOTHING"
    )
    if returning:
        sql += " RETURNING " + ", ".join(quoted(table.c[key].name) for key in returning)
    statement: TextClause = text(sql).bindparams(*(bindparam(c.key, type_=c.type) for c in columns))
    if returning:
        return statement.columns(*(table.c[key] for key in returning))
    return statement


def with_defaults(table: Table, values: dict) -> dict:
    """`values` with the Python-side defaults of the columns they leave out (what an ORM or
    Core insert adds by itself); server defaults are left to the database."""
    row = dict(values)
    for column in table.c:
        default = column.default
        if column.key in row or default is None:
            continue
        if default.is_scalar:
            row[column.key] = default.arg
        elif default.is_callable:
            row[column.key] = default.arg(None)
        else:  # a SQL expression or sequence: not written by hand here
            raise ValueError(f"{column} needs a value: its default is not a Python one")
    return row


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
