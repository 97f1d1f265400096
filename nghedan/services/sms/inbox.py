"""Inbound SMS in the messages table: stored first, once per provider id, then resolved
by the worker (sms_gateway.pipeline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import aliased

from nghedan.database import insert_ignoring
from nghedan.extensions import db
from nghedan.models import Contact, Item, Message, Rating, utcnow
from nghedan.sms_text import count_segments
from nghedan.text import nfc


def store_inbound(
    *,
    channel: str,
    provider_id: str | None,
    phone: str,
    service_number: str | None,
    body: str,
    sms_channel_id: int | None = None,
    flag_reason: str | None = None,
) -> int | None:
    """Store one received text before anything is done with it; its id, or None when the
    same provider id was stored before on this channel (a repeated delivery).

    One `INSERT … ON CONFLICT DO NOTHING`: the unique constraint decides, also when a
    concurrent delivery of the same message is being stored at the same moment. The text
    waits as `received` for the worker (sms_gateway.pipeline); `flag_reason` stores it
    flagged instead, for officials only.
    """
    body = nfc(body or "")  # stored whole, however long: nothing a resident sent is cut
    segments = count_segments(body)
    now = utcnow()
    row = {
        "channel": channel,
        "provider_id": provider_id,
        "phone": phone,
        "service_number": service_number,
        "body": body,
        "parts": segments.parts,
        "encoding": segments.encoding,
        "status": "flagged" if flag_reason else "received",
        "flagged": bool(flag_reason),
        "flag_reason": flag_reason[:160] if flag_reason else None,
        "sms_channel_id": sms_channel_id,
        "direction": "in",
        "kind": "inbound",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }
    return insert_ignoring(Message.__table__, row, returning=("id",)).scalar()


@dataclass(frozen=True)
class Sender:
    """What the webhook must know about a phone before acting on its text."""

    recent_texts: int  # texts from this phone since the flood window began, this one excluded
    language: str  # the contact's language ("vi" for a new number)
    opted_out: bool
    joinable_item_id: int | None  # the item a further text from this phone continues
    channel: str = "sms"  # what the text came through ("sms" or "zalo"): its items' channel


def sender_state(
    phone: str,
    commune_id: int,
    *,
    message_id: int,
    flood_since: datetime,
    join_since: datetime,
    channel: str = "sms",
) -> Sender:
    """The flood count (texts from this phone stored before this one), the contact's
    preferences and the item of this channel a further text joins, in one statement."""
    recent, language, opted_out, joinable_id = db.session.execute(
        _SENDER_STATE,
        {
            "phone": phone,
            "commune_id": commune_id,
            "message_id": message_id,
            "flood_since": flood_since,
            "join_since": join_since,
            "channel": channel,
        },
    ).one()
    return Sender(
        recent_texts=recent or 0,
        language=language or "vi",
        opted_out=bool(opted_out),
        joinable_item_id=joinable_id,
        channel=channel,
    )


def claim_received(limit: int, lease: timedelta, *, now: datetime) -> list[tuple[int, int]]:
    """Take up to `limit` received texts for this worker; (id, attempt) of each.

    Oldest first, and per phone only the oldest text still waiting: a phone's later text is
    never taken while an earlier one is unresolved (being processed, or waiting to be tried
    again), so a phone's texts are acted on in the order they were stored. PostgreSQL skips
    rows another worker has locked; each row is claimed by a conditional UPDATE that counts
    the attempt, so a row someone else claimed first is never taken twice, and the attempt
    number fences the claim (the processing transaction checks it is still its own).
    """
    earlier = aliased(Message)
    waiting_before = (
        select(earlier.id)
        .where(
            earlier.direction == "in",
            earlier.phone == Message.phone,
            earlier.status == "received",
            earlier.id < Message.id,
        )
        .exists()
    )
    query = (
        select(Message.id, Message.attempts)
        .where(
            Message.direction == "in",
            Message.status == "received",
            or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now),
            or_(Message.claimed_until.is_(None), Message.claimed_until < now),
            ~waiting_before,
        )
        .order_by(Message.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = []
    for message_id, attempts in db.session.execute(query).all():
        result = db.session.execute(
            update(Message)
            .where(
                Message.id == message_id,
                Message.attempts == attempts,
                Message.status == "received",
            )
            .values(claimed_until=now + lease, attempts=attempts + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append((message_id, attempts + 1))
    return claimed


def claimed_message(message_id: int, attempt: int) -> Message | None:
    """The text, locked for this transaction, if this worker's claim (`attempt`) still
    holds; None when it was resolved or claimed again meanwhile."""
    return db.session.scalar(
        select(Message)
        .where(
            Message.id == message_id,
            Message.attempts == attempt,
            Message.status == "received",
        )
        .with_for_update()
    )


def retry_later(message: Message, next_attempt_at: datetime, error: str) -> None:
    """Processing failed: the text waits for another attempt (and holds back its phone's
    later texts meanwhile)."""
    message.claimed_until = None
    message.next_attempt_at = next_attempt_at
    message.error_message = error


def flag_message(message: Message, reason: str) -> None:
    """Mark a text for officials' attention (not answered, or not understood)."""
    message.flagged = True
    message.flag_reason = reason[:160]
    message.status = "flagged"
    message.claimed_until = None


def record_reply(message: Message, reply: str | None, *, item_id: int | None = None) -> None:
    """Remember what was answered and that the text is done with."""
    message.reply_body = reply
    if item_id is not None:
        message.item_id = item_id
    if message.status == "received":
        message.status = "processed"
    message.claimed_until = None


# Built once: every text runs them.
_messages, _items, _contacts = Message.__table__, Item.__table__, Contact.__table__
_ratings = Rating.__table__
# Only an opinion joins further texts: never a rating's comment (a road complaint once went
# silently under "officer attitude"), a complaint or a denunciation. A text joins an item of
# its own channel: an SMS the SMS item, a Zalo message the Zalo item of the same address.
_JOINABLE_ID = (
    select(_items.c.id)
    .where(
        _items.c.contact_phone == bindparam("phone"),
        _items.c.commune_id == bindparam("commune_id"),
        _items.c.channel == bindparam("channel"),
        _items.c.last_message_at >= bindparam("join_since"),
        _items.c.status == "new",
        _items.c.legal_type == "opinion",
        ~select(_ratings.c.id).where(_ratings.c.item_id == _items.c.id).exists(),
    )
    .order_by(_items.c.last_message_at.desc())
    .limit(1)
)
_SENDER_STATE = select(
    select(func.count(_messages.c.id))
    .where(
        _messages.c.phone == bindparam("phone"),
        _messages.c.direction == "in",
        _messages.c.created_at >= bindparam("flood_since"),
        _messages.c.id < bindparam("message_id"),
    )
    .scalar_subquery()
    .label("recent"),
    select(_contacts.c.language)
    .where(_contacts.c.phone == bindparam("phone"))
    .scalar_subquery()
    .label("language"),
    select(_contacts.c.opted_out)
    .where(_contacts.c.phone == bindparam("phone"))
    .scalar_subquery()
    .label("opted_out"),
    _JOINABLE_ID.scalar_subquery().label("joinable_id"),
)
