"""The kiosk's spoken prompts, recorded by the commune: one per screen and language, and the
prompts-only languages a commune adds (Thái, H'Mông…) beside Vietnamese and English."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow


class KioskLanguage(db.Model):
    """A language the kiosk speaks in recorded prompts only (its screens stay Vietnamese)."""

    __tablename__ = "kiosk_languages"
    __table_args__ = (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    code: Mapped[str] = mapped_column(String(24))  # "thai", "hmong": a slug of the name
    name: Mapped[str] = mapped_column(String(40))  # as written on its button: "Tiếng Thái"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KioskPrompt(db.Model):
    """A screen's prompt in one language: a sound file under RECORDING_DIR/prompts."""

    __tablename__ = "kiosk_prompts"
    __table_args__ = (UniqueConstraint("commune_id", "screen", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    screen: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(24))  # "vi", "en" or a KioskLanguage code
    content_type: Mapped[str] = mapped_column(String(40))
    storage_path: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    duration_ms: Mapped[int] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
