"""A dialogue's agenda: which items, in which order, and what carries over from last time."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from nghedan.errors import DomainError, ValidationError
from nghedan.extensions import db
from nghedan.models import AgendaEntry, Category, Dialogue, Item, dialogue_hamlets
from nghedan.services.dialogues import sms as dialogue_sms
from nghedan.services.items.history import change_status, record_event
from nghedan.services.items.similarity import most_similar

# Items in these states may be put on an agenda.
ASSIGNABLE = ("new", "triaged", "scheduled", "forwarded")
COMPLAINT_FLAG = "Khiếu nại: giải quyết theo thủ tục của Luật Khiếu nại"


def assign_item(
    dialogue: Dialogue,
    item: Item,
    *,
    user_id: int | None = None,
    carried_over: bool = False,
    raised_in_room: bool = False,
) -> AgendaEntry:
    """Put an item on the agenda: it becomes 'scheduled' for this dialogue.

    Denunciations are refused (their sender must stay confidential); complaints are
    flagged for their own procedure. An item on another planned agenda moves here.
    """
    _check_assignable(dialogue, item)
    existing = _entry(dialogue, item)
    if existing is not None and not existing.report_back:
        return existing
    if existing is not None:  # was only to be reported back on: now discussed in full
        _remove_entry(dialogue, item)
        db.session.flush()
    if item.dialogue_id and item.dialogue_id != dialogue.id and item.status == "scheduled":
        _drop_from(db.session.get(Dialogue, item.dialogue_id), item)
    entry = AgendaEntry(
        dialogue=dialogue,
        item=item,
        position=_next_position(dialogue),
        carried_over=carried_over,
        raised_in_room=raised_in_room,
    )
    db.session.add(entry)
    item.dialogue_id = dialogue.id
    if item.legal_type == "complaint" and not item.flagged:
        item.flagged, item.flag_reason = True, COMPLAINT_FLAG
    actor = "user" if user_id else "system"
    change_status(item, "scheduled", actor=actor, user_id=user_id)
    record_event(
        item,
        "agenda_added",
        actor=actor,
        user_id=user_id,
        detail={
            "dialogue_id": dialogue.id,
            "carried_over": carried_over,
            "raised_in_room": raised_in_room,
        },
    )
    db.session.flush()
    if dialogue.invitations_sent_at and not raised_in_room:
        dialogue_sms.invite_item(dialogue, item)
    return entry


def remove_item(dialogue: Dialogue, item: Item, *, user_id: int | None = None) -> None:
    """Take an item off a planned agenda; it goes back to the queue as 'triaged'."""
    if dialogue.status != "planned":
        raise ValidationError(
            _l("Chỉ sửa chương trình của buổi đối thoại chưa diễn ra."), code="not_planned"
        )
    if _entry(dialogue, item) is None:
        raise ValidationError(_l("Ý kiến này không có trong chương trình."), code="not_on_agenda")
    _drop_from(dialogue, item, user_id=user_id)


def _drop_from(dialogue: Dialogue | None, item: Item, *, user_id: int | None = None) -> None:
    if dialogue is not None:
        _remove_entry(dialogue, item)
    item.dialogue_id = None
    change_status(
        item,
        "triaged",
        actor="user" if user_id else "system",
        user_id=user_id,
        note="Rút khỏi chương trình buổi đối thoại",
    )


def withdraw_resolved(item: Item) -> None:
    """An item resolved before its dialogue leaves that planned agenda (nothing to discuss)."""
    dialogue = db.session.get(Dialogue, item.dialogue_id) if item.dialogue_id else None
    if dialogue is None or dialogue.status != "planned":
        return
    _remove_entry(dialogue, item)
    item.dialogue_id = None


def _remove_entry(dialogue: Dialogue, item: Item) -> None:
    entry = _entry(dialogue, item)
    if entry is not None:
        dialogue.agenda.remove(entry)
        db.session.delete(entry)
        _renumber(dialogue)


def _check_assignable(dialogue: Dialogue, item: Item) -> None:
    if dialogue.status != "planned":
        raise ValidationError(
            _l("Chỉ thêm ý kiến vào buổi đối thoại chưa diễn ra."), code="not_planned"
        )
    if item.commune_id != dialogue.commune_id:
        raise ValidationError(_l("Ý kiến thuộc xã, phường khác."), code="other_commune")
    if item.is_denunciation:
        raise ValidationError(
            _l(
                "Đơn tố cáo không được đưa vào chương trình đối thoại "
                "(phải giữ bí mật người tố cáo)."
            ),
            code="denunciation_not_on_agenda",
        )
    if item.status not in ASSIGNABLE:
        raise ValidationError(
            _l("Ý kiến này đã được xử lý, không thể xếp lịch."), code="not_assignable"
        )


def _entry(dialogue: Dialogue, item: Item) -> AgendaEntry | None:
    return next((e for e in dialogue.agenda if e.item_id == item.id), None)


def _next_position(dialogue: Dialogue) -> int:
    highest = db.session.scalar(
        select(func.max(AgendaEntry.position)).where(AgendaEntry.dialogue_id == dialogue.id)
    )
    return (highest or 0) + 1


def _renumber(dialogue: Dialogue) -> None:
    for n, entry in enumerate(sorted(dialogue.agenda, key=lambda e: e.position), start=1):
        entry.position = n


# --- order -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaGroup:
    """The agenda's entries of one category (None: not yet categorised)."""

    category: Category | None
    entries: list[AgendaEntry]


