"""Dialogue pages for the meeting and after: meeting mode, closing, notice, follow-up."""

from __future__ import annotations

from datetime import date

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import (
    ANY_ROLE,
    EDITORS,
    chosen_commune,
    load_dialogue,
    load_item,
    require_role,
    shown_name,
    shown_phone,
    visible_commune_ids,
)
from nghedan.errors import DomainError
from nghedan.formatting import fmt_datetime, parse_day
from nghedan.models import utcnow
from nghedan.refusals import on_refusal
from nghedan.services.dialogues import agenda, followup
from nghedan.services.dialogues import meeting as room
from nghedan.services.items.categories import ordered_categories

# Bodies a commune usually escalates to, offered as suggestions.
HIGHER_BODIES = (
    "UBND tỉnh",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Tài chính",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Công an tỉnh",
    "Bộ, ngành Trung ương",
)


def _entries(dialogue):
    return [e for e in agenda.in_meeting_order(dialogue) if e.item.dialogue_id == dialogue.id]


@require_role(*ANY_ROLE)
def meeting(dialogue_id: int):
    """Meeting mode: one item at a time (`?n=`), the answer saved as it is typed."""
    dialogue = load_dialogue(dialogue_id)
    entries = _entries(dialogue)
    n = request.args.get("n", type=int)
    if n is None:  # start at the first item still without an outcome
        n = next((i for i, e in enumerate(entries, 1) if not e.item.outcome), 1)
    n = min(max(n, 1), max(len(entries), 1))
    current = entries[n - 1] if entries else None
    return render_template(
        "admin/dialogues/meeting.html",
        dialogue=dialogue,
        entries=entries,
        n=n,
        current=current,
        progress=room.meeting_progress(dialogue),
        categories=ordered_categories(),
        bodies=HIGHER_BODIES,
        can_edit=current_user.role in EDITORS and room.answers_open(dialogue),
        resident=lambda item: shown_name(current_user, item.contact_name),
    )


@require_role(*EDITORS)
def save_answer(dialogue_id: int, item_id: int):
    """Autosave from meeting mode (fetch or sendBeacon): JSON in reply."""
    dialogue = load_dialogue(dialogue_id)
    # A refusal answers {"error", "code"} with 422 (the page asks for JSON).
    room.save_answer(dialogue, load_item(item_id), request.form.get("answer", ""))
    return jsonify(saved=True, at=fmt_datetime(utcnow()))


def _due_date() -> date | None:
    raw = request.form.get("due_date", "").strip()
    try:
        return parse_day(raw)
    except ValueError:
        return None


@require_role(*EDITORS)
def set_outcome(dialogue_id: int, item_id: int):
    """One click: the answer as typed plus its outcome; then on to the next item."""
    dialogue = load_dialogue(dialogue_id)
    item = load_item(item_id)
    n = request.form.get("n", type=int) or 1
    outcome = request.form.get("outcome") or None
    room.set_outcome(
        dialogue,
        item,
        outcome,
        answer=request.form.get("answer"),
        responsible=request.form.get("responsible"),
        due_date=_due_date(),
        escalated_to=request.form.get("escalated_to"),
        user_id=current_user.id,
    )
    return redirect(
        url_for("admin.dialogue_meeting", dialogue_id=dialogue.id, n=n + 1 if outcome else n)
    )


@require_role(*EDITORS)
def raise_item(dialogue_id: int):
    """A question raised in the room, entered in seconds; meeting mode opens on it."""
    dialogue = load_dialogue(dialogue_id)
    form = request.form
    room.raise_in_room(
        dialogue,
        form.get("text", ""),
        hamlet_id=form.get("hamlet_id", type=int) or None,
        category_code=form.get("category") or None,
        contact_name=form.get("contact_name"),
        contact_phone=form.get("contact_phone"),
        legal_type=form.get("legal_type", "opinion"),
        user_id=current_user.id,
    )
    entries = _entries(dialogue)
    n = next(
        (
            i
            for i, e in enumerate(entries, 1)
            if e.raised_in_room and not e.item.outcome and e.item.answer is None
        ),
        len(entries),
    )
    flash(_("Đã ghi ý kiến mới."), "info")
    return redirect(url_for("admin.dialogue_meeting", dialogue_id=dialogue.id, n=n))


@require_role(*ANY_ROLE)
def close(dialogue_id: int):
    """Close the dialogue with its attendance and minutes."""
    dialogue = load_dialogue(dialogue_id)
    if request.method == "POST" and current_user.role in EDITORS:
        on_refusal(lambda error: _close_page(dialogue_id, error))
        form = request.form
        none_counted = form.get("no_attendance") == "1"
        back = room.close_dialogue(
            dialogue,
            attendance=None if none_counted else form.get("attendance", type=int),
            no_attendance_reason=form.get("no_attendance_reason") if none_counted else None,
            attendees=form.get("attendees", ""),
            minutes=form.get("minutes", ""),
            user_id=current_user.id,
        )
        flash(
            _("Buổi đối thoại đã kết thúc.")
            + (" " + _("%(n)d ý kiến chưa được trả lời trở lại hàng chờ.", n=back) if back else ""),
            "info",
        )
        return redirect(url_for("admin.dialogue_notice", dialogue_id=dialogue.id))
    return _close_page(dialogue_id)


def _close_page(dialogue_id: int, error: DomainError | None = None) -> str:
    """The closing form; a refused one again with its message (what was typed stays)."""
    if error is not None:
        flash(error.message, "error")
    dialogue = load_dialogue(dialogue_id)
    return render_template(
        "admin/dialogues/close.html",
        dialogue=dialogue,
        progress=room.meeting_progress(dialogue),
        attendees=room.attendees_prefill(dialogue),
    )


@require_role(*ANY_ROLE)
def followup_list():
    """Everything promised and not yet done, overdue first; overdue notices on top."""
    commune = chosen_commune()
    return render_template(
        "admin/dialogues/followup.html",
        commune=commune,
        promises=followup.promises([commune.id]),
        overdue=followup.overdue_notices(visible_commune_ids(current_user)),
        can_edit=current_user.role in EDITORS,
        phone=lambda item: shown_phone(current_user, item.contact_phone, item=item),
    )


@require_role(*EDITORS)
def followup_done(item_id: int):
    item = load_item(item_id)
    sent = followup.complete(item, request.form.get("note", ""), user_id=current_user.id)
    flash(
        _(
            "Đã ghi nhận hoàn thành ý kiến mã %(code)s; %(n)d tin nhắn báo người dân.",
            code=item.tracking_code,
            n=sent,
        ),
        "info",
    )
    return redirect(url_for("admin.followup", commune=item.commune_id))
