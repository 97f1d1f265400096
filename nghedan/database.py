"""The database: SQLite pragmas, the one transaction boundary, and Alembic upgrades."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, Response
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from nghedan.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # Let SQLAlchemy (not pysqlite) emit BEGIN, so SAVEPOINT works and writers queue up.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # The busy timeout is pysqlite's `timeout` connect argument (see config.engine_options).


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        # IMMEDIATE takes the write lock up front: two writers wait (busy_timeout) instead
        # of failing with "database is locked" when a read turns into a write.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


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
