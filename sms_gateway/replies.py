"""The texts the SMS gateway answers with, in the current locale (Vietnamese first).

Each is short enough for one segment: with diacritics when it fits 70 UCS-2 characters,
otherwise unaccented in 160 GSM-7 characters (`fit_for_sms` chooses; the tests count).
"""

from __future__ import annotations

from flask_babel import gettext as _

from nghedan.models import Item, Officer
from nghedan.services.status import describe_status


def help_text() -> str:
    return _("Nhắn nội dung để gửi ý kiến. TT <mã> để tra cứu. DG <mã cán bộ> <1-4> để "
             "đánh giá (1 rất hài lòng, 4 không hài lòng). HUY để ngừng nhận tin.")


def received(item: Item) -> str:
    return _("Đã nhận ý kiến, mã tra cứu %(code)s. Nhắn TT %(code)s để xem kết quả.",
             code=item.tracking_code)


def appended(item: Item) -> str:
    return _("Đã bổ sung vào ý kiến mã %(code)s.", code=item.tracking_code)


def status_of(item: Item, *, reveal_answer: bool) -> str:
    """The item's status; the answer itself only when the item is not confidential."""
    if reveal_answer:
        return _("Mã %(code)s: %(status)s", code=item.tracking_code, status=describe_status(item))
    return _("Mã %(code)s: đã tiếp nhận, đang xử lý.", code=item.tracking_code)


def missing_code() -> str:
    return _("Nhắn TT và mã tra cứu 8 số, ví dụ: TT 12345671")


def bad_code(code: str) -> str:
    return _("Mã %(code)s không đúng, kiểm tra lại.", code=code)


def unknown_code(code: str) -> str:
    return _("Không tìm thấy ý kiến mã %(code)s.", code=code)


def rating_usage() -> str:
    return _("Nhắn DG <mã cán bộ> <mức>, ví dụ DG 01 1. Mức: 1 rất hài lòng, 2 hài lòng, "
             "3 bình thường, 4 không hài lòng.")


def unknown_officer(code: str) -> str:
    return _("Không có cán bộ mã %(code)s. Mã cán bộ ghi ở bàn làm việc.", code=code)


def rating_recorded(officer: Officer, score: int) -> str:
    return _("Cảm ơn đã đánh giá %(name)s: %(level)s.", name=officer.name, level=level(score))


def rating_repeated(officer: Officer) -> str:
    return _("Bạn vừa đánh giá %(name)s, chỉ tính một lần.", name=officer.name)


def level(score: int) -> str:
    """The four-level public-service scale, as residents read it."""
    return {1: _("rất hài lòng"), 2: _("hài lòng"), 3: _("bình thường"),
            4: _("không hài lòng")}.get(score, str(score))


def opted_out() -> str:
    return _("Đã ngừng gửi tin đến số này. Nhắn DK để nhận lại.")


def opted_in() -> str:
    return _("Đã nhận lại tin nhắn. Nhắn HUY để ngừng.")

