"""Follow-up: what dialogues promised, who is responsible and by when, progress notes,
resolving with a note of what was done (and evidence), and the overdue-notice reminder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.collation import person_sort_key
from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.formatting import fmt_date, local
from nghedan.models import Dialogue, Item, Officer, utcnow
from nghedan.models.items import OPEN_STATUSES
from nghedan.services.dialogues import agenda
from nghedan.services.dialogues import sms as dialogue_sms
from nghedan.services.items.evidence import Evidence, attach_evidence
from nghedan.services.items.history import audit, change_status, record_event
from nghedan.text import collapse_spaces, nfc

MAX_NOTE_LENGTH = 2000
# An item can be resolved from any of these (answered: a dialogue's promise still owed).
RESOLVABLE = ("new", "triaged", "scheduled", "answered", "forwarded", "escalated")


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
        select(Item)
        .where(
            Item.commune_id.in_(commune_ids),
            Item.status == "answered",
            Item.outcome == "commune_will_resolve",
        )
        .order_by(Item.due_date, Item.id)
    ).all()
    escalated = db.session.scalars(
        select(Item)
        .where(Item.commune_id.in_(commune_ids), Item.status == "escalated")
        .order_by(Item.escalated_at, Item.id)
    ).all()
    own = [
        Promise(
            i,
            "commune",
            i.responsible or "",
            i.due_date,
            i.answered_at,
            bool(i.due_date and i.due_date < today),
        )
        for i in commune_items
    ]
    own.sort(key=lambda p: (not p.overdue, p.deadline or date.max, p.item.id))
    higher = [
        Promise(i, "escalated", i.escalated_to or "", None, i.escalated_at, False)
        for i in escalated
    ]
    return own + higher


def complete(
    item: Item, note: str, *, user_id: int | None = None, now: datetime | None = None
) -> int:
    """Mark a promise kept (or the higher body's reply received); the resident is told.

    Returns how many SMS were queued.
    """
    kept = item.status == "answered" and item.outcome == "commune_will_resolve"
    replied = item.status == "escalated"
    if not (kept or replied):
        raise ValidationError(
            _l("Ý kiến này không nằm trong danh sách theo dõi."), code="not_followed_up"
        )
    if replied and not (note or "").strip():
        raise ValidationError(_l("Cần ghi nội dung trả lời của cấp trên."), code="empty_note")
    _close(
        item,
        note,
        user_id=user_id,
        now=now,
        prefix="Cấp trên đã trả lời: " if replied else "Đã giải quyết xong: ",
    )
    return dialogue_sms.tell_completed(item)


def resolve(
    item: Item,
    note: str,
    *,
    evidence: Evidence | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Close an item as resolved, with a note of what was done and optional evidence.

    A promise of a dialogue (or an escalation) is completed as on the follow-up page, and
    its residents are told; returns how many SMS were queued.
    """
    if item.status not in RESOLVABLE:
        raise ValidationError(
            _l("Ý kiến này đã đóng, không thể ghi giải quyết."), code="not_resolvable"
        )
    if evidence is not None:
        attach_evidence(item, evidence, user_id=user_id)
    if item.status == "scheduled":
        agenda.withdraw_resolved(item)
    if item.status == "escalated" or (
        item.status == "answered" and item.outcome == "commune_will_resolve"
    ):
        return complete(item, note, user_id=user_id, now=now)
    _close(item, note, user_id=user_id, now=now, prefix="Đã giải quyết xong: ")
    return 0


def _close(
    item: Item, note: str, *, user_id: int | None, now: datetime | None, prefix: str
) -> None:
    note = _valid_note(note, empty=_l("Cần ghi việc đã làm để giải quyết ý kiến."))
    item.completed_at = now or utcnow()
    item.completion_note = note
    change_status(item, "closed", actor="user", user_id=user_id, note=prefix + note)


def _valid_note(note: str | None, *, empty) -> str:
    note = nfc((note or "").strip())
    if not note:
        raise ValidationError(empty, code="empty_note")
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(_l("Nội dung quá dài."), code="note_too_long")
    return note


def add_progress_note(item: Item, note: str, *, user_id: int | None = None) -> None:
    """A note of progress on an item still being handled, kept in its history."""
    note = _valid_note(note, empty=_l("Ghi chú tiến độ đang trống."))
    record_event(item, "progress", actor="user", user_id=user_id, note=note)
    audit(
        "item.progress",
        user_id=user_id,
        commune_id=item.commune_id,
        object_type="item",
        object_id=item.id,
    )


# --- responsible officer and due date ----------------------------------------------------


def set_responsible(
    item: Item, *, officer_id: int | None, outside_body: str | None, user_id: int | None = None
) -> bool:
    """An officer of the item's commune, or (no officer) the name of an outside body.

    Returns whether anything changed.
    """
    officer = None
    if officer_id is not None:
        officer = db.session.get(Officer, officer_id)
        kept = officer is not None and officer.id == item.responsible_officer_id
        if (
            officer is None or officer.commune_id != item.commune_id or not (officer.active or kept)
        ):  # one who left keeps what they already had
            raise ValidationError(_l("Không tìm thấy cán bộ này."), code="unknown_officer")
    name = officer.name if officer else collapse_spaces(nfc(outside_body or ""))[:160] or None
    new_id = officer.id if officer else None
    if (new_id, name) == (item.responsible_officer_id, item.responsible):
        return False
    before = {"officer_id": item.responsible_officer_id, "name": item.responsible}
    item.responsible_officer_id, item.responsible = new_id, name
    _log(
        item,
        "responsible",
        user_id,
        name or "—",
        before=before,
        after={"officer_id": new_id, "name": name},
    )
    return True


def set_due_date(
    item: Item, due_date: date | None, *, reason: str | None = None, user_id: int | None = None
) -> bool:
    """Set the due date; moving a date already set needs a reason, kept in the history.

    Returns whether anything changed.
    """
    if due_date == item.due_date:
        return False
    before = item.due_date
    if before is None:
        item.due_date = due_date
        _log(item, "due_date", user_id, fmt_date(due_date), after=_iso(due_date))
        return True
    reason = _valid_note(reason, empty=_l("Cần ghi lý do gia hạn hoặc đổi hạn xử lý."))
    item.due_date = due_date
    kind = "due_extended" if due_date and due_date > before else "due_changed"
    _log(
        item,
        kind,
        user_id,
        f"{fmt_date(before)} → {fmt_date(due_date) or '—'}: {reason}",
        before=_iso(before),
        after=_iso(due_date),
        reason=reason,
    )
    return True


def _log(item: Item, kind: str, user_id: int | None, note: str, **detail) -> None:
    record_event(item, kind, actor="user", user_id=user_id, note=note, detail=detail)
    audit(
        f"item.{kind}",
        user_id=user_id,
        commune_id=item.commune_id,
        object_type="item",
        object_id=item.id,
        detail=detail,
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class OfficerLoad:
    """One officer's items: still open, of which overdue, and resolved."""

    officer: Officer
    open: int
    overdue: int
    resolved: int


def per_officer(commune_ids: list[int], today: date | None = None) -> list[OfficerLoad]:
    """Figures per responsible officer, in the Vietnamese order of their names."""
    today = today or local(utcnow()).date()
    rows = db.session.execute(
        select(
            Item.responsible_officer_id, Item.status, Item.outcome, Item.due_date, Item.completed_at
        ).where(Item.commune_id.in_(commune_ids), Item.responsible_officer_id.is_not(None))
    ).all()
    counts: dict[int, list[int]] = {}
    for officer_id, status, outcome, due, completed in rows:
        tally = counts.setdefault(officer_id, [0, 0, 0])
        if _still_open(status, outcome):
            tally[0] += 1
            tally[1] += bool(due and due < today)
        elif status == "closed" and completed is not None:
            tally[2] += 1
    officers = db.session.scalars(select(Officer).where(Officer.id.in_(list(counts)))).all()
    loads = [OfficerLoad(o, *counts[o.id]) for o in officers]
    return sorted(loads, key=lambda load: person_sort_key(load.officer.name))


def _still_open(status: str, outcome: str | None) -> bool:
    return status in OPEN_STATUSES or (status == "answered" and outcome == "commune_will_resolve")


def overdue_notices(
    commune_ids: list[int], now: datetime | None = None, days: int | None = None
) -> list[Dialogue]:
    """Held dialogues whose conclusion notice is still unpublished after `days`."""
    now = now or utcnow()
    days = int(current_app.config["DIALOGUE_NOTICE_REMINDER_DAYS"]) if days is None else days
    return list(
        db.session.scalars(
            select(Dialogue)
            .where(
                Dialogue.commune_id.in_(commune_ids),
                Dialogue.status == "held",
                Dialogue.notice_published_at.is_(None),
                Dialogue.held_at <= now - timedelta(days=days),
            )
            .order_by(Dialogue.held_at)
        )
    )


def remind_overdue_notices(now: datetime | None = None) -> list[Dialogue]:
    """Once per dialogue, record a reminder that its notice is overdue (shown to officials).

    The admin panel shows every overdue notice on the dialogue and follow-up pages; the
    audit log keeps when officials were reminded.
    """
    now = now or utcnow()
    days = int(current_app.config["DIALOGUE_NOTICE_REMINDER_DAYS"])
    due = db.session.scalars(
        select(Dialogue)
        .where(
            Dialogue.status == "held",
            Dialogue.notice_published_at.is_(None),
            Dialogue.notice_reminded_at.is_(None),
            Dialogue.held_at <= now - timedelta(days=days),
        )
        .order_by(Dialogue.id)
        .with_for_update(skip_locked=True)
    ).all()
    for dialogue in due:
        dialogue.notice_reminded_at = now
        audit(
            "dialogue.notice_overdue",
            commune_id=dialogue.commune_id,
            object_type="dialogue",
            object_id=dialogue.id,
            detail={"days": days},
        )
    db.session.flush()
    return list(due)
