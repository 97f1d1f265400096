"""Triage: officials sort items — categorise, place, schedule, merge, reject, answer by SMS.

Each function takes plain values, changes one item, and writes one history entry and one
audit entry for it; the caller's transaction boundary commits (a bulk action is one
transaction). `user_id` is the official acting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from nghedan.errors import DomainError, NotFound, ValidationError
from nghedan.extensions import db
from nghedan.i18n import in_language
from nghedan.models import AgendaEntry, Category, Dialogue, Hamlet, Item, utcnow
from nghedan.models.items import LEGAL_TYPES, STATUSES
from nghedan.services.dialogues import agenda, followup
from nghedan.services.items import search
from nghedan.services.items.history import audit, change_status, record_event
from nghedan.services.items.similarity import most_similar
from nghedan.services.items.status_sms import tell_residents
from nghedan.services.sms.contacts import language_of
from nghedan.services.sms.outbox import queue_sms
from nghedan.sms_text import count_segments, fit_for_sms
from nghedan.text import collapse_spaces, nfc

MAX_REASON_LENGTH = 300
MAX_REPLY_LENGTH = 640
DUPLICATE_LOOKBACK_DAYS = 90
# Statuses an item leaves "new" for once an official has sorted it.
_UNSORTED = ("new",)


def _log(item: Item, action: str, user_id: int | None, **detail) -> None:
    record_event(
        item,
        action,
        actor="user",
        user_id=user_id,
        detail=detail or None,
        note=detail.get("reason"),
    )
    audit(
        f"item.{action}",
        user_id=user_id,
        commune_id=item.commune_id,
        object_type="item",
        object_id=item.id,
        detail=detail or None,
    )


def _mark_sorted(item: Item, user_id: int | None) -> None:
    if item.status in _UNSORTED:
        change_status(item, "triaged", actor="user", user_id=user_id)


def set_category(item: Item, category_id: int | None, *, user_id: int | None) -> None:
    """Put the item in a category (lĩnh vực); a new item counts as sorted."""
    if category_id is not None and db.session.get(Category, category_id) is None:
        raise ValidationError(_l("Không tìm thấy lĩnh vực này."), code="unknown_category")
    before = item.category_id
    item.category_id = category_id
    _mark_sorted(item, user_id)
    _log(item, "category", user_id, before=before, after=category_id)


def set_hamlet(item: Item, hamlet_id: int | None, *, user_id: int | None) -> None:
    """Say which hamlet the item is about (a hamlet of the item's own commune)."""
    if hamlet_id is not None:
        hamlet = db.session.get(Hamlet, hamlet_id)
        if hamlet is None or hamlet.commune_id != item.commune_id:
            raise ValidationError(_l("Không tìm thấy ấp, khóm này."), code="unknown_hamlet")
    before = item.hamlet_id
    item.hamlet_id = hamlet_id
    _log(item, "hamlet", user_id, before=before, after=hamlet_id)


def set_legal_type(item: Item, legal_type: str, *, user_id: int | None) -> None:
    """Opinion, complaint, denunciation or question: the law that governs the procedure."""
    if legal_type not in LEGAL_TYPES:
        raise ValidationError(_l("Loại đơn không hợp lệ."), code="bad_legal_type")
    on_agenda = db.session.scalar(select(AgendaEntry.id).where(AgendaEntry.item_id == item.id))
    if legal_type == "denunciation" and on_agenda:
        # A denunciation is never discussed in public: take it off the agenda first.
        raise ValidationError(
            _l(
                "Ý kiến đang có trong chương trình đối thoại; hãy rút ra "
                "trước khi chuyển thành đơn tố cáo."
            ),
            code="denunciation_on_agenda",
        )
    before = item.legal_type
    item.legal_type = legal_type
    _log(item, "legal_type", user_id, before=before, after=legal_type)


def assign_to_dialogue(item: Item, dialogue_id: int, *, user_id: int | None) -> AgendaEntry:
    """Put the item on a planned dialogue's agenda, exactly as the dialogue page does.

    `agenda.assign_item` refuses denunciations, flags complaints, takes the item off a
    previous agenda and invites its resident at once when invitations already went out.
    """
    dialogue = db.session.get(Dialogue, dialogue_id)
    if dialogue is None or dialogue.commune_id != item.commune_id:
        raise NotFound(_l("Không tìm thấy buổi đối thoại này."), code="unknown_dialogue")
    if dialogue.status != "planned":
        raise ValidationError(
            _l("Buổi đối thoại này không còn nhận ý kiến."), code="dialogue_closed"
        )
    entry = agenda.assign_item(dialogue, item, user_id=user_id)
    _log(item, "dialogue", user_id, after=dialogue.id)
    return entry


def mark_duplicate(item: Item, kept: Item, *, user_id: int | None) -> None:
    """Merge `item` into `kept`; its resident is told which code to follow."""
    if kept.id == item.id:
        raise ValidationError(_l("Không thể gộp ý kiến vào chính nó."), code="same_item")
    if kept.commune_id != item.commune_id:
        raise ValidationError(_l("Chỉ gộp ý kiến trong cùng xã, phường."), code="other_commune")
    while kept.duplicate_of is not None:  # merge into the root, never into a merged one
        kept = kept.duplicate_of
    if kept.id == item.id:
        raise ValidationError(_l("Không thể gộp vòng."), code="merge_cycle")
    for earlier in merged_items(item):  # items merged into this one follow it
        earlier.duplicate_of_id = kept.id
    item.duplicate_of_id = kept.id
    change_status(item, "duplicate", actor="user", user_id=user_id, note=kept.tracking_code)
    _log(item, "merged", user_id, into=kept.id)
    if item.contact_phone:
        with in_language(language_of(item.contact_phone)):
            body = _(
                "Ý kiến mã %(code)s trùng với ý kiến mã %(kept)s, được xử lý chung. "
                "Tra cứu: TT %(kept)s",
                code=item.tracking_code,
                kept=kept.tracking_code,
            )
        queue_sms(
            item.contact_phone, body, kind="merged", commune_id=item.commune_id, item_id=item.id
        )


def reject(item: Item, reason: str, *, user_id: int | None) -> None:
    """Reject spam or abuse; the reason is required and kept."""
    reason = collapse_spaces(nfc(reason or ""))[:MAX_REASON_LENGTH]
    if not reason:
        raise ValidationError(_l("Cần ghi lý do từ chối."), code="reason_required")
    change_status(item, "rejected", actor="user", user_id=user_id, note=reason)
    _log(item, "rejected", user_id, reason=reason)
    tell_residents(item, reason)  # the resident hears why


def set_status(item: Item, status: str, *, user_id: int | None, note: str | None = None) -> None:
    """Move the item to any status, with an optional reason."""
    if status not in STATUSES:
        raise ValidationError(_l("Trạng thái không hợp lệ."), code="bad_status")
    if status == item.status:
        return
    if status == "closed":  # resolving needs a note of what was done
        followup.resolve(item, note or "", user_id=user_id)
        return
    before = item.status
    note = collapse_spaces(nfc(note))[:MAX_REASON_LENGTH] if note else None
    change_status(item, status, actor="user", user_id=user_id, note=note)
    audit(
        "item.status",
        user_id=user_id,
        commune_id=item.commune_id,
        object_type="item",
        object_id=item.id,
        detail={"before": before, "after": status},
    )
    tell_residents(item, note)  # rejected, forwarded, escalated: the resident hears of it


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: the items changed, and those skipped with the reason why."""

    done: list[Item]
    skipped: list[tuple[Item, str]]


def apply_to_each(items: list[Item], action: Callable[[Item], None]) -> BulkResult:
    """Apply an action item by item: one refused item is skipped (with its reason) and
    leaves the others' changes in place."""
    done, skipped = [], []
    for item in items:
        try:
            with db.session.begin_nested():
                action(item)
        except DomainError as e:
            skipped.append((item, str(e.message)))
        else:
            done.append(item)
    return BulkResult(done, skipped)


BULK_ACTIONS = ("category", "hamlet", "legal_type", "dialogue", "duplicate", "reject")


def bulk(
    items: list[Item], action: str, *, number: int | None, text: str, user_id: int | None
) -> BulkResult:
    """The inbox's bulk action on each item (see `apply_to_each`): `number` is the id chosen
    in its menu (category, hamlet, dialogue), `text` what was typed (legal type, the kept
    item's code, the reason to reject)."""
    return apply_to_each(
        items, lambda item: _bulk_one(item, action, number=number, text=text, user_id=user_id)
    )


def _bulk_one(item: Item, action: str, *, number, text: str, user_id) -> None:
    if action == "category":
        set_category(item, number, user_id=user_id)
    elif action == "hamlet":
        set_hamlet(item, number, user_id=user_id)
    elif action == "legal_type":
        set_legal_type(item, text, user_id=user_id)
    elif action == "dialogue":
        assign_unless_similar(item, number or 0, user_id=user_id)
    elif action == "duplicate":
        mark_duplicate(item, _kept_item(text, item), user_id=user_id)
    elif action == "reject":
        reject(item, text, user_id=user_id)
    else:
        raise ValidationError(_l("Thao tác không hợp lệ."), code="bad_action")


def _kept_item(code: str, item: Item) -> Item:
    kept = search.item_for_code(code, (item.commune_id,))
    if kept is None:
        raise NotFound(_l("Không tìm thấy ý kiến mã %(code)s.", code=code), code="unknown_item")
    return kept


def assign_unless_similar(item: Item, dialogue_id: int, *, user_id: int | None) -> None:
    """Put the item on a dialogue's agenda, unless one already there reads like it (the
    refusal, code `similar_on_agenda`, carries those items as `detail["similar"]`)."""
    dialogue = db.session.get(Dialogue, dialogue_id)
    if dialogue is not None and dialogue.commune_id == item.commune_id:
        agenda.refuse_if_similar(dialogue, item)
    assign_to_dialogue(item, dialogue_id, user_id=user_id)


@dataclass(frozen=True)
class TriageChange:
    """The triage panel as the official sent it: what the item should become."""

    category_id: int | None
    hamlet_id: int | None
    legal_type: str
    responsible_officer_id: int | None = None
    responsible_body: str | None = None
    due_date: date | None = None
    due_reason: str | None = None
    dialogue_id: int | None = None
    status: str | None = None
    note: str | None = None
    confirm_similar: bool = False  # put it on the agenda even if one there reads like it


def apply(item: Item, change: TriageChange, *, user_id: int | None) -> None:
    """Make the item what the triage panel says, each change logged; a refusal of any part
    refuses the whole (the request's transaction is rolled back)."""
    if change.category_id != item.category_id:
        set_category(item, change.category_id, user_id=user_id)
    if change.hamlet_id != item.hamlet_id:
        set_hamlet(item, change.hamlet_id, user_id=user_id)
    if change.legal_type != item.legal_type:
        set_legal_type(item, change.legal_type, user_id=user_id)
    followup.set_responsible(
        item,
        officer_id=change.responsible_officer_id,
        outside_body=change.responsible_body,
        user_id=user_id,
    )
    followup.set_due_date(item, change.due_date, reason=change.due_reason, user_id=user_id)
    if change.dialogue_id and change.dialogue_id != item.dialogue_id:
        assign = assign_to_dialogue if change.confirm_similar else assign_unless_similar
        assign(item, change.dialogue_id, user_id=user_id)
    _change_status(item, change.status or item.status, change.note, user_id=user_id)


def _change_status(item: Item, status: str, note: str | None, *, user_id: int | None) -> None:
    if status == "rejected" and item.status != "rejected":
        reject(item, note or "", user_id=user_id)
    elif status != item.status:
        set_status(item, status, user_id=user_id, note=note)


@dataclass(frozen=True)
class ReplyPreview:
    body: str  # what will really be sent (unaccented when that saves parts)
    encoding: str
    parts: int
    recipients: int
    cost: int  # đồng

    @property
    def total_parts(self) -> int:
        return self.parts * self.recipients


def reply_recipients(item: Item) -> list[str]:
    """Every phone to tell: this item's resident and those whose items were merged into it."""
    phones = [item.contact_phone] if item.contact_phone else []
    for merged in merged_items(item):
        if merged.contact_phone and merged.contact_phone not in phones:
            phones.append(merged.contact_phone)
    return phones


def preview_reply(item: Item, body: str) -> ReplyPreview:
    """What a reply will cost before it is sent: parts per SMS, recipients, price."""
    body = _valid_reply(body)
    sent = fit_for_sms(body)
    segments = count_segments(sent)
    recipients = len(reply_recipients(item))
    price = int(current_app.config["SMS_PRICE_PER_PART"])
    return ReplyPreview(
        sent, segments.encoding, segments.parts, recipients, segments.parts * recipients * price
    )


def reply_by_sms(item: Item, body: str, *, user_id: int | None) -> int:
    """Queue the reply to every resident of the item; returns how many SMS were queued."""
    body = _valid_reply(body)
    recipients = reply_recipients(item)
    if not recipients:
        raise ValidationError(_l("Ý kiến này không có số điện thoại."), code="no_phone")
    queued = 0
    for phone in recipients:
        if queue_sms(phone, body, kind="reply", commune_id=item.commune_id, item_id=item.id):
            queued += 1
    _log(item, "sms_reply", user_id, body=body, recipients=len(recipients), queued=queued)
    return queued


def _valid_reply(body: str) -> str:
    body = nfc((body or "").strip())
    if not body:
        raise ValidationError(_l("Nội dung tin nhắn đang trống."), code="empty_reply")
    if len(body) > MAX_REPLY_LENGTH:
        raise ValidationError(_l("Tin nhắn quá dài."), code="reply_too_long")
    return body


def merged_items(item: Item) -> list[Item]:
    """The items merged into this one (its duplicates), oldest first."""
    return list(
        db.session.scalars(select(Item).where(Item.duplicate_of_id == item.id).order_by(Item.id))
    )


def raised_count(item: Item) -> int:
    """How many residents raised this: the item itself and every item merged into it."""
    merged = db.session.scalar(select(func.count(Item.id)).where(Item.duplicate_of_id == item.id))
    return 1 + (merged or 0)


def suggested_duplicates(item: Item, limit: int = 5) -> list[tuple[Item, float]]:
    """Items of the same commune and hamlet from the last 90 days with similar folded text."""
    since = (item.created_at or utcnow()) - timedelta(days=DUPLICATE_LOOKBACK_DAYS)
    same_hamlet = (
        Item.hamlet_id.is_(None) if item.hamlet_id is None else Item.hamlet_id == item.hamlet_id
    )
    candidates = db.session.scalars(
        select(Item)
        .where(
            Item.commune_id == item.commune_id,
            Item.id != item.id,
            same_hamlet,
            Item.created_at >= since,
            Item.status.notin_(("rejected", "duplicate")),
        )
        .order_by(Item.created_at.desc())
        .limit(500)
    )
    return most_similar(item, candidates)[:limit]
