"""Dialogues (buổi tiếp xúc, đối thoại): plan, edit, cancel, and the rotation over hamlets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import Commune, Dialogue, Hamlet, Officer, dialogue_hamlets, utcnow
from nghedan.models.dialogues import CHAIR_ROLES, DIALOGUE_KINDS
from nghedan.services.dialogues import sms as dialogue_sms
from nghedan.services.dialogues.agenda import carry_over_pending
from nghedan.services.dialogues.notices import mid_sentence, role_of
from nghedan.services.items.history import audit, change_status
from nghedan.text import nfc

MAX_PLACE_LENGTH = 255


@dataclass(frozen=True)
class DialogueInput:
    """What officials fill in when they plan a dialogue."""

    kind: str
    place: str
    starts_at: datetime
    hamlet_ids: tuple[int, ...]
    chair_name: str = ""
    chair_officer_id: int | None = None
    official_ids: tuple[int, ...] = field(default_factory=tuple)
    title: str = ""
    chair_role: str | None = None  # "chairman" or "vice_chairman"; None: from the officer


def create_dialogue(
    commune_id: int, data: DialogueInput, *, user_id: int | None = None, carry_over: bool = True
) -> Dialogue:
    """Plan a dialogue; pending items of the hamlets' previous dialogue join its agenda."""
    commune = db.session.get(Commune, commune_id)
    if commune is None:
        raise ValidationError(_l("Không tìm thấy xã, phường."), code="unknown_commune")
    dialogue = Dialogue(commune=commune, status="planned")
    _apply(dialogue, commune, data)
    db.session.add(dialogue)
    db.session.flush()
    audit(
        "dialogue.create",
        user_id=user_id,
        commune_id=commune_id,
        object_type="dialogue",
        object_id=dialogue.id,
    )
    if carry_over:
        carry_over_pending(dialogue, user_id=user_id)
    return dialogue


def update_dialogue(dialogue: Dialogue, data: DialogueInput, *, user_id: int | None = None) -> int:
    """Change a planned dialogue; residents already invited hear of a new time or place.

    Returns how many residents were told of the change.
    """
    _require_planned(dialogue)
    old_time, old_place = dialogue.starts_at, dialogue.place
    old_hamlets = {h.id for h in dialogue.hamlets}
    _apply(dialogue, dialogue.commune, data)
    audit(
        "dialogue.update",
        user_id=user_id,
        commune_id=dialogue.commune_id,
        object_type="dialogue",
        object_id=dialogue.id,
    )
    if {h.id for h in dialogue.hamlets} - old_hamlets:
        carry_over_pending(dialogue, user_id=user_id)  # a hamlet joined: its leftovers too
    moved = dialogue.starts_at != old_time or dialogue.place != old_place
    if not (moved and dialogue.invitations_sent_at):
        return 0
    dialogue.reminders_sent_at = None  # remind again the day before the new date
    return dialogue_sms.tell_residents(dialogue, "changed")


def cancel_dialogue(dialogue: Dialogue, reason: str, *, user_id: int | None = None) -> int:
    """Cancel a planned dialogue: its items go back to the queue, their residents are told.

    Returns how many residents were sent an SMS.
    """
    _require_planned(dialogue)
    reason = nfc((reason or "").strip())
    if not reason:
        raise ValidationError(_l("Cần ghi lý do hủy buổi đối thoại."), code="empty_reason")
    sent = dialogue_sms.tell_residents(dialogue, "cancelled")
    for entry in dialogue.agenda:
        item = entry.item
        if item.dialogue_id == dialogue.id and item.status == "scheduled":
            item.dialogue_id = None
            change_status(
                item,
                "triaged",
                actor="user" if user_id else "system",
                user_id=user_id,
                note="Buổi đối thoại bị hủy: " + reason,
            )
    dialogue.status = "cancelled"
    dialogue.cancelled_reason = reason[:255]
    audit(
        "dialogue.cancel",
        user_id=user_id,
        commune_id=dialogue.commune_id,
        object_type="dialogue",
        object_id=dialogue.id,
        detail={"reason": reason[:255]},
    )
    return sent


def _require_planned(dialogue: Dialogue) -> None:
    if dialogue.status != "planned":
        raise ValidationError(
            _l("Buổi đối thoại này không còn ở trạng thái dự kiến."), code="not_planned"
        )


