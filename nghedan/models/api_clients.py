"""Systems that integrate through the Open311 API, each with its own key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.places import Commune


class ApiClient(db.Model):
    """An integrating system (e.g. a province's feedback portal) and the hash of its key.

    The key itself is shown once when created and never stored; `key_hash` is its SHA-256
    (the key is 256 random bits, so a slow hash adds nothing). A client bound to a commune
    may only post items there; an unbound one names the commune as `jurisdiction_id`.
    """

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(12))  # to recognise a key in logs
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune | None] = relationship()

    def __repr__(self) -> str:
        return f"<ApiClient {self.name}>"
