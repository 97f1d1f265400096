"""Dialogues (buổi tiếp xúc, đối thoại) and their agendas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.items import Item
from nghedan.models.people import Officer
from nghedan.models.places import Commune, Hamlet

DIALOGUE_KINDS = ("dialogue", "voters", "thematic")
DIALOGUE_STATUSES = ("planned", "held", "cancelled")

dialogue_hamlets = Table(
    "dialogue_hamlets",
    db.metadata,
    Column("dialogue_id", ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True),
    Column("hamlet_id", ForeignKey("hamlets.id", ondelete="CASCADE"), primary_key=True),
)

dialogue_officials = Table(
    "dialogue_officials",
    db.metadata,
    Column("dialogue_id", ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
)


class Dialogue(db.Model):
    __tablename__ = "dialogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="dialogue")
    title: Mapped[str] = mapped_column(String(255), default="")
    place: Mapped[str] = mapped_column(String(255))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    chair_name: Mapped[str] = mapped_column(String(120), default="")
    chair_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    status: Mapped[str] = mapped_column(String(12), default="planned")
    attendance: Mapped[int | None] = mapped_column()
    minutes: Mapped[str | None] = mapped_column(Text)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_reason: Mapped[str | None] = mapped_column(String(255))
    notice_number: Mapped[str | None] = mapped_column(String(40))
    notice_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invitations_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Officials were reminded that the conclusion notice is overdue.
    notice_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commune: Mapped[Commune] = relationship()
    hamlets: Mapped[list[Hamlet]] = relationship(secondary=dialogue_hamlets)
    officials: Mapped[list[Officer]] = relationship(secondary=dialogue_officials)
    chair_officer: Mapped[Officer | None] = relationship(foreign_keys=[chair_officer_id])
    agenda: Mapped[list[AgendaEntry]] = relationship(
        back_populates="dialogue", order_by="AgendaEntry.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Dialogue {self.id} {self.status}>"


class AgendaEntry(db.Model):
    """An item on a dialogue's agenda, in the order officials chose."""

    __tablename__ = "agenda_entries"
    __table_args__ = (UniqueConstraint("dialogue_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    carried_over: Mapped[bool] = mapped_column(default=False)
    raised_in_room: Mapped[bool] = mapped_column(default=False)
    # Not discussed again: the commune reports back on an item still open from before.
    report_back: Mapped[bool] = mapped_column(default=False, server_default=false())
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dialogue: Mapped[Dialogue] = relationship(back_populates="agenda")
    item: Mapped[Item] = relationship()
