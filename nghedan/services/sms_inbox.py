"""Inbound SMS in the messages table: stored first, once per provider id, then resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from nghedan.database import insert_row
from nghedan.extensions import db
from nghedan.models import Commune, Item, Message, utcnow
from nghedan.sms_text import count_segments
from nghedan.text import nfc


@dataclass(frozen=True)
class Stored:
    message: Message
    created: bool  # False: the same provider id was stored before (a repeated delivery)


def store_inbound(*, channel: str, provider_id: str | None, phone: str,
                  service_number: str | None, body: str, commune_id: int | None) -> Stored:
    """Store one received text before anything is done with it.

    A provider id seen before on the same channel returns the stored row and creates nothing:
    the unique constraint decides, also when a concurrent delivery of the same message is
    being stored at the same moment (repeats are rare, so no look-up comes first).
    """
    body = nfc(body or "")  # stored whole, however long: nothing a resident sent is cut
    segments = count_segments(body)
    # One statement, no savepoint: ON CONFLICT DO NOTHING inserts nothing for a repeat.
    message = insert_row(Message, dict(
        direction="in", channel=channel, provider_id=provider_id, phone=phone,
        service_number=service_number, body=body, parts=segments.parts,
        encoding=segments.encoding, status="received", kind="inbound", commune_id=commune_id,
    ), ignoring_duplicates=True)
    if message is None:
        return Stored(inbound_by_provider_id(channel, provider_id), False)
    return Stored(message, True)


def inbound_by_provider_id(channel: str, provider_id: str) -> Message | None:
    return db.session.scalar(select(Message).where(
        Message.channel == channel, Message.provider_id == provider_id,
        Message.direction == "in",
    ))


def inbound_count_since(phone: str, since: datetime, *, excluding_id: int) -> int:
    """How many texts this phone sent since `since`, not counting the one at hand."""
    messages = Message.__table__.c  # a Core query: the SMS webhook's hot path
    return db.session.connection().scalar(select(func.count(messages.id)).where(
        messages.phone == phone, messages.direction == "in", messages.created_at >= since,
        messages.id != excluding_id,
    )) or 0


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
    db.session.connection().execute(
        update(Message.__table__).where(Message.__table__.c.id == message.id), values)
    for key, value in values.items():
        set_committed_value(message, key, value)


def commune_for_number(number: str | None) -> Commune | None:
    """The commune whose SMS number (or one of its SMS channels' SIMs) received the text;
    the only commune when there is one."""
    if number:
        commune = db.session.scalar(select(Commune).where(Commune.sms_number == number))
        if commune is not None:
            return commune
        from nghedan.services.sms_channels import commune_id_for_number

        commune_id = commune_id_for_number(number)
        if commune_id is not None:
            return db.session.get(Commune, commune_id)
    communes = db.session.scalars(select(Commune).limit(2)).all()
    return communes[0] if len(communes) == 1 else None


def joinable_item(phone: str, commune_id: int, since: datetime) -> Item | None:
    """The phone's SMS item that a further text continues (its last text came after `since`)."""
    items = Item.__table__.c  # the id by a Core query (usually there is none), then the item
    item_id = db.session.connection().scalar(
        select(items.id)
        .where(items.contact_phone == phone, items.commune_id == commune_id,
               items.channel == "sms", items.last_message_at >= since, items.status == "new")
        .order_by(items.last_message_at.desc())
        .limit(1)
    )
    return db.session.get(Item, item_id) if item_id is not None else None
