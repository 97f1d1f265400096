"""The texts the SMS gateway answers with, in the current locale (Vietnamese first).

Each is short enough for one segment: with diacritics when it fits 70 UCS-2 characters,
otherwise unaccented in 160 GSM-7 characters (`fit_for_sms` chooses; the tests count).
Examples are real ones a resident can copy (`TT 12345671`), never `<…>` templates.
The resident is always `ông/bà` (DOMAIN-VI.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from nghedan.formatting import local
from nghedan.models import Dialogue, Hamlet, Item, Officer
from nghedan.services.items.status import describe_status
from nghedan.sms_text import fits_one_segment
from nghedan.text import fold_diacritics

EXAMPLE_CODE = "12345671"  # a valid code, for examples


def one_segment(*candidates: str) -> str:
    """The first text that fits one segment (unaccented if need be); else the last."""
    for text in candidates:
        if fits_one_segment(text):
            return text
    return candidates[-1]


def help_text() -> str:
    return _(
        "Gửi ý kiến: nhắn nội dung. Tra cứu: TT %(code)s. Đánh giá cán bộ: DG 01 hài "
        "lòng. Lịch đối thoại: LICH. Ngừng nhận tin: HUY.",
        code=EXAMPLE_CODE,
    )


def chatter(thanks: bool) -> str:
    """A friendly answer to `ok`, `alo`, `cảm ơn`, an emoji: what the number is for."""
    if thanks:
        return _(
            "Cảm ơn ông/bà. Gửi ý kiến: nhắn nội dung. Tra cứu: TT và mã 8 số. "
            "Lịch đối thoại: LICH."
        )
    return _(
        "Xin chào ông/bà. Gửi ý kiến: nhắn nội dung. Tra cứu: TT và mã 8 số. Lịch đối thoại: LICH."
    )


def received(item: Item, next_dialogue: str = "", *, earlier: str | None = None) -> str:
    """The new item's code, what it adds to (`earlier`), and the next dialogue when planned."""
    if earlier:
        head = _(
            "Đã nhận ý kiến mới, mã %(code)s, bổ sung cho ý kiến mã %(earlier)s.",
            code=item.tracking_code,
            earlier=earlier,
        )
    else:
        head = _("Đã nhận ý kiến, mã tra cứu %(code)s.", code=item.tracking_code)
    follow = _("Nhắn TT %(code)s để xem kết quả.", code=item.tracking_code)
    if next_dialogue:
        return one_segment(
            f"{head} {next_dialogue} {follow}", f"{head} {next_dialogue}", f"{head} {follow}"
        )
    return f"{head} {follow}"


def legal_procedure(item: Item, kind: str) -> str:
    """A complaint or denunciation: its code, what the law needs, and (tố cáo) confidentiality."""
    unit = item.commune.kind_word  # `UBND phường` for a ward
    if kind == "denunciation":
        return _(
            "Đã nhận, mã %(code)s. Tố cáo cần đơn ghi họ tên, địa chỉ, có chữ ký, nộp tại "
            "UBND %(unit)s. Danh tính người tố cáo được giữ bí mật.",
            code=item.tracking_code,
            unit=unit,
        )
    return _(
        "Đã nhận, mã %(code)s. Khiếu nại cần đơn ghi họ tên, địa chỉ, có chữ ký, nộp tại "
        "UBND %(unit)s. Thông tin của ông/bà được bảo vệ.",
        code=item.tracking_code,
        unit=unit,
    )


def appended(item: Item) -> str:
    return _("Đã bổ sung vào ý kiến mã %(code)s.", code=item.tracking_code)


def status_of(item: Item, *, reveal_answer: bool) -> str:
    """The item's status; the answer itself only when the item is not confidential."""
    if reveal_answer:
        return _("Mã %(code)s: %(status)s", code=item.tracking_code, status=describe_status(item))
    return _("Mã %(code)s: đã tiếp nhận, đang xử lý.", code=item.tracking_code)


def missing_code() -> str:
    return _("Nhắn TT và mã tra cứu 8 số, ví dụ: TT %(code)s", code=EXAMPLE_CODE)


def bad_code(code: str) -> str:
    return _("Mã %(code)s không đúng, kiểm tra lại.", code=code)


def bad_length(code: str) -> str:
    return _(
        "Mã tra cứu có 8 chữ số; %(code)s có %(n)s số. Ông/bà kiểm tra lại.", code=code, n=len(code)
    )


def unknown_code(code: str) -> str:
    return _("Không tìm thấy ý kiến mã %(code)s.", code=code)


def rating_usage() -> str:
    return _(
        "Nhắn DG, mã cán bộ và mức, ví dụ: DG 01 hài lòng. Mức: 1 rất hài lòng, 2 hài "
        "lòng, 3 bình thường, 4 không hài lòng."
    )


def rating_conflict(officer_code: str, score: int, words: str) -> str:
    """The number and the words of a rating disagree: nothing counted, the scale explained."""
    return _(
        "Mức %(score)s là “%(level)s” nhưng ông/bà viết “%(words)s”. Nhắn lại: DG %(code)s 1 "
        "nếu rất hài lòng, DG %(code)s 4 nếu không hài lòng.",
        score=score,
        level=level(score),
        words=words[:40],
        code=officer_code,
    )


