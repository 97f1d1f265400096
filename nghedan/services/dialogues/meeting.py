"""In the room: answers typed as the chairman speaks, outcomes, new items, closing."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import AgendaEntry, Dialogue, Item, utcnow
from nghedan.models.items import OUTCOMES
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.notice_issue import current_notice
from nghedan.services.items.history import audit, change_status, record_event
from nghedan.services.items.intake import create_item
from nghedan.text import nfc

MAX_ANSWER_LENGTH = 10000
MAX_MINUTES_LENGTH = 50000
MAX_BODY_LENGTH = 160
MAX_ATTENDEES_LENGTH = 4000
MAX_ATTENDANCE = 100000


def _require_open(dialogue: Dialogue) -> None:
    """Answers can be recorded in the room and corrected until the notice is issued, and
    again while a correction of it is drafted."""
    if dialogue.status == "cancelled":
        raise ValidationError(_l("Buổi đối thoại đã bị hủy."), code="cancelled")
    notice = current_notice(dialogue)
    status = notice.status if notice is not None else None
    if status == "awaiting_signature":
        raise ValidationError(
            _l("Thông báo kết luận đang chờ ký; trả lại dự thảo để sửa."), code="awaiting_signature"
        )
    if dialogue.notice_published_at is not None and status != "draft":
        raise ValidationError(
            _l("Thông báo kết luận đã ban hành, không sửa được nữa."), code="published"
        )


def answers_open(dialogue: Dialogue) -> bool:
    """Whether answers and outcomes may be changed now (meeting mode shows them editable)."""
    try:
        _require_open(dialogue)
    except ValidationError:
        return False
    return True


def _on_agenda(dialogue: Dialogue, item: Item) -> None:
    if item.dialogue_id != dialogue.id or not any(e.item_id == item.id for e in dialogue.agenda):
        raise ValidationError(_l("Ý kiến này không có trong chương trình."), code="not_on_agenda")


def save_answer(dialogue: Dialogue, item: Item, text: str) -> Item:
    """Keep the answer exactly as typed so far (called on every pause in typing)."""
    _require_open(dialogue)
    _on_agenda(dialogue, item)
    text = nfc(text or "")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValidationError(
            _l("Câu trả lời quá dài (tối đa %(n)s ký tự).", n=MAX_ANSWER_LENGTH),
            code="answer_too_long",
        )
    item.answer = text if text.strip() else None
    db.session.flush()
    return item


def set_outcome(
    dialogue: Dialogue,
    item: Item,
    outcome: str | None,
    *,
    answer: str | None = None,
    responsible: str | None = None,
    due_date: date | None = None,
    escalated_to: str | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Item:
    """Record how the dialogue answered an item, in one call (with the answer as last typed,
    when given); None clears it."""
    if answer is not None:
        save_answer(dialogue, item, answer)
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
    now = now or utcnow()
    if not (item.answer or "").strip():
        raise ValidationError(
            _l("Cần ghi nội dung trả lời trước khi chọn kết quả."), code="empty_answer"
        )
    if outcome == "commune_will_resolve":
        _check_promise(responsible, due_date, local(now).date())
    if outcome == "escalated" and not escalated_to:
        raise ValidationError(_l("Cần ghi cơ quan cấp trên được kiến nghị."), code="need_body")
    item.outcome = outcome
    item.answered_at = now
    item.responsible = responsible if outcome == "commune_will_resolve" else item.responsible
    item.due_date = due_date if outcome == "commune_will_resolve" else item.due_date
    if outcome == "escalated":
        item.escalated_to, item.escalated_at = escalated_to, now
    record_event(
        item,
        "outcome",
        actor="user",
        user_id=user_id,
        detail={"outcome": outcome, "dialogue_id": dialogue.id},
    )
    db.session.flush()
    return item


def _check_promise(responsible: str | None, due_date: date | None, today: date) -> None:
    if not (responsible and due_date):
        raise ValidationError(
            _l("Cần ghi người chịu trách nhiệm và thời hạn giải quyết."),
            code="need_owner_and_deadline",
        )
    if due_date < today:
        raise ValidationError(
            _l(
                "Thời hạn giải quyết %(due)s đã qua; cần ghi một ngày từ hôm nay trở đi.",
                due=due_date.strftime("%d/%m/%Y"),
            ),
            code="past_deadline",
        )


def _clean(value: str | None) -> str | None:
    value = nfc((value or "").strip())
    return value[:MAX_BODY_LENGTH] or None


def raise_in_room(
    dialogue: Dialogue,
    text: str,
    *,
    hamlet_id: int | None = None,
    category_code: str | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    legal_type: str = "opinion",
    user_id: int | None = None,
) -> AgendaEntry:
    """A resident's question raised at the meeting: a new item, straight onto the agenda."""
    _require_open(dialogue)
    if legal_type == "denunciation":
        raise ValidationError(
            _l("Đơn tố cáo được tiếp nhận riêng, không ghi vào buổi đối thoại."),
            code="denunciation_not_on_agenda",
        )
    if dialogue.status != "planned":
        raise ValidationError(_l("Buổi đối thoại đã kết thúc."), code="not_planned")
    if hamlet_id is None and len(dialogue.hamlets) == 1:
        hamlet_id = dialogue.hamlets[0].id
    item = create_item(
        commune_id=dialogue.commune_id,
        text=text,
        channel="admin",
        hamlet_id=hamlet_id,
        category_code=category_code or None,
        legal_type=legal_type,
        contact_phone=contact_phone,
        contact_name=contact_name,
        user_id=user_id,
    )
    change_status(item, "triaged", actor="user", user_id=user_id, note="Nêu tại buổi đối thoại")
    return assign_item(dialogue, item, user_id=user_id, raised_in_room=True)


