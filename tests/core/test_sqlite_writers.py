"""SQLite writers wait for each other in short steps (nghedan.sqlite.begin_immediate).

SQLite-only by nature: PostgreSQL has no single write lock.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from nghedan import create_app
from nghedan.database import upgrade
from nghedan.extensions import db
from tests.conftest import TEST_SECRET


@pytest.fixture
def sqlite_app(tmp_path):
    def make(busy_timeout_ms=10000):
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path}/w.db",
                "SECRET_KEY": TEST_SECRET,
                "SQLITE_BUSY_TIMEOUT_MS": busy_timeout_ms,
            }
        )
        upgrade(app)
        return app

    return make


def _first_writer(app, seconds) -> threading.Thread:
    """Another worker holding the write lock for `seconds` (returns once it holds it)."""
    holding = threading.Event()

    def write():
        with app.app_context():
            db.session.execute(
                text(
                    "INSERT INTO contacts (phone, language, opted_out, created_at) "
                    "VALUES ('+84900000001', 'vi', 0, '2026-11-23 00:00:00')"
                )
            )
            holding.set()
            time.sleep(seconds)
            db.session.commit()

    writer = threading.Thread(target=write)
    writer.start()
    assert holding.wait(5)
    return writer


def test_a_second_writer_waits_and_writes_once_the_first_commits(sqlite_app):
    app = sqlite_app()
    first = _first_writer(app, 0.3)
    with app.app_context():
        started = time.monotonic()
        db.session.execute(
            text(
                "INSERT INTO contacts (phone, language, opted_out, created_at) "
                "VALUES ('+84900000002', 'vi', 0, '2026-11-23 00:00:00')"
            )
        )
        waited = time.monotonic() - started
        # Inside the transaction, SQLite's own busy timeout is back for other statements.
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        db.session.commit()
        first.join(5)
        assert waited > 0.1  # it did wait for the first writer
        phones = db.session.execute(text("SELECT phone FROM contacts ORDER BY phone")).scalars()
        assert list(phones) == ["+84900000001", "+84900000002"]


def test_a_writer_still_gives_up_after_the_busy_timeout(sqlite_app):
    app = sqlite_app(busy_timeout_ms=200)
    first = _first_writer(app, 1.5)
    with app.app_context():
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            db.session.execute(text("SELECT 1"))
        assert time.monotonic() - started >= 0.2
        db.session.rollback()
        first.join(5)
        assert db.session.execute(text("SELECT count(*) FROM contacts")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 200
        db.session.rollback()
