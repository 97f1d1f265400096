"""Officers who serve residents, admin-panel users, and residents' phone contacts."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.places import Commune

ROLES = ("admin", "officer", "supervisor")


class Officer(db.Model):
    """A cán bộ, công chức; `code` is the short number printed on their desk."""

    __tablename__ = "officers"
    __table_args__ = (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    desk: Mapped[str] = mapped_column(String(120), default="")
    photo_path: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)

    commune: Mapped[Commune] = relationship()

    def __repr__(self) -> str:
        return f"<Officer {self.code} {self.name}>"


supervisor_communes = Table(
    "supervisor_communes",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("commune_id", ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    """An official who logs in to the admin panel."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Changes on every password change, so every other session of this user ends.
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commune: Mapped[Commune | None] = relationship()
    supervised_communes: Mapped[list[Commune]] = relationship(secondary=supervisor_communes)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: the epoch invalidates old sessions
        return f"{self.id}:{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class Contact(db.Model):
    """A resident's phone number: opt-out state and preferred language."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), unique=True)  # E.164
    language: Mapped[str] = mapped_column(String(8), default="vi")
    opted_out: Mapped[bool] = mapped_column(default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Contact {self.id}>"