def live_entries(dialogue: Dialogue) -> list[AgendaEntry]:
    """The agenda in order (report-back entries apart); on a planned dialogue, without items
    since moved elsewhere."""
    entries = sorted((e for e in dialogue.agenda if not e.report_back), key=lambda e: e.position)
    if dialogue.status != "planned":
        return entries  # the record of what was on the agenda that day
    return [e for e in entries if e.item.dialogue_id == dialogue.id and not e.report_back]


def grouped(dialogue: Dialogue) -> list[AgendaGroup]:
    """The agenda grouped by category (in the categories' order), each group in agenda order."""
    groups: dict[int | None, list[AgendaEntry]] = {}
    for entry in live_entries(dialogue):
        groups.setdefault(entry.item.category_id, []).append(entry)
    categories = {c.id: c for c in db.session.scalars(select(Category))}

    def order(category_id):
        c = categories.get(category_id)
        return (c is None, c.position if c else 0, c.id if c else 0)

    return [
        AgendaGroup(categories.get(cid), entries)
        for cid, entries in sorted(groups.items(), key=lambda kv: order(kv[0]))
    ]


def in_meeting_order(dialogue: Dialogue) -> list[AgendaEntry]:
    """The entries in the order they are taken in the room: group by group."""
    return [entry for group in grouped(dialogue) for entry in group.entries]


def move_entry(dialogue: Dialogue, entry_id: int, step: int) -> None:
    """Move an entry one place up (step -1) or down (+1) within its category group."""
    group = next(
        (g.entries for g in grouped(dialogue) if any(e.id == entry_id for e in g.entries)), None
    )
    if group is None:
        raise ValidationError(
            _l("Không tìm thấy mục này trong chương trình."), code="not_on_agenda"
        )
    index = next(i for i, e in enumerate(group) if e.id == entry_id)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(group):
        group[index].position, group[other].position = group[other].position, group[index].position
        db.session.flush()


def reorder(dialogue: Dialogue, entry_ids: list[int]) -> None:
    """Set the agenda order from a full list of entry ids (as a drag and drop leaves it)."""
    by_id = {e.id: e for e in live_entries(dialogue)}
    if sorted(entry_ids) != sorted(by_id):
        raise ValidationError(_l("Danh sách thứ tự không khớp với chương trình."), code="bad_order")
    for n, entry_id in enumerate(entry_ids, start=1):
        by_id[entry_id].position = n
    db.session.flush()


# --- carry-over --------------------------------------------------------------------------


def previous_held(dialogue: Dialogue) -> list[Dialogue]:
    """For each of the dialogue's hamlets, its latest held dialogue before this one."""
    found: dict[int, Dialogue] = {}
    for hamlet in dialogue.hamlets:
        prev = db.session.scalar(
            select(Dialogue)
            .join(dialogue_hamlets, dialogue_hamlets.c.dialogue_id == Dialogue.id)
            .where(
                dialogue_hamlets.c.hamlet_id == hamlet.id,
                Dialogue.status == "held",
                Dialogue.id != dialogue.id,
                Dialogue.starts_at < dialogue.starts_at,
            )
            .order_by(Dialogue.starts_at.desc(), Dialogue.id.desc())
            .limit(1)
        )
        if prev is not None:
            found[prev.id] = prev
    return list(found.values())


