"""An item's status in plain words, for SMS replies, the kiosk and the public page."""

from __future__ import annotations

from flask_babel import gettext as _

from nghedan.formatting import fmt_date, fmt_time
from nghedan.models import Item

ANSWER_PREVIEW = 200


def describe_status(item: Item) -> str:
    """One or two plain sentences a resident understands, in the current locale."""
    status = item.status
    if status == "scheduled" and item.dialogue is not None:
        d = item.dialogue
        return _(
            "Sẽ được trả lời tại buổi đối thoại %(time)s ngày %(date)s tại %(place)s.",
            time=fmt_time(d.starts_at),
            date=fmt_date(d.starts_at),
            place=d.place,
        )
    if status in ("answered", "closed") and item.answer:
        return _("Đã trả lời: %(answer)s", answer=_shorten(item.answer))
    if status == "forwarded":
        return _(
            "Đã chuyển đến %(dept)s, hạn xử lý %(date)s.",
            dept=item.forwarded_to or _("bộ phận chuyên môn"),
            date=fmt_date(item.due_date),
        )
    if status == "escalated":
        return _("Đã kiến nghị lên %(body)s.", body=item.escalated_to or _("cấp trên"))
    if status == "duplicate" and item.duplicate_of is not None:
        return _(
            "Trùng với ý kiến mã %(code)s, được xử lý chung.", code=item.duplicate_of.tracking_code
        )
    return _plain_status(status)


def _plain_status(status: str) -> str:
    words = {
        "new": _("Đã tiếp nhận, đang chờ xem xét."),
        "triaged": _("Đã tiếp nhận và phân loại, đang chờ xếp lịch trả lời."),
        "scheduled": _("Đã đưa vào buổi đối thoại sắp tới."),
        "answered": _("Đã trả lời."),
        "closed": _("Đã giải quyết xong."),
        "duplicate": _("Trùng với một ý kiến khác, được xử lý chung."),
        "rejected": _("Không được tiếp nhận."),
    }
    return words.get(status, _("Đã tiếp nhận."))


def status_label(status: str) -> str:
    """A short label for lists and badges."""
    labels = {
        "new": _("Mới"),
        "triaged": _("Đã phân loại"),
        "scheduled": _("Đã xếp lịch"),
        "answered": _("Đã trả lời"),
        "closed": _("Đã xong"),
        "forwarded": _("Đã chuyển"),
        "escalated": _("Kiến nghị cấp trên"),
        "duplicate": _("Trùng lặp"),
        "rejected": _("Từ chối"),
    }
    return labels.get(status, status)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ANSWER_PREVIEW else text[: ANSWER_PREVIEW - 1].rstrip() + "…"
