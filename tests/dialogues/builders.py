"""Test data for dialogues: a commune with officers, a planned dialogue, scheduled items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nghedan.extensions import db
from nghedan.services.dialogues import DialogueInput, create_dialogue
from nghedan.services.history import change_status
from tests.factories import make_item

# A fixed "now": Monday 23 November 2026, 09:00 in Vietnam.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def dialogue_input(commune, *, days: float = 7, hamlets=None, **kw) -> DialogueInput:
    hamlets = hamlets if hamlets is not None else commune.hamlets[:1]
    return DialogueInput(
        kind=kw.pop("kind", "dialogue"),
        place=kw.pop("place", "Nhà văn hóa ấp Tân Phú"),
        starts_at=kw.pop("starts_at", NOW + timedelta(days=days, hours=5)),
        hamlet_ids=tuple(h.id for h in hamlets),
        chair_name=kw.pop("chair_name", "Nguyễn Văn Bình"),
        **kw,
    )


def make_dialogue(commune, *, days: float = 7, hamlets=None, **kw):
    return create_dialogue(commune.id, dialogue_input(commune, days=days, hamlets=hamlets, **kw))


def triaged_item(commune, text="Đường ấp Tân Phú bị ngập nước.", *, phone="0912345678",
                 category="roads", hamlet=None, **kw):
    item = make_item(commune, text, contact_phone=phone, category_code=category,
                     hamlet_id=(hamlet or commune.hamlets[0]).id, **kw)
    change_status(item, "triaged")
    db.session.flush()
    return item


def outbox(db_session, kind=None):
    from sqlalchemy import select

    from nghedan.models import Message

    query = select(Message).where(Message.direction == "out").order_by(Message.id)
    if kind:
        query = query.where(Message.kind == kind)
    return list(db_session.scalars(query))
