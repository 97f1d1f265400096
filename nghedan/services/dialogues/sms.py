"""What residents hear about a dialogue by SMS: invitation, reminder, change, outcome.

Each text is written in the contact's own language and queued in the outbox, in the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.formatting import fmt_date, fmt_time, local
from nghedan.i18n import in_language
from nghedan.models import Dialogue, Item, utcnow
from nghedan.services.sms.contacts import is_opted_out, language_of
from nghedan.services.sms.outbox import queue_sms

ANSWER_IN_SMS = 110


def residents_of(item: Item) -> list[str]:
    """Phones to tell about an item: its sender and those of items merged into it."""
    if item.is_denunciation:
        return []
    phones = [item.contact_phone] if item.contact_phone else []
    phones += db.session.scalars(
        select(Item.contact_phone).where(
            Item.duplicate_of_id == item.id, Item.contact_phone.is_not(None)
        )
    ).all()
    return list(dict.fromkeys(phones))


def _send(
    phone: str, kind: str, item: Item | None, commune_id: int, text: Callable[[], str]
) -> bool:
    with in_language(language_of(phone)):
        body = text()
    return (
        queue_sms(phone, body, kind=kind, commune_id=commune_id, item_id=item.id if item else None)
        is not None
    )


def _when(dialogue: Dialogue) -> dict:
    return dict(
        time=fmt_time(dialogue.starts_at),
        date=fmt_date(dialogue.starts_at),
        place=dialogue.place,
        commune=dialogue.commune.label,
    )


def _dialogue_text(kind: str, dialogue: Dialogue, item: Item) -> str:
    v = dict(_when(dialogue), code=item.tracking_code)
    if kind == "invitation":
        return _(
            "UBND %(commune)s mời ông/bà dự buổi đối thoại lúc %(time)s ngày %(date)s "
            "tại %(place)s. Ý kiến mã %(code)s sẽ được trả lời tại buổi này.",
            **v,
        )
    if kind == "reminder":
        return _(
            "Nhắc lịch: %(time)s ngày %(date)s đối thoại tại %(place)s, "
            "trả lời ý kiến mã %(code)s.",
            **v,
        )
    if kind == "changed":
        return _(
            "Buổi đối thoại trả lời ý kiến mã %(code)s đổi sang %(time)s ngày %(date)s "
            "tại %(place)s.",
            **v,
        )
    return _(
        "Buổi đối thoại ngày %(date)s tại %(place)s đã hủy. Ý kiến mã %(code)s sẽ được "
        "xếp vào buổi sau.",
        **v,
    )


def tell_residents(dialogue: Dialogue, kind: str) -> int:
    """Send one kind of dialogue SMS to every resident on the agenda; returns how many."""
    sent = 0
    for entry in dialogue.agenda:
        item = entry.item
        if item.dialogue_id != dialogue.id or entry.raised_in_room:
            continue
        for phone in residents_of(item):
            sent += _send(
                phone,
                f"dialogue_{kind}",
                item,
                dialogue.commune_id,
                lambda item=item: _dialogue_text(kind, dialogue, item),
            )
    return sent


def invite_item(dialogue: Dialogue, item: Item) -> int:
    """Invite the residents of one item added after the invitations went out."""
    return sum(
        _send(
            phone,
            "dialogue_invitation",
            item,
            dialogue.commune_id,
            lambda: _dialogue_text("invitation", dialogue, item),
        )
        for phone in residents_of(item)
    )


def tell_hamlets(dialogue: Dialogue) -> int:
    """Tell every known, opted-in phone of the dialogue's hamlets that it is coming."""
    hamlet_ids = [h.id for h in dialogue.hamlets]
    on_agenda = {p for e in dialogue.agenda if not e.report_back for p in residents_of(e.item)}
    phones = db.session.scalars(
        select(Item.contact_phone)
        .distinct()
        .where(
            Item.hamlet_id.in_(hamlet_ids),
            Item.contact_phone.is_not(None),
            Item.legal_type != "denunciation",
        )
    ).all()
    sent = 0
    for phone in sorted(set(phones) - on_agenda):
        if is_opted_out(phone):
            continue
        sent += _send(
            phone,
            "dialogue_announcement",
            None,
            dialogue.commune_id,
            lambda: _(
                "UBND %(commune)s đối thoại với Nhân dân lúc %(time)s ngày %(date)s tại %(place)s. "
                "Mời bà con đến dự.",
                **_when(dialogue),
            ),
        )
    return sent


def invitation_phones(dialogue: Dialogue) -> list[str]:
    """Who an invitation would reach now: residents on the agenda who have not opted out."""
    phones = {
        phone
        for entry in dialogue.agenda
        if entry.item.dialogue_id == dialogue.id and not entry.raised_in_room
        for phone in residents_of(entry.item)
    }
    return sorted(p for p in phones if not is_opted_out(p))


