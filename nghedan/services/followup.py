"""Follow-up of what dialogues promised, and the reminder when a notice is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import Dialogue, Item, utcnow
from nghedan.services import dialogue_sms
from nghedan.services.history import audit, change_status
from nghedan.text import nfc

MAX_NOTE_LENGTH = 2000


@dataclass(frozen=True)
class Promise:
    """One item still owed to a resident: the commune's own work, or a higher body's reply."""

    item: Item
    kind: str  # "commune" or "escalated"
    owner: str
    deadline: date | None
    since: datetime | None
    overdue: bool


def promises(commune_ids: list[int], today: date | None = None) -> list[Promise]:
    """Everything promised and not done: commune work (overdue first), then escalations."""
    today = today or local(utcnow()).date()
    commune_items = db.session.scalars(
        select(Item).where(Item.commune_id.in_(commune_ids), Item.status == "answered",
                           Item.outcome == "commune_will_resolve")
        .order_by(Item.due_date, Item.id)
    ).all()
    escalated = db.session.scalars(
        select(Item).where(Item.commune_id.in_(commune_ids), Item.status == "escalated")
        .order_by(Item.escalated_at, Item.id)
    ).all()
    own = [Promise(i, "commune", i.responsible or "", i.due_date, i.answered_at,
                   bool(i.due_date and i.due_date < today)) for i in commune_items]
    own.sort(key=lambda p: (not p.overdue, p.deadline or date.max, p.item.id))
    higher = [Promise(i, "escalated", i.escalated_to or "", None, i.escalated_at, False)
              for i in escalated]
    return own + higher


def complete(item: Item, note: str, *, user_id: int | None = None,
             now: datetime | None = None) -> int:
    """Mark a promise kept (or the higher body's reply received); the resident is told.

    Returns how many SMS were queued.
    """
    kept = item.status == "answered" and item.outcome == "commune_will_resolve"
    replied = item.status == "escalated"
    if not (kept or replied):
        raise ValidationError(_l("Ý kiến này không nằm trong danh sách theo dõi."),
                              code="not_followed_up")
    note = nfc((note or "").strip())
    if replied and not note:
        raise ValidationError(_l("Cần ghi nội dung trả lời của cấp trên."), code="empty_note")
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(_l("Nội dung quá dài."), code="note_too_long")
    item.completed_at = now or utcnow()
    item.completion_note = note or None
    change_status(item, "closed", actor="user", user_id=user_id,
                  note=("Cấp trên đã trả lời: " if replied else "Đã giải quyết xong: ") + note)
    return dialogue_sms.tell_completed(item)


def overdue_notices(commune_ids: list[int], now: datetime | None = None,
                    days: int | None = None) -> list[Dialogue]:
    """Held dialogues whose conclusion notice is still unpublished after `days`."""
    now = now or utcnow()
    days = int(current_app.config["DIALOGUE_NOTICE_REMINDER_DAYS"]) if days is None else days
    return list(db.session.scalars(
        select(Dialogue)
        .where(Dialogue.commune_id.in_(commune_ids), Dialogue.status == "held",
               Dialogue.notice_published_at.is_(None),
               Dialogue.held_at <= now - timedelta(days=days))
        .order_by(Dialogue.held_at)
    ))


def remind_overdue_notices(now: datetime | None = None) -> list[Dialogue]:
    """Once per dialogue, record a reminder that its notice is overdue (shown to officials).

    The admin panel shows every overdue notice on the dialogue and follow-up pages; the
    audit log keeps when officials were reminded.
    """
    now = now or utcnow()
    days = int(current_app.config["DIALOGUE_NOTICE_REMINDER_DAYS"])
    due = db.session.scalars(
        select(Dialogue)
        .where(Dialogue.status == "held", Dialogue.notice_published_at.is_(None),
               Dialogue.notice_reminded_at.is_(None),
               Dialogue.held_at <= now - timedelta(days=days))
        .order_by(Dialogue.id)
        .with_for_update(skip_locked=True)
    ).all()
    for dialogue in due:
        dialogue.notice_reminded_at = now
        audit("dialogue.notice_overdue", commune_id=dialogue.commune_id,
              object_type="dialogue", object_id=dialogue.id, detail={"days": days})
    db.session.flush()
    return list(due)
