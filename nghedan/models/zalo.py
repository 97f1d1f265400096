"""Zalo Official Account: one OA per channel with its rotating tokens, and the Zalo users who
wrote to it (linked to a phone once they share one, so SMS and Zalo are one history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.sms_channels import SmsChannel


class ZaloAccount(db.Model):
    """The OA behind one `SmsChannel` of kind "zalo". The secret key and tokens are kept
    here (the tokens rotate, so they can't live in the environment) and never shown back."""

    __tablename__ = "zalo_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("sms_channels.id", ondelete="CASCADE"), unique=True
    )
    app_id: Mapped[str] = mapped_column(String(32))
    oa_id: Mapped[str] = mapped_column(String(32), unique=True)
    secret_key: Mapped[str] = mapped_column(String(128))
    access_token: Mapped[str | None] = mapped_column(Text)
    refresh_token: Mapped[str | None] = mapped_column(Text)
    access_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A worker spending the refresh token holds this lease; others wait for its outcome.
    refresh_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refresh_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refresh_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    channel: Mapped[SmsChannel] = relationship()

    def __repr__(self) -> str:
        return f"<ZaloAccount {self.oa_id}>"


class ZaloUser(db.Model):
    """A resident on Zalo, as one OA knows them (ids are the OA-scoped user ids, as text)."""

    __tablename__ = "zalo_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("zalo_accounts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164, once they share it
    following: Mapped[bool] = mapped_column(default=True)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # opens the window
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (db.UniqueConstraint("account_id", "user_id"),)

    def __repr__(self) -> str:
        return f"<ZaloUser {self.user_id}>"
