"""Residents' ratings of officers on the four-level public-service scale."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.people import Officer

# 1 = rất hài lòng … 4 = không hài lòng (the order SMS users type).
SCORES = (1, 2, 3, 4)
LOW_SCORES = (3, 4)
REASONS = ("attitude", "slow", "unclear_guidance", "extra_papers", "harassment")


class Rating(db.Model):
    __tablename__ = "ratings"
    __table_args__ = (
        Index("ix_ratings_officer_created", "officer_id", "created_at"),
        Index("ix_ratings_commune_created", "commune_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    score: Mapped[int] = mapped_column()
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(10))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"))
    phone: Mapped[str | None] = mapped_column(String(32))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    client_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    officer: Mapped[Officer] = relationship()
    item = relationship("Item")
    kiosk = relationship("Kiosk")

    def __repr__(self) -> str:
        return f"<Rating {self.officer_id}:{self.score}>"
