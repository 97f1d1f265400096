"""Communes and their hamlets."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nghedan.extensions import db

COMMUNE_KINDS = ("xa", "phuong", "dac_khu")
# How documents name each kind (Vietnamese whatever the reader's language: notices,
# invitations, loudspeaker texts and SMS are written in it); nghedan.i18n-aware surfaces
# translate the same words (nghedan.services.people.places.kind_label).
COMMUNE_KIND_WORDS = {"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu"}
HAMLET_KINDS = ("ap", "khom", "thon", "ban", "to_dan_pho")


class Commune(db.Model):
    __tablename__ = "communes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="xa")
    province: Mapped[str] = mapped_column(String(120), default="")
    sms_number: Mapped[str | None] = mapped_column(String(32))
    chairman_name: Mapped[str | None] = mapped_column(String(120))
    # The signing block of the conclusion notice varies between communes.
    notice_signing_authority: Mapped[str] = mapped_column(
        String(120), default="TM. ỦY BAN NHÂN DÂN"
    )
    notice_signing_title: Mapped[str] = mapped_column(String(120), default="CHỦ TỊCH")
    rotation_days: Mapped[int] = mapped_column(default=92)

    hamlets: Mapped[list[Hamlet]] = relationship(back_populates="commune", order_by="Hamlet.name")

    @property
    def kind_word(self) -> str:
        """`xã`, `phường` or `đặc khu`, as in `UBND phường`, `HĐND xã`."""
        return COMMUNE_KIND_WORDS.get(self.kind, "xã")

    @property
    def label(self) -> str:
        """`xã Tân Thạnh`, `phường 1`: how a commune is named in a sentence."""
        return f"{self.kind_word} {self.name}"

    def __repr__(self) -> str:
        return f"<Commune {self.code}>"


class Hamlet(db.Model):
    __tablename__ = "hamlets"
    __table_args__ = (UniqueConstraint("commune_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="ap")
    active: Mapped[bool] = mapped_column(default=True)
    # Bases of a dialogue's attendance rate (số hộ; người từ 18 tuổi); unknown until entered.
    households: Mapped[int | None] = mapped_column()
    adults: Mapped[int | None] = mapped_column()

    commune: Mapped[Commune] = relationship(back_populates="hamlets")

    def __repr__(self) -> str:
        return f"<Hamlet {self.name}>"