def close_dialogue(
    dialogue: Dialogue,
    *,
    attendance: int | None,
    minutes: str,
    no_attendance_reason: str | None = None,
    attendees: str | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Mark the dialogue held with its attendance, who attended, and its minutes.

    Attendance is a count above zero, or None with the reason nobody counted. Items left
    without an outcome go back to the queue (and carry over to the hamlet's next dialogue).
    Returns how many went back.
    """
    if dialogue.status != "planned":
        raise ValidationError(_l("Buổi đối thoại này không thể kết thúc."), code="not_planned")
    now = now or utcnow()
    if local(now).date() < local(dialogue.starts_at).date():
        raise ValidationError(
            _l(
                "Chưa đến ngày đối thoại (%(date)s); chỉ kết thúc buổi đối thoại đã diễn ra.",
                date=local(dialogue.starts_at).strftime("%d/%m/%Y"),
            ),
            code="before_date",
        )
    reason = _attendance(attendance, no_attendance_reason)
    minutes = nfc((minutes or "").strip())
    attendees = nfc((attendees or "").strip())
    if len(minutes) > MAX_MINUTES_LENGTH:
        raise ValidationError(_l("Biên bản quá dài."), code="minutes_too_long")
    if len(attendees) > MAX_ATTENDEES_LENGTH:
        raise ValidationError(
            _l("Danh sách thành phần tham dự quá dài."), code="attendees_too_long"
        )
    dialogue.status = "held"
    dialogue.held_at = now
    dialogue.attendance = attendance
    dialogue.no_attendance_reason = reason
    dialogue.attendees = attendees or None
    dialogue.minutes = minutes or None
    back = _unanswered_back(dialogue, user_id)
    audit(
        "dialogue.close",
        user_id=user_id,
        commune_id=dialogue.commune_id,
        object_type="dialogue",
        object_id=dialogue.id,
        detail={"attendance": attendance, "unanswered": back},
    )
    return back


def _attendance(attendance: int | None, no_attendance_reason: str | None) -> str | None:
    """The reason kept when no attendance was recorded; refuses 0 and impossible counts."""
    reason = " ".join(nfc(no_attendance_reason or "").split())[:255]
    if attendance is None:
        if not reason:
            raise ValidationError(
                _l(
                    "Cần ghi số lượt người dân tham dự, hoặc chọn “Không "
                    "ghi nhận được số người dự” và nêu lý do."
                ),
                code="no_attendance_reason",
            )
        return reason
    if attendance == 0:
        raise ValidationError(
            _l(
                "Số người dự bằng 0: buổi đối thoại không có người dân dự "
                "thì không kết thúc được. Nếu không đếm được, chọn “Không "
                "ghi nhận được số người dự” và nêu lý do."
            ),
            code="zero_attendance",
        )
    if attendance < 0 or attendance > MAX_ATTENDANCE:
        raise ValidationError(_l("Số người dự không hợp lệ."), code="bad_attendance")
    return None


def _unanswered_back(dialogue: Dialogue, user_id: int | None) -> int:
    back = 0
    for entry in dialogue.agenda:
        item = entry.item
        if item.dialogue_id == dialogue.id and item.outcome is None and item.status == "scheduled":
            change_status(
                item,
                "triaged",
                actor="user",
                user_id=user_id,
                note="Chưa được trả lời tại buổi đối thoại",
            )
            back += 1
    return back


def attendees_prefill(dialogue: Dialogue) -> str:
    """What the close form's "who attended" box starts with: one line per body to name."""
    heads = [f"Trưởng ấp, Bí thư chi bộ {h.name}" for h in dialogue.hamlets]
    return "\n".join([f"Đại diện Ủy ban MTTQ Việt Nam {dialogue.commune.kind_word}", *heads])


def meeting_progress(dialogue: Dialogue) -> tuple[int, int]:
    """(answered, total) of the items on the agenda."""
    mine = [e.item for e in dialogue.agenda if e.item.dialogue_id == dialogue.id]
    return sum(1 for i in mine if i.outcome), len(mine)