def unknown_officer(code: str) -> str:
    return _("Không có cán bộ mã %(code)s. Mã cán bộ ghi ở bàn làm việc.", code=code)


def rating_recorded(officer: Officer, score: int, item: Item | None = None) -> str:
    """Thanks for the rating; the code of the item its comment became, when it did."""
    if item is not None:
        return _(
            "Cảm ơn ông/bà đã đánh giá %(name)s: %(level)s. Góp ý có mã %(code)s.",
            name=officer.name,
            level=level(score),
            code=item.tracking_code,
        )
    return _(
        "Cảm ơn ông/bà đã đánh giá %(name)s: %(level)s.", name=officer.name, level=level(score)
    )


def rating_repeated(officer: Officer, item: Item | None = None) -> str:
    """A rating counted once; the code of the item a comment sent with it became."""
    if item is not None:
        return _(
            "Ông/bà vừa đánh giá %(name)s, chỉ tính một lần. Góp ý có mã %(code)s.",
            name=officer.name,
            code=item.tracking_code,
        )
    return _("Ông/bà vừa đánh giá %(name)s, chỉ tính một lần.", name=officer.name)


def level(score: int) -> str:
    """The four-level public-service scale, as residents read it."""
    return {
        1: _("rất hài lòng"),
        2: _("hài lòng"),
        3: _("bình thường"),
        4: _("không hài lòng"),
    }.get(score, str(score))


def opted_out() -> str:
    return _("Đã ngừng gửi tin đến số này. Nhắn DK để nhận lại.")


def opted_in() -> str:
    return _("Đã nhận lại tin nhắn. Nhắn HUY để ngừng.")


def ask_stop(unit: str = "xã") -> str:
    return _(
        "Ông/bà muốn ngừng nhận tin nhắn của %(unit)s? Nhắn HUY để ngừng. "
        "Gửi ý kiến: nhắn nội dung.",
        unit=unit,
    )


# --- when and where: the next dialogues --------------------------------------------------


HAMLET_KINDS = {
    "ap": "ấp",
    "khom": "khóm",
    "thon": "thôn",
    "ban": "bản",
    "to_dan_pho": "tổ dân phố",
}


def hamlet_label(hamlet: Hamlet) -> str:
    """`ấp Tân Phú` in a sentence, whether the name is stored `Ấp Tân Phú` or `Tân Phú`."""
    kind = HAMLET_KINDS.get(hamlet.kind, "ấp")
    name = hamlet.name
    if fold_diacritics(name).startswith(fold_diacritics(kind) + " "):
        return kind + name[len(kind) :]
    return f"{kind} {name}"


def _weekday(dialogue: Dialogue) -> str:
    day = local(dialogue.starts_at).weekday()
    return (
        _("thứ Hai"),
        _("thứ Ba"),
        _("thứ Tư"),
        _("thứ Năm"),
        _("thứ Sáu"),
        _("thứ Bảy"),
        _("Chủ nhật"),
    )[day]


def dialogue_when(dialogue: Dialogue) -> str:
    """`19:00 thứ Bảy 12/12 tại Nhà văn hóa ấp Tân Phú`."""
    at = local(dialogue.starts_at)
    return _(
        "%(time)s %(weekday)s %(date)s tại %(place)s",
        time=at.strftime("%H:%M"),
        weekday=_weekday(dialogue),
        date=at.strftime("%d/%m"),
        place=dialogue.place,
    )


def next_dialogue(dialogue: Dialogue | None, hamlet: Hamlet | None) -> str:
    """The sentence a "received" reply adds; empty when nothing is planned."""
    if dialogue is None:
        return ""
    if hamlet is not None:
        return _(
            "Buổi đối thoại gần nhất ở %(hamlet)s: %(when)s.",
            hamlet=hamlet_label(hamlet),
            when=dialogue_when(dialogue),
        )
    return _(
        "Buổi đối thoại gần nhất của %(unit)s: %(when)s.",
        unit=dialogue.commune.kind_word,
        when=dialogue_when(dialogue),
    )


def schedule(dialogues: Iterable[Dialogue], hamlet: Hamlet | None, unit: str = "xã") -> str:
    """The answer to LICH: the next dialogues, or that none is planned yet (`unit`: the
    commune's kind, `xã` or `phường`…)."""
    whens = [dialogue_when(d) for d in dialogues]
    unit_title = unit[:1].upper() + unit[1:]
    if not whens:
        if hamlet is not None:
            # "nhà văn hóa" alone: the hamlet may be a thôn, bản or tổ dân phố, not an ấp.
            return _(
                "Chưa có lịch đối thoại ở %(hamlet)s. %(unit)s sẽ báo trên loa và tại nhà văn hóa.",
                hamlet=hamlet_label(hamlet),
                unit=unit_title,
            )
        return _(
            "Chưa có lịch đối thoại mới. %(unit)s sẽ báo trên loa và tại nhà văn hóa.",
            unit=unit_title,
        )
    where = (
        _("ở %(hamlet)s", hamlet=hamlet_label(hamlet))
        if hamlet is not None
        else _("của %(unit)s", unit=unit)
    )
    texts = [
        _("Lịch đối thoại %(where)s: %(when)s.", where=where, when="; ".join(whens[:n]))
        for n in range(len(whens), 0, -1)
    ]
    return one_segment(*texts)
