"""The invitation to a dialogue on paper and on the loudspeaker (thông báo trên loa truyền thanh).

Both come from the same dialogue as the SMS invitations, so the date, time, place and chair
are the same everywhere. They speak to the public: `bà con`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nghedan.formatting import fmt_number, local
from nghedan.models import Dialogue, utcnow
from nghedan.phones import display
from nghedan.services.dialogues.notices import (
    KIND_WORDS,
    chair_phrase,
    chair_role,
    decree30_date,
    mid_sentence,
    signing_block,
)

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class Invitation:
    """The printed invitation (giấy mời), worded in Vietnamese."""

    issuer: tuple[str, str]
    place_date: str
    title: str
    invitees: str
    when: str
    place: str
    chair: str
    agenda: str
    sms_line: str
    signer: str
    signing: tuple[str, str]


def _when(dialogue: Dialogue) -> str:
    start = local(dialogue.starts_at)
    return f"{start:%H} giờ {start:%M}, {WEEKDAYS[start.weekday()]}, {decree30_date(start.date())}"


def _hamlets(dialogue: Dialogue) -> str:
    return ", ".join(mid_sentence(h.name) for h in dialogue.hamlets)


def _sms_line(dialogue: Dialogue) -> str:
    number = dialogue.commune.sms_number
    if not number:
        return ""
    return (
        f"Bà con có thể gửi ý kiến trước bằng tin nhắn đến số {display(number)}, "
        f"hoặc tại ki-ốt ở trụ sở UBND {dialogue.commune.kind_word}."
    )


def invitation(dialogue: Dialogue) -> Invitation:
    """The invitation as it prints on A4, to post at the cultural house."""
    commune = dialogue.commune
    kind = KIND_WORDS.get(dialogue.kind, KIND_WORDS["dialogue"])
    questions = sum(1 for e in dialogue.agenda if e.item.dialogue_id == dialogue.id)
    agenda = (
        f"UBND {commune.kind_word} nghe ý kiến, kiến nghị của Nhân dân "
        "và trả lời trực tiếp tại hội nghị"
    )
    if questions:
        agenda += f" ({fmt_number(questions)} ý kiến, kiến nghị đã nhận trước)"
    return Invitation(
        issuer=(
            "ỦY BAN NHÂN DÂN",
            commune.label.upper(),
        ),
        place_date=f"{commune.name}, {decree30_date(local(utcnow()).date())}",
        title=f"Dự {kind[0].lower()}{kind[1:]} {_hamlets(dialogue)}",
        invitees=f"Bà con Nhân dân {_hamlets(dialogue)}",
        when=_when(dialogue),
        place=dialogue.place,
        chair=chair_phrase(dialogue),
        agenda=agenda + ".",
        sms_line=_sms_line(dialogue),
        signer=dialogue.chair_name or commune.chairman_name or "",
        signing=signing_block(chair_role(dialogue), commune),
    )


def loudspeaker_text(dialogue: Dialogue) -> str:
    """The short announcement read twice on the hamlet's loudspeaker, in plain words."""
    kind = KIND_WORDS.get(dialogue.kind, KIND_WORDS["dialogue"])
    parts = [
        f"Thông báo của Ủy ban nhân dân {dialogue.commune.label}.",
        f"Vào lúc {_when(dialogue)}, tại {dialogue.place}, "
        f"Ủy ban nhân dân {dialogue.commune.kind_word} tổ chức "
        f"{kind[0].lower()}{kind[1:]} {_hamlets(dialogue)}.",
    ]
    if dialogue.chair_name:
        parts.append(f"Chủ trì hội nghị: {chair_phrase(dialogue)}.")
    parts.append(
        "Kính mời bà con đến dự đông đủ, nêu ý kiến, kiến nghị để chính quyền lắng nghe và trả lời."
    )
    if sms := _sms_line(dialogue):
        parts.append(sms)
    parts.append("Xin trân trọng thông báo.")
    return " ".join(parts)
