"""The database: the app's engine, the one transaction boundary, and Alembic upgrades."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, Response, current_app, has_request_context, request
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

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


def insert_ignoring_duplicates(table, dialect_name: str | None = None):
    """`INSERT … ON CONFLICT DO NOTHING` into `table` in the session's dialect (SQLite or
    PostgreSQL), or `dialect_name`'s: a row whose unique key is taken, also by a concurrent
    transaction, is not inserted, and no savepoint is needed. With `.returning(...)`, a row
    comes back only when it was inserted."""
    name = dialect_name or db.session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_new(model, values: dict):
    """Insert one row of `model` unless one of its unique keys is taken (also by a concurrent
    transaction); the new object, or None. One statement, no savepoint (SQLAlchemy's ORM
    "upsert" with RETURNING the entity)."""
    statement = insert_ignoring_duplicates(model).values(**values).returning(model)
    return db.session.scalars(statement).first()


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
