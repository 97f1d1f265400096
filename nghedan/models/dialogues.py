"""Dialogues (buổi tiếp xúc, đối thoại) and their agendas."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.items import Item
from nghedan.models.people import Officer
from nghedan.models.places import Commune, Hamlet

DIALOGUE_KINDS = ("dialogue", "voters", "thematic")
DIALOGUE_STATUSES = ("planned", "held", "cancelled")
# Who chairs a dialogue and signs its notice: the Chairman, or a Vice-chairman for him.
CHAIR_ROLES = ("chairman", "vice_chairman")
NOTICE_STATUSES = ("draft", "awaiting_signature", "issued", "replaced")

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
    chair_role: Mapped[str | None] = mapped_column(String(16), default="chairman")
    # Who attended besides residents (Mặt trận, hamlet head, departments), one per line.
    attendees: Mapped[str | None] = mapped_column(Text)
    # Set instead of attendance when nobody could count the residents, with the reason.
    no_attendance_reason: Mapped[str | None] = mapped_column(String(255))
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
        back_populates="dialogue",
        order_by="AgendaEntry.position",
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
    # The question as the conclusion notice states it (tóm tắt ý kiến), edited by the clerk.
    summary: Mapped[str | None] = mapped_column(Text)
    # Not discussed again: the commune reports back on an item still open from before.
    report_back: Mapped[bool] = mapped_column(default=False, server_default=false())
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dialogue: Mapped[Dialogue] = relationship(back_populates="agenda")
    item: Mapped[Item] = relationship()


class ConclusionNotice(db.Model):
    """One conclusion notice of a dialogue; a correction is a new row replacing the old."""

    __tablename__ = "conclusion_notices"
    __table_args__ = (UniqueConstraint("commune_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), index=True
    )
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_role: Mapped[str] = mapped_column(String(16), default="chairman")
    # The number from the commune's outgoing-document register, unique in its year.
    year: Mapped[int | None] = mapped_column()
    number: Mapped[int | None] = mapped_column()
    symbol: Mapped[str] = mapped_column(String(40), default="TB-UBND")
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The notice's text as issued, so a later correction never changes what was signed.
    content: Mapped[dict | None] = mapped_column(JSON)
    # The signed and sealed scan (PDF or JPEG).
    scan: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    scan_type: Mapped[str | None] = mapped_column(String(40))
    scan_name: Mapped[str | None] = mapped_column(String(255))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("conclusion_notices.id"))
    correction_reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dialogue: Mapped[Dialogue] = relationship()
    replaces: Mapped[ConclusionNotice | None] = relationship(remote_side=[id])

    @property
    def number_text(self) -> str:
        """`15/TB-UBND`, or the blank of a draft: `     /TB-UBND`."""
        return f"{self.number if self.number else '     '}/{self.symbol}"
