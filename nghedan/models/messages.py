"""Every SMS in and out; outgoing ones wait here as the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow

DIRECTIONS = ("in", "out")
# Outgoing: queued → sending → sent → delivered, or failed / skipped (opted out).
OUT_STATUSES = ("queued", "sending", "sent", "delivered", "undelivered", "failed", "skipped")
# Incoming: received (waiting for the worker) → processed, or flagged when not answered
# (e.g. flood from one phone, or processing failed every attempt).
IN_STATUSES = ("received", "processed", "flagged")


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_id"),
        Index("ix_messages_outbox", "direction", "status", "next_attempt_at"),
        Index("ix_messages_phone_created", "phone", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    channel: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))  # the resident's side, E.164 when a phone
    service_number: Mapped[str | None] = mapped_column(String(32))  # our side
    body: Mapped[str] = mapped_column(Text)
    parts: Mapped[int] = mapped_column(default=1)
    encoding: Mapped[str] = mapped_column(String(8), default="GSM-7")
    status: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24), default="reply")
    error_code: Mapped[str | None] = mapped_column(String(16))
    error_message: Mapped[str | None] = mapped_column(Text)
    flagged: Mapped[bool] = mapped_column(default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(160))
    # The reply given to an inbound message, so a repeated delivery gets the same answer.
    reply_body: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list | None] = mapped_column(JSON)  # e.g. a Zalo image: type and URL
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    # The configured SMS channel an inbound text came in on (its reply prefers it).
    sms_channel_id: Mapped[int | None] = mapped_column(ForeignKey("sms_channels.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    item = relationship("Item")

    def __repr__(self) -> str:
        return f"<Message {self.direction} {self.id} {self.status}>"