def _apply(dialogue: Dialogue, commune: Commune, data: DialogueInput) -> None:
    if data.kind not in DIALOGUE_KINDS:
        raise ValidationError(_l("Hình thức buổi đối thoại không hợp lệ."), code="bad_kind")
    place = nfc((data.place or "").strip())
    if not place:
        raise ValidationError(_l("Cần ghi địa điểm."), code="empty_place")
    if data.starts_at is None or data.starts_at.tzinfo is None:
        raise ValidationError(_l("Thời gian không hợp lệ."), code="bad_time")
    hamlets = _hamlets(commune.id, data.hamlet_ids)
    officials = _officers(commune.id, data.official_ids)
    chair_officer = None
    if data.chair_officer_id:
        chair_officer = _officers(commune.id, (data.chair_officer_id,))[0]
    chair_name = nfc((data.chair_name or "").strip())
    dialogue.kind = data.kind
    dialogue.place = place[:MAX_PLACE_LENGTH]
    dialogue.starts_at = data.starts_at
    dialogue.hamlets = hamlets
    dialogue.officials = officials
    dialogue.chair_officer = chair_officer
    dialogue.chair_name = (
        chair_name or (chair_officer.name if chair_officer else "") or (commune.chairman_name or "")
    )
    dialogue.chair_role = _chair_role(data.chair_role, chair_officer)
    dialogue.title = nfc((data.title or "").strip())[:255] or default_title(data.kind, hamlets)


def _chair_role(wanted: str | None, officer: Officer | None) -> str:
    """The officer's title when it names the role, else what the form says, else Chairman."""
    from_title = role_of(officer.title) if officer is not None else None
    return from_title or (wanted if wanted in CHAIR_ROLES else "chairman")


def default_title(kind: str, hamlets: list[Hamlet]) -> str:
    """The dialogue's name as communes write it (an official Vietnamese title)."""
    names = ", ".join(mid_sentence(h.name) for h in hamlets)  # "… Nhân dân ấp Tân Phú"
    if kind == "voters":
        return "Tiếp xúc cử tri " + names
    if kind == "thematic":
        return "Đối thoại chuyên đề với Nhân dân " + names
    return "Đối thoại với Nhân dân " + names


def _hamlets(commune_id: int, ids: tuple[int, ...]) -> list[Hamlet]:
    ids = tuple(dict.fromkeys(ids or ()))
    if not ids:
        raise ValidationError(_l("Chọn ít nhất một ấp, khóm."), code="no_hamlet")
    found = db.session.scalars(
        select(Hamlet).where(Hamlet.id.in_(ids), Hamlet.commune_id == commune_id)
    ).all()
    if len(found) != len(ids):
        raise ValidationError(_l("Không tìm thấy ấp, khóm này."), code="unknown_hamlet")
    return sorted(found, key=lambda h: ids.index(h.id))


def _officers(commune_id: int, ids: tuple[int, ...]) -> list[Officer]:
    ids = tuple(dict.fromkeys(ids or ()))
    if not ids:
        return []
    found = db.session.scalars(
        select(Officer).where(Officer.id.in_(ids), Officer.commune_id == commune_id)
    ).all()
    if len(found) != len(ids):
        raise ValidationError(_l("Không tìm thấy cán bộ này."), code="unknown_officer")
    return sorted(found, key=lambda o: ids.index(o.id))


# --- planning ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HamletPlan:
    """One hamlet's place in the rotation."""

    hamlet: Hamlet
    last_held: datetime | None
    next_planned: datetime | None
    due_by: date | None  # the last dialogue plus the commune's rotation
    overdue: bool


def hamlet_plans(commune: Commune, now: datetime | None = None) -> list[HamletPlan]:
    """Every active hamlet: its last held dialogue, its next planned one, whether it's overdue.

    Ordered as the rotation should go: overdue first, the longest wait first.
    """
    now = now or utcnow()
    held = _per_hamlet(commune.id, "held", func.max)
    planned = _per_hamlet(commune.id, "planned", func.min, after=now)
    today = local(now).date()
    plans = []
    for hamlet in commune.hamlets:
        if not hamlet.active:
            continue
        last = held.get(hamlet.id)
        due_by = local(last).date() + timedelta(days=commune.rotation_days) if last else None
        overdue = planned.get(hamlet.id) is None and (due_by is None or due_by < today)
        plans.append(HamletPlan(hamlet, last, planned.get(hamlet.id), due_by, overdue))
    return sorted(plans, key=_rotation_key)


