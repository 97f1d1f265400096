"""Fixtures: an app with a fresh database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nghedan import create_app
from nghedan.database import upgrade
from nghedan.extensions import db as _db
from tests.postgres import PostgresUnavailable, ThrowawayCluster

ENGINES = ("sqlite", "postgresql")
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
_counter = itertools.count()


def base_config(url: str) -> dict:
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": TEST_SECRET,
        "TESTING": True,
        "SMS_BACKEND": "console",
    }


@pytest.fixture(scope="session")
def pg_cluster():
    """The suite's own PostgreSQL; a failure to start fails every PostgreSQL test, loudly."""
    cluster = ThrowawayCluster()
    try:
        cluster.start()
    except PostgresUnavailable as e:
        cluster.stop()
        pytest.fail(
            f"PostgreSQL could not start, so the PostgreSQL tests cannot run:\n{e}", pytrace=False
        )
    yield cluster
    cluster.stop()


def _migrated_template(engine: str, request, tmp_path_factory) -> str:
    if engine == "sqlite":
        path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
        app = create_app(base_config(f"sqlite:///{path}"))
        upgrade(app)
        with app.app_context():
            _db.engine.dispose()
        return str(path)
    cluster = request.getfixturevalue("pg_cluster")
    admin = create_engine(cluster.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE nghedan_template"))
    admin.dispose()
    app = create_app(base_config(cluster.url("nghedan_template")))
    upgrade(app)
    with app.app_context():
        _db.engine.dispose()
    return "nghedan_template"


@pytest.fixture(scope="session", params=ENGINES)
def db_template(request, tmp_path_factory):
    """(engine, template): a database migrated once per session, copied for each test."""
    return request.param, _migrated_template(request.param, request, tmp_path_factory)


@pytest.fixture
def database_url(request, db_template, tmp_path):
    """A fresh, migrated, empty database for this test."""
    engine, template = db_template
    if engine == "sqlite":
        path = tmp_path / "nghedan.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"t_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(cluster.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE nghedan_template'))
    yield cluster.url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app_config(database_url, tmp_path):
    """Override in a test module to change settings."""
    return base_config(database_url)


@pytest.fixture
def app(app_config, tmp_path):
    app = create_app(app_config)
    app.instance_path = str(tmp_path / "instance")
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The session, inside an app context."""
    with app.app_context():
        yield _db.session
        _db.session.rollback()


def pytest_sessionstart(session):
    """Compile the translation catalogues, so English pages work without `make translations`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from nghedan.i18n import TRANSLATION_DIRS

    for directory in TRANSLATION_DIRS:
        for po in Path(directory).glob("*/LC_MESSAGES/messages.po"):
            with po.open("rb") as f:
                catalog = read_po(f)
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog)


def pytest_terminal_summary(terminalreporter):
    """Say how many tests ran against PostgreSQL, so nobody mistakes a skip for a pass."""
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        counts[outcome] = sum(
            1
            for rep in terminalreporter.stats.get(outcome, [])
            if "postgresql" in getattr(rep, "nodeid", "")
        )
    terminalreporter.write_line(
        "PostgreSQL tests: {passed} passed, {failed} failed, {error} errors, "
        "{skipped} skipped".format(**counts)
    )