def carry_over_pending(dialogue: Dialogue, *, user_id: int | None = None) -> list[AgendaEntry]:
    """Put on this agenda the items left unanswered at the hamlets' previous dialogue, and
    (as "report back" entries) the hamlets' items still open: promised, forwarded, escalated."""
    hamlet_ids = {h.id for h in dialogue.hamlets}
    added = []
    for prev in previous_held(dialogue):
        for entry in sorted(prev.agenda, key=lambda e: e.position):
            item = entry.item
            pending = (
                item.outcome is None
                and item.dialogue_id == prev.id
                and item.status in ("new", "triaged")
                and not item.is_denunciation
            )
            if pending and (item.hamlet_id is None or item.hamlet_id in hamlet_ids):
                added.append(assign_item(dialogue, item, user_id=user_id, carried_over=True))
    return added + add_report_backs(dialogue, user_id=user_id)


def candidates(dialogue: Dialogue, limit: int) -> list[Item]:
    """Items that could join the agenda: the dialogue's hamlets first, then the rest."""
    hamlet_ids = [h.id for h in dialogue.hamlets]
    rows = db.session.scalars(
        select(Item)
        .where(
            Item.commune_id == dialogue.commune_id,
            Item.status.in_(("new", "triaged")),
            Item.legal_type != "denunciation",
        )
        .order_by(Item.hamlet_id.in_(hamlet_ids).desc(), Item.created_at.desc(), Item.id.desc())
        .limit(limit)
    ).all()
    return list(rows)


def similar_on_agenda(dialogue: Dialogue, item: Item) -> list[tuple[Item, float]]:
    """Items already on the dialogue's agenda that read like this one (to merge instead)."""
    return most_similar(item, [e.item for e in live_entries(dialogue)])


def refuse_if_similar(dialogue: Dialogue, item: Item) -> None:
    """Refuse to add an item that reads like one already on the agenda: merge it instead."""
    similar = similar_on_agenda(dialogue, item)
    if similar:
        raise ValidationError(
            _l(
                "Ý kiến mã %(item)s giống ý kiến mã %(code)s đã có trong chương trình; "
                "hãy mở ý kiến để gộp",
                item=item.tracking_code,
                code=similar[0][0].tracking_code,
            ),
            code="similar_on_agenda",
            similar=similar,
        )


@dataclass(frozen=True)
class Additions:
    """What adding several items did: those now on the agenda, and each refusal."""

    added: list[Item]
    refused: list[DomainError]


def add_items(
    dialogue: Dialogue, items: list[Item], *, confirm_similar: bool, user_id: int | None
) -> Additions:
    """Put each item on the agenda; a refused one (alike one already there, unless the
    official confirmed; a denunciation…) is left out with its reason, the others stay."""
    added, refused = [], []
    for item in items:
        try:
            with db.session.begin_nested():
                if not confirm_similar:
                    refuse_if_similar(dialogue, item)  # merge rather than repeat
                assign_item(dialogue, item, user_id=user_id)
        except DomainError as e:
            refused.append(e)
        else:
            added.append(item)
    return Additions(added, refused)


# --- report back ---------------------------------------------------------------------------


# Still owed to residents: a promise of an earlier dialogue, a forwarded or escalated item.
def _still_open(item: Item) -> bool:
    promised = item.status == "answered" and item.outcome == "commune_will_resolve"
    return promised or item.status in ("forwarded", "escalated")


def add_report_backs(dialogue: Dialogue, *, user_id: int | None = None) -> list[AgendaEntry]:
    """Put on the agenda, as "report back" entries, the hamlets' items still open.

    The items keep their status and earlier dialogue: the commune reports on progress, the
    meeting does not answer them again (meeting mode only answers this dialogue's own items).
    """
    hamlet_ids = [h.id for h in dialogue.hamlets]
    if dialogue.status != "planned" or dialogue.kind == "voters" or not hamlet_ids:
        return []
    candidates = db.session.scalars(
        select(Item)
        .where(
            Item.commune_id == dialogue.commune_id,
            Item.hamlet_id.in_(hamlet_ids),
            Item.status.in_(("answered", "forwarded", "escalated")),
            Item.legal_type != "denunciation",
        )
        .order_by(Item.created_at, Item.id)
    )
    on_agenda = {e.item_id for e in dialogue.agenda}
    added = []
    for item in candidates:
        if _still_open(item) and item.id not in on_agenda:
            entry = AgendaEntry(
                dialogue=dialogue, item=item, position=_next_position(dialogue), report_back=True
            )
            db.session.add(entry)
            db.session.flush()
            record_event(
                item,
                "report_back",
                actor="user" if user_id else "system",
                user_id=user_id,
                detail={"dialogue_id": dialogue.id},
            )
            added.append(entry)
    return added


def report_back_entries(dialogue: Dialogue) -> list[AgendaEntry]:
    """The items the commune reports back on at this dialogue, in agenda order."""
    return sorted((e for e in dialogue.agenda if e.report_back), key=lambda e: e.position)
