"""Login throttling from the audit log, so it holds across gunicorn workers and hosts.

Every failed login is an audit entry (`login_failed`) with the address and, when the
username exists, the account. Too many recent failures for either blocks the next try.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from nghedan.extensions import db
from nghedan.models import AuditEvent, User, utcnow
from nghedan.services.items.history import audit


def _window_start():
    seconds = int(current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])
    return utcnow() - timedelta(seconds=seconds)


def _failures(*conditions) -> int:
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "login_failed", *conditions)
    )


def is_blocked(user: User | None, remote_addr: str | None) -> bool:
    """True when this address or this account failed too often within the window."""
    since = _window_start()
    per_address = int(current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
    if _failures(AuditEvent.remote_addr == remote_addr, AuditEvent.at >= since) >= per_address:
        return True
    if user is None:
        return False
    if user.last_login_at is not None and user.last_login_at > since:
        since = user.last_login_at  # a successful login clears the account's count
    per_account = int(current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    account_failures = _failures(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id, AuditEvent.at >= since
    )
    return account_failures >= per_account


def record_failure(user: User | None, username: str, remote_addr: str | None) -> None:
    audit(
        "login_failed",
        commune_id=user.commune_id if user else None,
        object_type="user",
        object_id=user.id if user else None,
        remote_addr=remote_addr,
        detail={"username": username[:80]},
    )
