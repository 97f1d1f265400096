"""In the room: answers typed as the chairman speaks, outcomes, new items, closing."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import AgendaEntry, Dialogue, Item, utcnow
from nghedan.models.items import OUTCOMES
from nghedan.services.agenda import assign_item
from nghedan.services.history import audit, change_status, record_event
from nghedan.services.intake import create_item
from nghedan.text import nfc

MAX_ANSWER_LENGTH = 10000
MAX_MINUTES_LENGTH = 50000
MAX_BODY_LENGTH = 160


def _require_open(dialogue: Dialogue) -> None:
    """Answers can be recorded in the room and corrected until the notice is published."""
    if dialogue.status == "cancelled":
        raise ValidationError(_l("Buổi đối thoại đã bị hủy."), code="cancelled")
    if dialogue.notice_published_at is not None:
        raise ValidationError(_l("Thông báo kết luận đã ban hành, không sửa được nữa."),
                              code="published")


def _on_agenda(dialogue: Dialogue, item: Item) -> None:
    if item.dialogue_id != dialogue.id or not any(e.item_id == item.id for e in dialogue.agenda):
        raise ValidationError(_l("Ý kiến này không có trong chương trình."), code="not_on_agenda")


def save_answer(dialogue: Dialogue, item: Item, text: str) -> Item:
    """Keep the answer exactly as typed so far (called on every pause in typing)."""
    _require_open(dialogue)
    _on_agenda(dialogue, item)
    text = nfc(text or "")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValidationError(_l("Câu trả lời quá dài (tối đa %(n)s ký tự).", n=MAX_ANSWER_LENGTH),
                              code="answer_too_long")
    item.answer = text if text.strip() else None
    db.session.flush()
    return item


def set_outcome(dialogue: Dialogue, item: Item, outcome: str | None, *,
                responsible: str | None = None, due_date: date | None = None,
                escalated_to: str | None = None, user_id: int | None = None,
                now: datetime | None = None) -> Item:
    """Record how the dialogue answered an item, in one call; None clears it."""
    _require_open(dialogue)
    _on_agenda(dialogue, item)
    if outcome is None:
        item.outcome = item.answered_at = None
        record_event(item, "outcome_cleared", actor="user", user_id=user_id)
        return item
    if outcome not in OUTCOMES:
        raise ValidationError(_l("Kết quả không hợp lệ."), code="bad_outcome")
    responsible = _clean(responsible)
    escalated_to = _clean(escalated_to)
    if outcome == "commune_will_resolve" and not (responsible and due_date):
        raise ValidationError(_l("Cần ghi người chịu trách nhiệm và thời hạn giải quyết."),
                              code="need_owner_and_deadline")
    if outcome == "escalated" and not escalated_to:
        raise ValidationError(_l("Cần ghi cơ quan cấp trên được kiến nghị."), code="need_body")
    now = now or utcnow()
    item.outcome = outcome
    item.answered_at = now
    item.responsible = responsible if outcome == "commune_will_resolve" else item.responsible
    item.due_date = due_date if outcome == "commune_will_resolve" else item.due_date
    if outcome == "escalated":
        item.escalated_to, item.escalated_at = escalated_to, now
    record_event(item, "outcome", actor="user", user_id=user_id,
                 detail={"outcome": outcome, "dialogue_id": dialogue.id})
    db.session.flush()
    return item


def _clean(value: str | None) -> str | None:
    value = nfc((value or "").strip())
    return value[:MAX_BODY_LENGTH] or None


def raise_in_room(dialogue: Dialogue, text: str, *, hamlet_id: int | None = None,
                  category_code: str | None = None, contact_name: str | None = None,
                  contact_phone: str | None = None, legal_type: str = "opinion",
                  user_id: int | None = None) -> AgendaEntry:
    """A resident's question raised at the meeting: a new item, straight onto the agenda."""
    _require_open(dialogue)
    if legal_type == "denunciation":
        raise ValidationError(_l("Đơn tố cáo được tiếp nhận riêng, không ghi vào buổi đối thoại."),
                              code="denunciation_not_on_agenda")
    if dialogue.status != "planned":
        raise ValidationError(_l("Buổi đối thoại đã kết thúc."), code="not_planned")
    if hamlet_id is None and len(dialogue.hamlets) == 1:
        hamlet_id = dialogue.hamlets[0].id
    item = create_item(commune_id=dialogue.commune_id, text=text, channel="admin",
                       hamlet_id=hamlet_id, category_code=category_code or None,
                       legal_type=legal_type, contact_phone=contact_phone,
                       contact_name=contact_name, user_id=user_id)
    change_status(item, "triaged", actor="user", user_id=user_id, note="Nêu tại buổi đối thoại")
    return assign_item(dialogue, item, user_id=user_id, raised_in_room=True)


def close_dialogue(dialogue: Dialogue, *, attendance: int, minutes: str,
                   user_id: int | None = None, now: datetime | None = None) -> int:
    """Mark the dialogue held with its attendance and minutes.

    Items left without an outcome go back to the queue (and carry over to the hamlet's
    next dialogue). Returns how many went back.
    """
    if dialogue.status != "planned":
        raise ValidationError(_l("Buổi đối thoại này không thể kết thúc."), code="not_planned")
    if attendance is None or attendance < 0 or attendance > 100000:
        raise ValidationError(_l("Số người dự không hợp lệ."), code="bad_attendance")
    minutes = nfc((minutes or "").strip())
    if len(minutes) > MAX_MINUTES_LENGTH:
        raise ValidationError(_l("Biên bản quá dài."), code="minutes_too_long")
    dialogue.status = "held"
    dialogue.held_at = now or utcnow()
    dialogue.attendance = attendance
    dialogue.minutes = minutes or None
    back = 0
    for entry in dialogue.agenda:
        item = entry.item
        if item.dialogue_id == dialogue.id and item.outcome is None and item.status == "scheduled":
            change_status(item, "triaged", actor="user", user_id=user_id,
                          note="Chưa được trả lời tại buổi đối thoại")
            back += 1
    audit("dialogue.close", user_id=user_id, commune_id=dialogue.commune_id,
          object_type="dialogue", object_id=dialogue.id,
          detail={"attendance": attendance, "unanswered": back})
    return back


def meeting_progress(dialogue: Dialogue) -> tuple[int, int]:
    """(answered, total) of the items on the agenda."""
    mine = [e.item for e in dialogue.agenda if e.item.dialogue_id == dialogue.id]
    return sum(1 for i in mine if i.outcome), len(mine)
