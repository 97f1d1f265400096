"""Closing the loop by SMS: the resident hears when officials reject an item (and why), or
forward or escalate it (to whom, by when). Each text is one segment, in the resident's own
language, queued in the caller's transaction; an opted-out phone gets nothing."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from nghedan.extensions import db
from nghedan.formatting import fmt_date
from nghedan.i18n import in_language
from nghedan.models import Item
from nghedan.services.sms.contacts import language_of
from nghedan.services.sms.outbox import queue_sms
from nghedan.sms_text import fits_one_segment
from nghedan.text import collapse_spaces

TOLD_STATUSES = ("rejected", "forwarded", "escalated")


def tell_residents(item: Item, note: str | None = None) -> int:
    """Text the item's residents its new status (rejected, forwarded, escalated); how many."""
    if item.status not in TOLD_STATUSES:
        return 0
    queued = 0
    for phone in _phones(item):
        with in_language(language_of(phone)):
            body = status_text(item, note)
        queued += (
            queue_sms(
                phone, body, kind=f"item_{item.status}", commune_id=item.commune_id, item_id=item.id
            )
            is not None
        )
    return queued


def _phones(item: Item) -> list[str]:
    """The sender, and the senders of items merged into this one (never others' for a
    denunciation: its sender alone may hear of it)."""
    phones = [item.contact_phone] if item.contact_phone else []
    if not item.is_denunciation:
        phones += db.session.scalars(
            select(Item.contact_phone).where(
                Item.duplicate_of_id == item.id, Item.contact_phone.is_not(None)
            )
        ).all()
    return list(dict.fromkeys(phones))


def status_text(item: Item, note: str | None = None) -> str:
    """What the resident reads, in one segment (a long reason or name is shortened)."""
    note = collapse_spaces(note or "")
    code, due = item.tracking_code, fmt_date(item.due_date)
    if item.status == "rejected":
        return _shortened(
            lambda reason: _(
                "Ý kiến mã %(code)s không được tiếp nhận. Lý do: %(reason)s",
                code=code,
                reason=reason,
            ),
            note or _("không đúng nội dung tiếp nhận."),
        )
    if item.status == "forwarded":
        whom = item.forwarded_to or item.responsible or note or _("bộ phận chuyên môn")
        if due:
            return _shortened(
                lambda w: _(
                    "Ý kiến mã %(code)s đã chuyển đến %(whom)s, hạn xử lý %(date)s.",
                    code=code,
                    whom=w,
                    date=due,
                ),
                whom,
            )
        return _shortened(
            lambda w: _("Ý kiến mã %(code)s đã chuyển đến %(whom)s giải quyết.", code=code, whom=w),
            whom,
        )
    whom = item.escalated_to or note or _("cấp trên")
    if due:
        return _shortened(
            lambda w: _(
                "Ý kiến mã %(code)s đã được kiến nghị lên %(whom)s, hạn trả lời %(date)s.",
                code=code,
                whom=w,
                date=due,
            ),
            whom,
        )
    return _shortened(
        lambda w: _("Ý kiến mã %(code)s đã được kiến nghị lên %(whom)s.", code=code, whom=w), whom
    )


def _shortened(render, words: str) -> str:
    """`render(words)`, with `words` cut at a word boundary until the text fits one segment."""
    while True:
        text = render(words)
        if fits_one_segment(text) or not words:
            return text
        cut = words[: max(len(words) - 10, 0)].rsplit(" ", 1)[0]
        words = cut + "..." if cut else ""
