"""SMS channels: the ways a commune's texts come in and go out (Twilio, an Android phone, a
GSM modem), each with its SIM's carrier and the health the router and officials look at."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.places import Commune

KINDS = ("twilio", "android", "gammu", "zalo", "console")
CARRIERS = ("viettel", "vinaphone", "mobifone", "vietnamobile", "gmobile")


class SmsChannel(db.Model):
    """One configured channel. `settings` holds no secret: a secret setting names the
    environment variable (or instance setting) that holds it, e.g. `password_env`."""

    __tablename__ = "sms_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))  # None: any
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80), unique=True)
    phone_number: Mapped[str | None] = mapped_column(String(32))  # the SIM's number, E.164
    carrier: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    last_ping_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ping_status: Mapped[str | None] = mapped_column(String(16))  # the device's pass/warn/fail
    ping_detail: Mapped[dict | None] = mapped_column(JSON)  # e.g. battery level
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commune: Mapped[Commune | None] = relationship()

    def __repr__(self) -> str:
        return f"<SmsChannel {self.kind} {self.name}>"


class SmsChannelFailure(db.Model):
    """One failed send through a channel (counted per hour on the health page)."""

    __tablename__ = "sms_channel_failures"
    __table_args__ = (Index("ix_sms_channel_failures_channel_at", "channel_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("sms_channels.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    code: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