def _rotation_key(plan: HamletPlan):
    waited = plan.last_held.timestamp() if plan.last_held else 0.0
    return (not plan.overdue, waited, plan.hamlet.name)


def _per_hamlet(commune_id: int, status: str, agg, after: datetime | None = None) -> dict:
    query = (
        select(dialogue_hamlets.c.hamlet_id, agg(Dialogue.starts_at))
        .join(Dialogue, Dialogue.id == dialogue_hamlets.c.dialogue_id)
        .where(
            Dialogue.commune_id == commune_id, Dialogue.status == status, Dialogue.kind != "voters"
        )  # deputies' meetings don't take a hamlet's turn
        .group_by(dialogue_hamlets.c.hamlet_id)
    )
    if after is not None:
        query = query.where(Dialogue.starts_at >= after)
    return {hamlet_id: _aware(at) for hamlet_id, at in db.session.execute(query)}


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates bypass the column type, so SQLite hands back naive UTC.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RotationSlot:
    on: date
    hamlet: Hamlet


def suggested_rotation(
    commune: Commune, now: datetime | None = None, slot_days: int = 14
) -> list[RotationSlot]:
    """A date for every hamlet with nothing planned: one every `slot_days`, longest wait first."""
    now = now or utcnow()
    waiting = [p for p in hamlet_plans(commune, now) if p.next_planned is None]
    first = _next_free_day(commune.id, now, slot_days)
    return [
        RotationSlot(first + timedelta(days=n * slot_days), plan.hamlet)
        for n, plan in enumerate(waiting)
    ]


def _next_free_day(commune_id: int, now: datetime, slot_days: int) -> date:
    latest = _aware(
        db.session.scalar(
            select(func.max(Dialogue.starts_at)).where(
                Dialogue.commune_id == commune_id,
                Dialogue.status == "planned",
                Dialogue.starts_at >= now,
            )
        )
    )
    start = (
        local(latest).date() + timedelta(days=slot_days)
        if latest
        else (local(now).date() + timedelta(days=7))
    )
    return start


def upcoming(commune_ids: list[int], now: datetime | None = None) -> list[Dialogue]:
    """Planned dialogues from today on, soonest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Dialogue)
            .where(
                Dialogue.commune_id.in_(commune_ids),
                Dialogue.status == "planned",
                Dialogue.starts_at >= now - timedelta(hours=12),
            )
            .order_by(Dialogue.starts_at, Dialogue.id)
        )
    )


def next_for_residents(
    commune_id: int, hamlet_id: int | None = None, *, now: datetime | None = None, limit: int = 1
) -> list[Dialogue]:
    """The next planned dialogues where residents' opinions are answered, soonest first.

    With a hamlet: those covering that hamlet; without one (hamlet unknown): the commune's.
    Meetings with voters are left out: deputies hold them, not the commune's dialogue.
    """
    now = now or utcnow()
    query = (
        select(Dialogue)
        .where(
            Dialogue.commune_id == commune_id,
            Dialogue.status == "planned",
            Dialogue.kind != "voters",
            Dialogue.starts_at > now,
        )
        .order_by(Dialogue.starts_at, Dialogue.id)
        .limit(limit)
    )
    if hamlet_id is not None:
        query = query.where(
            Dialogue.id.in_(
                select(dialogue_hamlets.c.dialogue_id).where(
                    dialogue_hamlets.c.hamlet_id == hamlet_id
                )
            )
        )
    return list(db.session.scalars(query))


def recent(commune_ids: list[int], now: datetime | None = None, limit: int = 50) -> list[Dialogue]:
    """Dialogues already held, cancelled, or past their time, newest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Dialogue)
            .where(
                Dialogue.commune_id.in_(commune_ids),
                (Dialogue.status != "planned") | (Dialogue.starts_at < now - timedelta(hours=12)),
            )
            .order_by(Dialogue.starts_at.desc(), Dialogue.id.desc())
            .limit(limit)
        )
    )
