"""The SMS log of the admin panel: every text in and out of some communes, filtered, newest
first, keyset-paginated on the message id; and a failed outgoing text sent again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from nghedan.extensions import db
from nghedan.models import Message
from nghedan.models.messages import IN_STATUSES, OUT_STATUSES
from nghedan.services.items.history import audit
from nghedan.services.items.search import local_day_start
from nghedan.services.sms.outbox import queue_sms

PAGE_SIZE = 50
FAILED_STATUSES = ("failed", "undelivered")
STATUSES = OUT_STATUSES + IN_STATUSES


@dataclass(frozen=True)
class LogFilter:
    direction: str | None = None  # "in" or "out"
    status: str | None = None
    channel: str | None = None
    flagged: bool = False
    failed: bool = False  # outgoing texts that failed
    start: date | None = None  # local days, both included
    end: date | None = None


@dataclass(frozen=True)
class LogPage:
    messages: list[Message]
    newer: int | None  # cursor for the newer page (`before=`), None on the first page
    older: int | None  # cursor for the older page (`after=`), None on the last page


def _filtered(commune_ids: list[int], wanted: LogFilter) -> Select:
    query = select(Message).where(Message.commune_id.in_(commune_ids))
    if wanted.direction in ("in", "out"):
        query = query.where(Message.direction == wanted.direction)
    if wanted.status in STATUSES:
        query = query.where(Message.status == wanted.status)
    if wanted.channel:
        query = query.where(Message.channel == wanted.channel[:20])
    if wanted.flagged:
        query = query.where(Message.flagged.is_(True))
    if wanted.failed:
        query = query.where(Message.direction == "out", Message.status.in_(FAILED_STATUSES))
    if wanted.start is not None:
        query = query.where(Message.created_at >= local_day_start(wanted.start))
    if wanted.end is not None:
        query = query.where(Message.created_at < local_day_start(wanted.end + timedelta(days=1)))
    return query


def log_page(
    commune_ids: list[int], wanted: LogFilter, after: int | None, before: int | None
) -> LogPage:
    """One page of the filtered log, newest first, by keyset on the id."""
    query = _filtered(commune_ids, wanted).options(selectinload(Message.item))
    if before is not None:
        rows = list(
            db.session.scalars(
                query.where(Message.id > before).order_by(Message.id.asc()).limit(PAGE_SIZE + 1)
            )
        )
        has_newer = len(rows) > PAGE_SIZE
        rows = list(reversed(rows[:PAGE_SIZE]))
        return LogPage(
            rows, rows[0].id if rows and has_newer else None, rows[-1].id if rows else None
        )
    if after is not None:
        query = query.where(Message.id < after)
    rows = list(db.session.scalars(query.order_by(Message.id.desc()).limit(PAGE_SIZE + 1)))
    has_older = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return LogPage(
        rows,
        rows[0].id if rows and after is not None else None,
        rows[-1].id if rows and has_older else None,
    )


def channels_used(commune_ids: list[int]) -> list[str]:
    """The channels texts of these communes went through (the log's filter choices)."""
    return list(
        db.session.scalars(
            select(Message.channel)
            .distinct()
            .where(Message.commune_id.in_(commune_ids))
            .order_by(Message.channel)
        )
    )


def may_resend(message: Message) -> bool:
    return message.direction == "out" and message.status in FAILED_STATUSES


def resend(original: Message, *, user_id: int, remote_addr: str | None) -> Message | None:
    """Queue a copy of a failed outgoing text (the original stays as it was), audited; None
    when the phone has opted out meanwhile."""
    copy = queue_sms(
        original.phone,
        original.body,
        kind=original.kind,
        commune_id=original.commune_id,
        item_id=original.item_id,
    )
    if copy is None:
        return None
    db.session.flush()
    audit(
        "sms.resent",
        user_id=user_id,
        commune_id=original.commune_id,
        object_type="message",
        object_id=original.id,
        remote_addr=remote_addr,
        detail={"copy_id": copy.id},
    )
    return copy