def send_invitations_now(dialogue: Dialogue, *, now: datetime | None = None) -> int:
    """The office sends the invitations at once instead of waiting for the job (once only)."""
    now = now or utcnow()
    if dialogue.status != "planned" or dialogue.starts_at <= now:
        raise ValidationError(
            _l("Chỉ gửi thư mời cho buổi đối thoại sắp diễn ra."), code="not_upcoming"
        )
    if dialogue.invitations_sent_at is not None:
        raise ValidationError(_l("Thư mời đã được gửi."), code="already_invited")
    sent = tell_residents(dialogue, "invitation")
    if current_app.config["DIALOGUE_INVITE_HAMLET_CONTACTS"]:
        sent += tell_hamlets(dialogue)
    dialogue.invitations_sent_at = now
    if local(now).date() >= local(dialogue.starts_at).date() - timedelta(days=1):
        dialogue.reminders_sent_at = now  # this late, one SMS rather than two
    db.session.flush()
    return sent


# --- the periodic job --------------------------------------------------------------------


def send_due_invitations(now: datetime | None = None) -> dict[str, int]:
    """Invite N days before and remind the day before; each dialogue only once (idempotent)."""
    now = now or utcnow()
    days = int(current_app.config["DIALOGUE_INVITATION_DAYS"])
    query = (
        select(Dialogue)
        .where(
            Dialogue.status == "planned",
            Dialogue.starts_at > now,
            Dialogue.starts_at <= now + timedelta(days=days),
            Dialogue.invitations_sent_at.is_(None) | Dialogue.reminders_sent_at.is_(None),
        )
        .order_by(Dialogue.id)
        .with_for_update(skip_locked=True)
    )
    counts = {"invitations": 0, "reminders": 0, "announcements": 0}
    for dialogue in db.session.scalars(query).all():
        _due_for(dialogue, now, counts)
    db.session.flush()
    return counts


def _due_for(dialogue: Dialogue, now: datetime, counts: dict[str, int]) -> None:
    day_before = local(now).date() >= local(dialogue.starts_at).date() - timedelta(days=1)
    if dialogue.invitations_sent_at is None:
        counts["invitations"] += tell_residents(dialogue, "invitation")
        if current_app.config["DIALOGUE_INVITE_HAMLET_CONTACTS"]:
            counts["announcements"] += tell_hamlets(dialogue)
        dialogue.invitations_sent_at = now
        if day_before:  # invited this late: one SMS, not an invitation and a reminder
            dialogue.reminders_sent_at = now
        return
    if dialogue.reminders_sent_at is None and day_before:
        counts["reminders"] += tell_residents(dialogue, "reminder")
        dialogue.reminders_sent_at = now


# --- outcomes ----------------------------------------------------------------------------


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= ANSWER_IN_SMS else text[: ANSWER_IN_SMS - 1].rstrip() + "…"


def _link(item: Item) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    return f" {base.rstrip('/')}/t/{item.tracking_code}" if base else ""


def _outcome_text(item: Item, dialogue: Dialogue) -> str:
    v = dict(
        code=item.tracking_code,
        date=fmt_date(dialogue.starts_at),
        answer=_short(item.answer),
        who=item.responsible or "",
        due=fmt_date(item.due_date),
        body=item.escalated_to or "",
    )
    if item.outcome == "resolved":
        text = _(
            "Ý kiến mã %(code)s đã được giải quyết tại buổi đối thoại %(date)s: %(answer)s", **v
        )
    elif item.outcome == "commune_will_resolve":
        text = _("Ý kiến mã %(code)s: %(who)s sẽ giải quyết trước %(due)s. %(answer)s", **v)
    elif item.outcome == "escalated":
        text = _("Ý kiến mã %(code)s đã được kiến nghị lên %(body)s. %(answer)s", **v)
    else:
        text = _("Ý kiến mã %(code)s đã được trả lời tại buổi đối thoại %(date)s: %(answer)s", **v)
    return text + _link(item)


def tell_outcome(item: Item, dialogue: Dialogue) -> int:
    """Each resident of the item hears the dialogue's answer."""
    return sum(
        _send(
            phone,
            "dialogue_outcome",
            item,
            dialogue.commune_id,
            lambda: _outcome_text(item, dialogue),
        )
        for phone in residents_of(item)
    )


def tell_completed(item: Item) -> int:
    """Each resident hears that a promised item is done (or the higher body replied)."""

    def text():
        v = dict(
            code=item.tracking_code, note=_short(item.completion_note), body=item.escalated_to or ""
        )
        if item.outcome == "escalated":
            body = _("Ý kiến mã %(code)s: %(body)s đã trả lời: %(note)s", **v)
        else:
            body = _(
                "Ý kiến mã %(code)s đã được UBND %(kind)s giải quyết xong. %(note)s",
                kind=item.commune.kind_word,
                **v,
            )
        return body.strip() + _link(item)

    return sum(
        _send(phone, "item_completed", item, item.commune_id, text) for phone in residents_of(item)
    )
