"""The conclusion notice (thông báo kết luận) of a dialogue: its content, .docx, publication.

The notice is a Vietnamese administrative document (Decree 30/2020 layout), so its text
is Vietnamese whatever language the official reads the panel in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.formatting import fmt_date, fmt_number, fmt_time, local
from nghedan.models import Dialogue, Item, utcnow
from nghedan.services import dialogue_sms
from nghedan.services.agenda import in_meeting_order
from nghedan.services.history import audit, change_status

COMMUNE_BODY = {"xa": "XÃ", "phuong": "PHƯỜNG", "dac_khu": "ĐẶC KHU"}
# Where each outcome leaves the item once the notice is published.
STATUS_AFTER = {"resolved": "closed", "explained": "answered",
                "commune_will_resolve": "answered", "escalated": "escalated"}
NUMBER_SUFFIX = "/TB-UBND"
KIND_WORDS = {"dialogue": "Hội nghị đối thoại với Nhân dân",
              "voters": "Hội nghị tiếp xúc cử tri",
              "thematic": "Hội nghị đối thoại chuyên đề với Nhân dân"}


@dataclass(frozen=True)
class NoticeEntry:
    code: str
    question: str
    answer: str
    hamlet: str = ""
    responsible: str = ""
    due: str = ""
    body: str = ""


@dataclass(frozen=True)
class ConclusionNotice:
    """Everything printed on the notice, already worded in Vietnamese."""

    issuer: tuple[str, str]
    number: str
    place_date: str
    summary: str
    opening: str
    resolved: list[NoticeEntry] = field(default_factory=list)
    will_resolve: list[NoticeEntry] = field(default_factory=list)
    escalated: list[NoticeEntry] = field(default_factory=list)
    explained: list[NoticeEntry] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signing_authority: str = ""
    signing_title: str = ""
    signer: str = ""
    published: bool = False


def build_notice(dialogue: Dialogue, *, number: str | None = None,
                 on: date | None = None) -> ConclusionNotice:
    """The notice of a held dialogue, as it will be printed."""
    commune = dialogue.commune
    hamlet_names = ", ".join(h.name for h in dialogue.hamlets)
    on = on or local(dialogue.notice_published_at or utcnow()).date()
    lists = _entries(dialogue)
    return ConclusionNotice(
        issuer=("ỦY BAN NHÂN DÂN",
                f"{COMMUNE_BODY.get(commune.kind, 'XÃ')} {commune.name.upper()}"),
        number=number or dialogue.notice_number or f"     {NUMBER_SUFFIX}",
        place_date=f"{commune.name}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}",
        summary=(f"Kết luận của Chủ tịch UBND {dialogue_sms.commune_label(commune)} tại "
                 f"{KIND_WORDS.get(dialogue.kind, KIND_WORDS['dialogue'])} {hamlet_names}"),
        opening=_opening(dialogue, hamlet_names, sum(len(v) for v in lists.values())),
        recipients=_recipients(dialogue),
        signing_authority=commune.notice_signing_authority,
        signing_title=commune.notice_signing_title,
        signer=dialogue.chair_name or commune.chairman_name or "",
        published=dialogue.notice_published_at is not None,
        **lists,
    )


def _opening(dialogue: Dialogue, hamlet_names: str, answered: int) -> str:
    when = local(dialogue.starts_at)
    officials = ", ".join(f"{o.name} ({o.title})" if o.title else o.name
                          for o in dialogue.officials)
    text = (f"Vào lúc {fmt_time(dialogue.starts_at).replace(':', ' giờ ')} ngày "
            f"{fmt_date(when)}, tại {dialogue.place}, Ủy ban nhân dân "
            f"{dialogue_sms.commune_label(dialogue.commune)} tổ chức "
            f"{KIND_WORDS.get(dialogue.kind, KIND_WORDS['dialogue'])} {hamlet_names}. ")
    if dialogue.chair_name:
        text += f"Chủ trì hội nghị: ông/bà {dialogue.chair_name}. "
    if officials:
        text += f"Tham dự có: {officials}. "
    if dialogue.attendance is not None:
        text += f"Có {fmt_number(dialogue.attendance)} lượt người dân tham dự. "
    text += (f"Hội nghị đã tiếp nhận và trả lời {fmt_number(answered)} ý kiến, kiến nghị. "
             "Chủ tịch UBND kết luận như sau:")
    return text


def _entries(dialogue: Dialogue) -> dict[str, list[NoticeEntry]]:
    lists = {"resolved": [], "will_resolve": [], "escalated": [], "explained": []}
    key = {"resolved": "resolved", "commune_will_resolve": "will_resolve",
           "escalated": "escalated", "explained": "explained"}
    for entry in in_meeting_order(dialogue):
        item = entry.item
        if item.dialogue_id != dialogue.id or item.outcome not in key:
            continue
        lists[key[item.outcome]].append(NoticeEntry(
            code=item.tracking_code, question=_summary(item.text), answer=item.answer or "",
            hamlet=item.hamlet.name if item.hamlet else "", responsible=item.responsible or "",
            due=fmt_date(item.due_date), body=item.escalated_to or "",
        ))
    return lists


def _summary(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _recipients(dialogue: Dialogue) -> list[str]:
    names = [f"Ban nhân dân {h.name}" for h in dialogue.hamlets]
    return names + ["Thường trực Đảng ủy, HĐND xã", "Ủy ban MTTQ Việt Nam xã",
                    "Các ban, ngành, đoàn thể xã", "Lưu: VT"]


# --- number and publication --------------------------------------------------------------


def suggested_number(dialogue: Dialogue, on: date | None = None) -> str:
    """The next notice number of the commune this year: `15/TB-UBND`."""
    year = (on or local(utcnow()).date()).year
    rows = db.session.execute(
        select(Dialogue.notice_number, Dialogue.notice_published_at)
        .where(Dialogue.commune_id == dialogue.commune_id,
               Dialogue.notice_published_at.is_not(None))
    ).all()
    numbers = [re.match(r"\s*(\d+)", number or "") for number, at in rows
               if local(at).year == year]
    highest = max((int(m.group(1)) for m in numbers if m), default=0)
    return f"{highest + 1}{NUMBER_SUFFIX}"


def publish_notice(dialogue: Dialogue, number: str, *, user_id: int | None = None,
                   now: datetime | None = None) -> int:
    """Issue the notice: number and date, items move on, every resident hears the outcome.

    Returns how many SMS were queued.
    """
    if dialogue.status != "held":
        raise ValidationError(_l("Chỉ ban hành thông báo sau khi buổi đối thoại kết thúc."),
                              code="not_held")
    if dialogue.notice_published_at is not None:
        raise ValidationError(_l("Thông báo kết luận đã được ban hành."), code="published")
    number = " ".join((number or "").split())
    if not number or len(number) > 40:
        raise ValidationError(_l("Cần ghi số thông báo (ví dụ 15/TB-UBND)."), code="bad_number")
    dialogue.notice_number = number
    dialogue.notice_published_at = now or utcnow()
    sent = 0
    for entry in dialogue.agenda:
        item = entry.item
        if item.dialogue_id == dialogue.id and item.outcome in STATUS_AFTER:
            change_status(item, STATUS_AFTER[item.outcome], actor="user", user_id=user_id,
                          note=f"Thông báo kết luận số {number}")
            sent += dialogue_sms.tell_outcome(item, dialogue)
    audit("dialogue.notice_published", user_id=user_id, commune_id=dialogue.commune_id,
          object_type="dialogue", object_id=dialogue.id, detail={"number": number, "sms": sent})
    db.session.flush()
    return sent


def items_of(dialogue: Dialogue) -> list[Item]:
    """The items this dialogue answered, in meeting order."""
    return [e.item for e in in_meeting_order(dialogue)
            if e.item.dialogue_id == dialogue.id and e.item.outcome]
