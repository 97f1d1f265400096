"""Inbound SMS in the messages table: stored first, once per provider id, then resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from nghedan.database import insert_row, run_prebuilt
from nghedan.extensions import db
from nghedan.models import Contact, Item, Message, Rating, utcnow
from nghedan.sms_text import count_segments
from nghedan.text import nfc


@dataclass(frozen=True)
class Stored:
    message: Message
    created: bool  # False: the same provider id was stored before (a repeated delivery)


def store_inbound(
    *,
    channel: str,
    provider_id: str | None,
    phone: str,
    service_number: str | None,
    body: str,
    commune_id: int | None,
) -> Stored:
    """Store one received text before anything is done with it.

    A provider id seen before on the same channel returns the stored row and creates nothing:
    the unique constraint decides, also when a concurrent delivery of the same message is
    being stored at the same moment (repeats are rare, so no look-up comes first).
    """
    body = nfc(body or "")  # stored whole, however long: nothing a resident sent is cut
    segments = count_segments(body)
    # One statement, no savepoint: ON CONFLICT DO NOTHING inserts nothing for a repeat.
    message = insert_row(
        Message,
        dict(
            direction="in",
            channel=channel,
            provider_id=provider_id,
            phone=phone,
            service_number=service_number,
            body=body,
            parts=segments.parts,
            encoding=segments.encoding,
            status="received",
            kind="inbound",
            commune_id=commune_id,
        ),
        ignoring_duplicates=True,
    )
    if message is None:
        return Stored(inbound_by_provider_id(channel, provider_id), False)
    return Stored(message, True)


def inbound_by_provider_id(channel: str, provider_id: str) -> Message | None:
    return db.session.scalar(_BY_PROVIDER_ID, {"channel": channel, "provider_id": provider_id})


@dataclass(frozen=True)
class Sender:
    """What the webhook must know about a phone before acting on its text."""

    recent_texts: int  # texts from this phone since the flood window began, this one excluded
    language: str  # the contact's language ("vi" for a new number)
    opted_out: bool
    joinable_item_id: int | None  # the SMS item a further text from this phone continues


def sender_state(
    phone: str, commune_id: int, *, message_id: int, flood_since: datetime, join_since: datetime
) -> Sender:
    """The flood count, the contact's preferences and the item a further text joins, in one
    statement (the SMS webhook's hot path: one round trip instead of three)."""
    recent, language, opted_out, joinable_id = run_prebuilt(
        _SENDER_STATE,
        {
            "phone": phone,
            "commune_id": commune_id,
            "message_id": message_id,
            "flood_since": flood_since,
            "join_since": join_since,
        },
    ).fetchone()
    return Sender(
        recent_texts=recent or 0,
        language=language or "vi",
        opted_out=bool(opted_out),
        joinable_item_id=joinable_id,
    )


def flag_message(message: Message, reason: str) -> None:
    """Mark a text for officials' attention (not answered, or not understood)."""
    message.flagged = True
    message.flag_reason = reason[:160]
    message.status = "flagged"


def record_reply(message: Message, reply: str | None, *, item_id: int | None = None) -> None:
    """Remember what was answered, so a repeated delivery gets the same answer."""
    values = {"reply_body": reply, "updated_at": utcnow()}
    if item_id is not None:
        values["item_id"] = item_id
    if message.status == "received":
        values["status"] = "processed"
    # A Core UPDATE (the webhook's hot path), the object told it holds these values now.
    run_prebuilt(_UPDATE_MESSAGE, dict(values, message_id=message.id))
    for key, value in values.items():
        set_committed_value(message, key, value)


# The hot path's statements, built once (building a select costs more than running it).
_messages, _items, _contacts = Message.__table__, Item.__table__, Contact.__table__
_ratings = Rating.__table__
# Only an opinion joins further texts: never a rating's comment (a road complaint once went
# silently under "officer attitude"), a complaint or a denunciation.
_BY_PROVIDER_ID = select(Message).where(
    Message.channel == bindparam("channel"),
    Message.provider_id == bindparam("provider_id"),
    Message.direction == "in",
)
_JOINABLE_ID = (
    select(_items.c.id)
    .where(
        _items.c.contact_phone == bindparam("phone"),
        _items.c.commune_id == bindparam("commune_id"),
        _items.c.channel == "sms",
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
        _messages.c.id != bindparam("message_id"),
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
_UPDATE_MESSAGE = update(_messages).where(_messages.c.id == bindparam("message_id"))
