"""SQLite's behaviour for the app's engine: WAL and foreign keys on each connection, and
writers that take the one write lock up front (`BEGIN IMMEDIATE`), waiting in short steps.

Registered on the app's own engine when the app is created (`register`), never globally: an
engine made elsewhere (a backup's source, a test's second writer) keeps SQLite's defaults.
Public APIs only: SQLAlchemy's `connect` and `begin` events and pysqlite's documented
autocommit mode (`isolation_level = None`), as SQLAlchemy's SQLite dialect documents for
"pysqlite's transactional behaviour".
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine


def register(engine: Engine, *, reads_only: Callable[[], bool] = lambda: False) -> None:
    """Give a SQLite engine its pragmas and its writers' `BEGIN IMMEDIATE` (others: nothing).

    `reads_only()` tells whether the transaction about to begin never writes (it then begins
    DEFERRED and holds no lock while it reads)."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _on_connect)

    def begin(conn) -> None:
        if reads_only():
            conn.exec_driver_sql("BEGIN")
        else:
            begin_immediate(conn)

    event.listen(engine, "begin", begin)


def _on_connect(dbapi_connection, record) -> None:
    # Let SQLAlchemy (not pysqlite) emit BEGIN, so SAVEPOINT works and writers queue up.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # The busy timeout is pysqlite's `timeout` connect argument (see config.engine_options);
    # remembered for the writers' own wait (begin_immediate).
    record.info["busy_timeout_ms"] = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    cursor.close()


def begin_immediate(conn) -> None:
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
