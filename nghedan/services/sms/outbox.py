"""The outbox: queueing an SMS in the caller's transaction, claiming due messages for one
worker, and recording what happened.

queued → sending (claimed by one worker until `claimed_until`) → sent → delivered, or back to
queued with a later `next_attempt_at` after a transient failure, or failed / skipped.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from nghedan.extensions import db
from nghedan.models import Message, utcnow
from nghedan.services.sms.contacts import is_opted_out
from nghedan.sms_text import count_segments, fit_for_sms
from nghedan.text import nfc

# Delivery statuses as providers report them, in the order they can only move forward.
_STATUS_RANK = {
    "queued": 0,
    "accepted": 0,
    "scheduled": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
    "read": 4,
}
_RECORDED_AS = {"accepted": "queued", "scheduled": "queued", "read": "delivered"}
# The error code of a message whose earlier attempt has no recorded outcome (its worker died
# between handing it to the provider and writing down the answer): before it is sent again,
# the worker asks the provider whether it was accepted.
UNCONFIRMED = "unconfirmed"


def claim_due(
    limit: int,
    lease: timedelta,
    *,
    only_kinds: Collection[str] | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Take up to `limit` due messages for this worker alone; returns their ids.

    PostgreSQL skips rows another worker has locked (`FOR UPDATE SKIP LOCKED`); on SQLite the
    transaction holds the write lock (`BEGIN IMMEDIATE`). On both, each row is claimed by a
    conditional UPDATE, so a row someone else claimed first is never taken twice. A row left
    in `sending` by a worker that died is due again once its claim has expired, marked
    UNCONFIRMED.
    """
    now = now or utcnow()
    due = or_(
        and_(Message.status == "queued", Message.next_attempt_at <= now),
        and_(Message.status == "sending", Message.claimed_until < now),
    )
    query = (
        select(Message.id, Message.status)
        .where(Message.direction == "out", due)
        .order_by(Message.next_attempt_at, Message.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if only_kinds is not None:
        query = query.where(Message.kind.in_(list(only_kinds)))
    claimed = []
    for message_id, status in db.session.execute(query).all():
        stale = {"error_code": UNCONFIRMED} if status == "sending" else {}
        result = db.session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == status)
            .values(
                status="sending",
                claimed_until=now + lease,
                attempts=Message.attempts + 1,
                updated_at=now,
                **stale,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(message_id)
    return claimed


def mark_sent(message: Message, *, channel: str, provider_id: str | None) -> None:
    """The provider accepted the message; its delivery reports move it on from here."""
    message.channel = channel
    message.provider_id = provider_id
    message.status = "sent"
    message.sent_at = utcnow()
    message.claimed_until = None
    message.error_code = message.error_message = None


def mark_retry(
    message: Message, *, next_attempt_at: datetime, error_code: str, error_message: str
) -> None:
    """A transient failure: back in the queue for a later attempt."""
    message.status = "queued"
    message.next_attempt_at = next_attempt_at
    message.claimed_until = None
    message.error_code = error_code[:16]
    message.error_message = error_message


def mark_failed(message: Message, *, error_code: str, error_message: str) -> None:
    """A permanent failure (or too many transient ones): never tried again."""
    message.status = "failed"
    message.claimed_until = None
    message.error_code = error_code[:16]
    message.error_message = error_message


def mark_skipped(message: Message, reason: str) -> None:
    """Not sent on purpose, e.g. the phone opted out after the message was queued."""
    message.status = "skipped"
    message.claimed_until = None
    message.error_message = reason


def record_delivery_status(
    channel: str, provider_id: str, status: str, error_code: str | None = None
) -> Message | None:
    """A provider's delivery report; callbacks come out of order, so status only moves forward."""
    message = db.session.scalar(
        select(Message).where(
            Message.channel == channel,
            Message.provider_id == provider_id,
            Message.direction == "out",
        )
    )
    if message is None or status not in _STATUS_RANK:
        return message
    if _STATUS_RANK[status] > _STATUS_RANK.get(message.status, 0):
        message.status = _RECORDED_AS.get(status, status)
        if status in ("undelivered", "failed") and error_code:
            message.error_code = error_code[:16]
    return message


# The one text an opted-out phone still gets: the acknowledgement of its HUY / STOP, for
# channels that answer through the outbox instead of in the provider's response.
OPT_OUT_ACK = "opt_out_ack"


def queue_sms(
    phone: str,
    body: str,
    *,
    kind: str,
    commune_id: int | None = None,
    item_id: int | None = None,
    channel: str = "auto",
    opted_out: bool | None = None,
) -> Message | None:
    """Queue one SMS for the outbox worker; None when the phone has opted out (`opted_out`:
    the caller looked it up already in this transaction)."""
    if kind != OPT_OUT_ACK and (is_opted_out(phone) if opted_out is None else opted_out):
        return None
    body = fit_for_sms(nfc(body))
    segments = count_segments(body)
    message = Message(
        direction="out",
        channel=channel,
        phone=phone,
        body=body,
        parts=segments.parts,
        encoding=segments.encoding,
        status="queued",
        kind=kind,
        commune_id=commune_id,
        item_id=item_id,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message
