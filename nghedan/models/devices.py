"""Registered touchscreen kiosks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.places import Commune


class Kiosk(db.Model):
    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # Hashes only: the one-time enrollment token and the long-lived device token.
    enrollment_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    device_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ignored_ratings: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commune: Mapped[Commune] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.enrolled_at is not None

    def __repr__(self) -> str:
        return f"<Kiosk {self.name}>"
