"""Operations: backup and restore, the retention purge, copying SQLite into PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url

from nghedan.backup_bundle import (
    BundleError,
    is_bundle,
    opened_bundle,
    restore_recordings,
    write_bundle,
)
from nghedan.extensions import db
from nghedan.models import Item, Message, Rating, utcnow
from nghedan.services.items.recordings import purge_recordings

TERMINAL_STATUSES = ("closed", "rejected", "duplicate")
PURGED_PHONE = "purged"


class OperationError(RuntimeError):
    """An operation could not run; the message says why."""


def _pg_tool(name: str) -> str:
    for candidate in (f"/usr/lib/postgresql/15/bin/{name}", shutil.which(name)):
        if candidate and Path(candidate).exists():
            return candidate
    raise OperationError(f"{name} not found: install postgresql-client-15")


def _pg_args(url) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment."""
    args = [
        "-h",
        url.host or "localhost",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        url.database,
    ]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def backup(destination: Path) -> Path:
    """Write one bundle: a consistent copy of the database (SQLite's online backup, or
    pg_dump -Fc) and the recorded sound files (nghedan/backup_bundle.py)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    database = destination.with_name(f".{destination.name}.database")
    try:
        _backup_database(database)
        write_bundle(destination, database, db.engine.url.get_backend_name())
    finally:
        database.unlink(missing_ok=True)
    return destination


def _backup_database(destination: Path) -> Path:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(destination)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return destination
    args, env = _pg_args(url)
    subprocess.run(
        [_pg_tool("pg_dump"), "-Fc", "-f", str(destination), *args],
        check=True,
        env=env,
        capture_output=True,
    )
    return destination


def restore(source: Path) -> None:
    """Replace the database's contents and the sound files with a backup made by `backup`
    (a bare database file from before bundles restores the database alone)."""
    if not source.exists():
        raise OperationError(f"no backup file {source}")
    if not is_bundle(source):
        _restore_database(source)
        return
    try:
        with opened_bundle(source) as (database, manifest):
            _restore_database(database)
        restore_recordings(source, manifest)
    except BundleError as e:
        raise OperationError(str(e)) from e


def _restore_database(source: Path) -> None:
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(source)
        target = sqlite3.connect(url.database)
        with target:
            backup_db.backup(target)
        backup_db.close()
        target.close()
        return
    args, env = _pg_args(url)
    done = subprocess.run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise OperationError(f"pg_restore failed: {done.stderr.strip()[-500:]}")


def purge_personal_data(older_than_days: int) -> dict:
    """Remove phones and names from finished items and old messages and ratings.

    The anonymous records stay for statistics; contacts keep only their opt-out state.
    """
    if older_than_days < 1:
        raise OperationError("--personal-data-older-than must be at least 1 day")
    cutoff = utcnow() - timedelta(days=older_than_days)
    items = db.session.execute(
        update(Item)
        .where(
            Item.status.in_(TERMINAL_STATUSES),
            Item.updated_at < cutoff,
            (Item.contact_phone.is_not(None)) | (Item.contact_name.is_not(None)),
        )
        .values(contact_phone=None, contact_name=None)
    ).rowcount
    messages = db.session.execute(
        update(Message)
        .where(Message.created_at < cutoff, Message.phone != PURGED_PHONE)
        .values(phone=PURGED_PHONE)
    ).rowcount
    ratings = db.session.execute(
        update(Rating)
        .where(Rating.created_at < cutoff, Rating.phone.is_not(None))
        .values(phone=None)
    ).rowcount
    # A resident's voice is personal data too: the recording goes, the official's summary stays.
    recordings = purge_recordings(changed_before=cutoff, statuses=TERMINAL_STATUSES)
    return {"items": items, "messages": messages, "ratings": ratings, "recordings": recordings}


def copy_database(source_url: str, target_url: str) -> dict:
    """Copy every row of a (migrated) database into another, empty and migrated one."""
    source = create_engine(_sqlalchemy_url(source_url))
    target = create_engine(_sqlalchemy_url(target_url))
    counts = {}
    with source.connect() as src, target.begin() as dst:
        for table in db.metadata.sorted_tables:
            # The first migration loads default categories; everything else must be empty.
            if (
                table.name != "categories"
                and dst.execute(select(func.count()).select_from(table)).scalar()
            ):
                raise OperationError(f"target table {table.name} is not empty")
        dst.execute(db.metadata.tables["categories"].delete())
        for table in db.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            if rows:
                dst.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        if target.dialect.name == "postgresql":
            _reset_sequences(dst)
    source.dispose()
    target.dispose()
    return counts


def _reset_sequences(conn) -> None:
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return str(make_url(url))
