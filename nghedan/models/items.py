"""Residents' items (ý kiến, kiến nghị, phản ánh…), their categories and history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db
from nghedan.models.base import UTCDateTime, utcnow
from nghedan.models.places import Commune, Hamlet

CHANNELS = ("sms", "zalo", "kiosk", "admin", "api")
# Channels a resident writes on in several messages: a further one within a few minutes
# joins their item (sms_gateway.actions), so these items remember their last message.
CONVERSATION_CHANNELS = ("sms", "zalo")
# How an item entered at the commune ("admin" channel) reached the office.
INTAKE_METHODS = ("letter", "phone", "walk_in")
STATUSES = (
    "new",
    "triaged",
    "scheduled",
    "answered",
    "closed",
    "forwarded",
    "escalated",
    "duplicate",
    "rejected",
)
OPEN_STATUSES = ("new", "triaged", "scheduled", "forwarded", "escalated")
# Legal type decides the procedure: complaints and denunciations have their own laws.
LEGAL_TYPES = ("opinion", "complaint", "denunciation", "question")
# How a dialogue answered an item (the three lists of the conclusion notice, plus "explained").
OUTCOMES = ("resolved", "commune_will_resolve", "escalated", "explained")


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))  # Vietnamese
    name_en: Mapped[str] = mapped_column(String(120))
    icon: Mapped[str] = mapped_column(String(40), default="")
    target_days: Mapped[int] = mapped_column(default=15)
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Category {self.code}>"


class Item(db.Model):
    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_commune_created", "commune_id", "created_at", "id"),
        Index("ix_items_commune_status_created", "commune_id", "status", "created_at", "id"),
        Index("ix_items_contact_phone_last_message", "contact_phone", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(12), unique=True)
    channel: Mapped[str] = mapped_column(String(10))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    legal_type: Mapped[str] = mapped_column(String(16), default="opinion")
    text: Mapped[str] = mapped_column(Text)
    # Folded copy (no diacritics, lower case) for matching and search.
    text_folded: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="new")
    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogues.id"), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(24))
    # Who must act: an officer of the commune (figures per officer), or in `responsible`
    # alone the name of an outside body; with an officer, `responsible` holds their name.
    responsible: Mapped[str | None] = mapped_column(String(160))
    responsible_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id"), index=True
    )
    due_date: Mapped[date | None] = mapped_column(Date)
    # Who must act when forwarded (a department) or escalated (a higher body).
    forwarded_to: Mapped[str | None] = mapped_column(String(160))
    escalated_to: Mapped[str | None] = mapped_column(String(160))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Follow-up of a promise: when the commune finished it, or the higher body replied.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_note: Mapped[str | None] = mapped_column(Text)
    # Entered at the commune: letter, phone call or walk-in, and whether the resident agreed
    # to be contacted (None: never asked, as for SMS where the resident wrote first).
    intake_method: Mapped[str | None] = mapped_column(String(12))
    contact_consent: Mapped[bool | None] = mapped_column()
    flagged: Mapped[bool] = mapped_column(default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(160))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"))
    # A surface's idempotency key: the same key never makes a second item.
    client_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Last time a resident's text was added (SMS split over several texts joins one item).
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A spoken item's summary, written by the official who listened (search, notice use it).
    summary: Mapped[str | None] = mapped_column(Text)

    commune: Mapped[Commune] = relationship()
    hamlet: Mapped[Hamlet | None] = relationship()
    category: Mapped[Category | None] = relationship()
    dialogue = relationship("Dialogue", foreign_keys=[dialogue_id])
    duplicate_of: Mapped[Item | None] = relationship(remote_side=[id])
    kiosk = relationship("Kiosk")
    responsible_officer = relationship("Officer")
    attachments: Mapped[list[ItemAttachment]] = relationship(
        back_populates="item",
        order_by="ItemAttachment.id",
        cascade="all, delete-orphan",
        lazy="select",
    )
    events: Mapped[list[ItemEvent]] = relationship(
        back_populates="item", order_by="ItemEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_denunciation(self) -> bool:
        """Denunciations (tố cáo): never on a public agenda, sender kept confidential."""
        return self.legal_type == "denunciation"

    def __repr__(self) -> str:
        return f"<Item {self.tracking_code} {self.status}>"


class ItemEvent(db.Model):
    """One change to an item: who, when, what and why."""

    __tablename__ = "item_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(40))  # "sms", "kiosk", "system", "user"
    kind: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict | None] = mapped_column(JSON)

    item: Mapped[Item] = relationship(back_populates="events")
    user = relationship("User")


class ItemAttachment(db.Model):
    """A file kept with the item: evidence that it was resolved (a photo or a document), or
    the resident's spoken opinion (kind "voice").

    Evidence is stored in the database, so every host serves it and backups hold it; a
    recording lives in RECORDING_DIR (`storage_path`, its SHA-256 and duration here) and
    `nghedan backup` bundles the files.
    """

    __tablename__ = "item_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16), default="evidence", server_default="evidence")
    storage_path: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64))
    duration_ms: Mapped[int | None] = mapped_column()

    item: Mapped[Item] = relationship(back_populates="attachments")

    @property
    def is_voice(self) -> bool:
        return self.kind == "voice"
