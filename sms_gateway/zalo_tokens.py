"""A Zalo OA's access token, renewed before it expires without ever spending the single-use
refresh token twice.

Renewing takes a lease on the account row (`refresh_started_at`, set by one UPDATE that only
one worker can win, committed at once so no database lock is held during the HTTP call).
The winner spends the refresh token and stores the new pair; the others wait for it and use
the new access token. Each step commits on its own connection: a refresh token spent at Zalo
must be remembered whatever happens to the caller's transaction. A worker killed between
spending and storing leaves the OA without a valid refresh token: the failure is recorded
and /healthz reports it (someone must authorise the app again).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from nghedan.extensions import db
from nghedan.models import ZaloAccount, utcnow
from sms_gateway.zalo import TOKEN, ZaloClient, ZaloError

RENEW_BEFORE = timedelta(minutes=10)  # renew this long before the access token expires
LEASE = timedelta(seconds=60)  # longer than one refresh call can take
WAIT_STEP = 0.1  # seconds between looks while another worker renews


def access_token(account_id: int, client: ZaloClient, *, now: datetime | None = None) -> str:
    """A usable access token for the OA, renewed first when it is about to expire."""
    now = now or utcnow()
    deadline = time.monotonic() + LEASE.total_seconds()
    while True:
        account = _read(account_id)
        if account.access_token and not _expiring(account, now):
            return account.access_token
        if _take_lease(account_id, now):
            return _renew(account_id, account.refresh_token, client)
        if time.monotonic() > deadline:
            raise ZaloError(TOKEN, None, "another worker's token refresh did not finish")
        time.sleep(WAIT_STEP)


def renew_now(account_id: int, client: ZaloClient) -> str:
    """Renew whatever the expiry says (Zalo refused the token we hold)."""
    now = utcnow()
    with Session(db.engine) as session, session.begin():
        session.execute(
            update(ZaloAccount)
            .where(ZaloAccount.id == account_id)
            .values(access_expires_at=now - timedelta(seconds=1))
        )
    return access_token(account_id, client, now=now)


def _read(account_id: int) -> ZaloAccount:
    with Session(db.engine, expire_on_commit=False) as session:
        account = session.scalar(select(ZaloAccount).where(ZaloAccount.id == account_id))
    if account is None:
        raise ZaloError(TOKEN, None, f"no Zalo account {account_id}")
    return account


def _expiring(account: ZaloAccount, now: datetime) -> bool:
    return account.access_expires_at is None or account.access_expires_at - RENEW_BEFORE <= now


def _take_lease(account_id: int, now: datetime) -> bool:
    """True for the one worker whose UPDATE took the lease (free, or left by a dead one)."""
    with Session(db.engine) as session, session.begin():
        taken = session.execute(
            update(ZaloAccount)
            .where(
                ZaloAccount.id == account_id,
                or_(
                    ZaloAccount.refresh_started_at.is_(None),
                    ZaloAccount.refresh_started_at < now - LEASE,
                ),
            )
            .values(refresh_started_at=utcnow())
        )
        return taken.rowcount == 1


def _renew(account_id: int, refresh_token: str | None, client: ZaloClient) -> str:
    try:
        if not refresh_token:
            raise ZaloError(TOKEN, None, "no refresh token: authorise the app again")
        tokens = client.refresh(refresh_token)
    except ZaloError as e:
        _store(account_id, refresh_token, refresh_failed_at=utcnow(), refresh_error=str(e)[:200])
        raise
    now = utcnow()
    _store(
        account_id,
        refresh_token,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        access_expires_at=now + timedelta(seconds=tokens.expires_in),
        refreshed_at=now,
        refresh_failed_at=None,
        refresh_error=None,
    )
    return tokens.access_token


def _store(account_id: int, spent: str | None, **values) -> None:
    """Write the outcome and give the lease back, in a transaction of its own; unless an
    official saved new tokens meanwhile (the admin page, `nghedan zalo tokens`): theirs win."""
    with Session(db.engine) as session, session.begin():
        same = (
            ZaloAccount.refresh_token.is_(None)
            if spent is None
            else (ZaloAccount.refresh_token == spent)
        )
        session.execute(
            update(ZaloAccount)
            .where(ZaloAccount.id == account_id, same)
            .values(refresh_started_at=None, **values)
        )
