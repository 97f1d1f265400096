"""What residents read about an item and about a code they typed, in the current language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from nghedan.errors import DomainError
from nghedan.formatting import fmt_date, fmt_time
from nghedan.models import Item
from nghedan.services.items.status import describe_status, status_label
from nghedan.services.people import places


@dataclass(frozen=True)
class PublicStatus:
    """An item as anyone with its code may see it: never the phone, the name or the text."""

    code: str
    status: str
    label: str
    description: str
    category: str | None = None
    hamlet: str | None = None
    dialogue_place: str | None = None
    dialogue_starts_at: datetime | None = None
    answer: str | None = None
    reason: str | None = None  # why the commune did not accept it (rejected items)
    confidential: bool = False


def public_status(item: Item) -> PublicStatus:
    """The public view of an item; a denunciation shows its status only."""
    label = status_label(item.status)
    if item.is_denunciation:
        return PublicStatus(item.tracking_code, item.status, label, label, confidential=True)
    dialogue = item.dialogue
    return PublicStatus(
        code=item.tracking_code,
        status=item.status,
        label=label,
        description=describe_status(item),
        category=category_name(item.category) if item.category else None,
        hamlet=item.hamlet.name if item.hamlet else None,
        dialogue_place=dialogue.place if dialogue is not None else None,
        dialogue_starts_at=dialogue.starts_at if dialogue is not None else None,
        answer=item.answer if item.status in ("answered", "closed") else None,
        reason=rejection_reason(item) if item.status == "rejected" else None,
    )


def rejection_reason(item: Item) -> str | None:
    """The reason the official gave when rejecting the item (the last move to rejected)."""
    moves = [e for e in item.events if e.kind == "status" and e.to_status == "rejected"]
    return moves[-1].note if moves and moves[-1].note else None


def category_name(category) -> str:
    return category.name_en if str(get_locale()) == "en" else category.name


def lookup_problem(problem: str) -> str:
    """Why a typed code found nothing, in plain words."""
    return {
        "empty": _("Vui lòng nhập mã tra cứu gồm 8 chữ số."),
        "not_digits": _("Mã tra cứu chỉ gồm chữ số."),
        "wrong_length": _("Mã tra cứu có đúng 8 chữ số. Vui lòng xem lại."),
        "bad_check_digit": _(
            "Mã này không đúng: có thể gõ nhầm một chữ số. Vui lòng xem lại phiếu và nhập lại."
        ),
        "not_found": _("Không tìm thấy ý kiến nào có mã này."),
    }.get(problem, _("Không tìm thấy ý kiến nào có mã này."))


def too_many_misses(seconds: int) -> str:
    """Why the public status page asks an address to wait."""
    minutes = max(1, -(-seconds // 60))
    return _(
        "Đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau %(n)s phút, "
        "hoặc gọi điện đến Ủy ban nhân dân xã.",
        n=minutes,
    )


def domain_error(error: DomainError) -> str:
    """A service's refusal in the current language (services speak Vietnamese only)."""
    return {
        "empty_text": _("Vui lòng viết nội dung ý kiến."),
        "text_too_long": _("Ý kiến quá dài. Vui lòng viết ngắn hơn."),
        "bad_phone": _("Số điện thoại chưa đúng. Vui lòng xem lại hoặc để trống."),
        "unknown_hamlet": _("Vui lòng chọn lại ấp, khóm."),
        "unknown_category": _("Vui lòng chọn lại lĩnh vực."),
        "bad_legal_type": _("Vui lòng chọn lại loại ý kiến."),
        "bad_score": _("Vui lòng chọn một mức đánh giá."),
        "bad_reason": _("Vui lòng chọn lại lý do."),
        "reason_not_allowed": _("Chỉ chọn lý do khi chưa hài lòng."),
        "comment_too_long": _("Góp ý quá dài. Vui lòng viết ngắn hơn."),
    }.get(error.code, error.message)


def reason_labels() -> dict[str, str]:
    """Reason chips for the two lower rating levels (codes from nghedan.models.ratings)."""
    return {
        "attitude": _("Thái độ chưa tốt"),
        "slow": _("Chậm trễ"),
        "unclear_guidance": _("Hướng dẫn chưa rõ"),
        "extra_papers": _("Yêu cầu giấy tờ ngoài quy định"),
        "harassment": _("Gây phiền hà"),
    }


def score_labels() -> dict[int, str]:
    return {1: _("Rất hài lòng"), 2: _("Hài lòng"), 3: _("Bình thường"), 4: _("Không hài lòng")}


def legal_type_labels() -> dict[str, str]:
    return {
        "opinion": _("Ý kiến, kiến nghị"),
        "complaint": _("Khiếu nại"),
        "denunciation": _("Tố cáo"),
    }


unit_word = places.kind_label  # `xã`, `phường` or `đặc khu` in the screen's language


def commune_title(commune) -> str:
    return _("UBND %(kind)s %(name)s", kind=unit_word(commune), name=commune.name)


def receipt_heading(item: Item) -> str:
    """The receipt's first line: what the commune received."""
    return {
        "complaint": _("Đã nhận khiếu nại của ông/bà"),
        "denunciation": _("Đã nhận tố cáo của ông/bà"),
    }.get(item.legal_type, _("Đã nhận ý kiến của ông/bà"))


def legal_note(item: Item) -> list[str]:
    """For a complaint or denunciation: what the law needs for it to be handled, and that the
    sender is protected (Law on Complaints 2011 art. 8 and 6; Law on Denunciation 2018 art. 23,
    25 and 47). Empty for an ordinary opinion."""
    if item.legal_type == "complaint":
        return [
            _(
                "Để khiếu nại được giải quyết theo Luật Khiếu nại, ông/bà cần gửi đơn ghi rõ họ "
                "tên, địa chỉ, nội dung và ký tên (hoặc điểm chỉ), hoặc trình bày trực tiếp tại "
                "nơi tiếp công dân của %(unit)s.",
                unit=unit_word(item.commune),
            ),
            _("Pháp luật nghiêm cấm trù dập, trả thù người khiếu nại."),
        ]
    if item.legal_type == "denunciation":
        return [
            _(
                "Để tố cáo được giải quyết theo Luật Tố cáo, ông/bà cần gửi đơn ghi rõ họ tên, "
                "địa chỉ, nội dung và ký tên (hoặc điểm chỉ), hoặc trình bày trực tiếp tại nơi "
                "tiếp công dân của %(unit)s.",
                unit=unit_word(item.commune),
            ),
            _(
                "Người tố cáo được pháp luật bảo vệ: họ tên, địa chỉ của ông/bà được giữ bí mật; "
                "tố cáo không được đưa ra buổi đối thoại."
            ),
        ]
    return []


def next_dialogue_line(dialogue, hamlet=None) -> str:
    """Where and when the resident's hamlet (or the commune) next meets the commune."""
    values = {
        "time": fmt_time(dialogue.starts_at),
        "date": fmt_date(dialogue.starts_at),
        "place": dialogue.place,
    }
    if hamlet is not None:
        return _(
            "Buổi đối thoại tới của %(hamlet)s: %(time)s ngày %(date)s, tại %(place)s.",
            hamlet=hamlet.name,
            **values,
        )
    return _(
        "Buổi đối thoại tới của %(unit)s: %(time)s ngày %(date)s, tại %(place)s.",
        unit=unit_word(dialogue.commune),
        **values,
    )
