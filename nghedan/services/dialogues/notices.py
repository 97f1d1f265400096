"""The conclusion notice (thông báo kết luận) of a dialogue: what it says, worded in Vietnamese.

The notice is a Vietnamese administrative document (Decree 30/2020 layout), so its text
is Vietnamese whatever language the official reads the panel in. Issuing it (draft,
signature, number, scan) is in `nghedan.services.dialogues.notice_issue`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from nghedan.formatting import fmt_date, fmt_number, fmt_time, local
from nghedan.models import AgendaEntry, Dialogue, Item, utcnow
from nghedan.services.dialogues.agenda import in_meeting_order
from nghedan.text import fold_diacritics

DEFAULT_SYMBOL = "TB-UBND"
KIND_WORDS = {
    "dialogue": "Hội nghị đối thoại với Nhân dân",
    "voters": "Hội nghị tiếp xúc cử tri",
    "thematic": "Hội nghị đối thoại chuyên đề với Nhân dân",
}
# The chair's role as the summary line and the body name it, and the signing block it signs.
ROLE_TITLES = {"chairman": "Chủ tịch", "vice_chairman": "Phó Chủ tịch"}
SIGNING = {
    "chairman": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "vice_chairman": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
}
# Generic words that open a hamlet's name and are written lower case mid-sentence.
GENERIC_PREFIX = re.compile(r"^(Ấp|Khóm|Thôn|Bản|Tổ dân phố|Tổ|Xóm|Buôn|Làng|Sóc)(?=\s)")


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
class NoticeDocument:
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

    def as_json(self) -> dict:
        """The notice as stored with an issued notice (plain JSON)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> NoticeDocument:
        """The notice as it was stored when issued."""
        lists = {
            key: [NoticeEntry(**e) for e in data.get(key, [])]
            for key in ("resolved", "will_resolve", "escalated", "explained")
        }
        rest = {k: v for k, v in data.items() if k not in lists}
        rest["issuer"] = tuple(rest["issuer"])
        return cls(**rest, **lists)


def decree30_date(on: date) -> str:
    """`ngày 05 tháng 3 năm 2026`: a leading zero for days below 10 and months 1 and 2."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"ngày {on.day:02d} tháng {month} năm {on.year}"


def mid_sentence(name: str) -> str:
    """A hamlet's name inside a sentence: `Ấp Tân Phú` → `ấp Tân Phú`."""
    return GENERIC_PREFIX.sub(lambda m: m.group(1).lower(), name.strip())


def role_of(title: str | None) -> str | None:
    """`vice_chairman` or `chairman` when an officer's title names one, else None."""
    folded = fold_diacritics(title or "")
    if "pho chu tich" in folded:
        return "vice_chairman"
    if "chu tich" in folded:
        return "chairman"
    return None


def chair_role(dialogue: Dialogue) -> str:
    """Who chaired: the Chairman or a Vice-chairman (from the record, else the officer's title)."""
    if dialogue.chair_role in ROLE_TITLES:
        return dialogue.chair_role
    officer = dialogue.chair_officer
    return role_of(officer.title if officer else None) or "chairman"


def committee(commune) -> str:
    """`UBND xã`, `UBND phường`: the committee as officials' titles name it."""
    return f"UBND {commune.kind_word}"


def chair_phrase(dialogue: Dialogue) -> str:
    """`đồng chí Phạm Thị Hoa, Phó Chủ tịch UBND xã`: the chair with title and name."""
    officer = dialogue.chair_officer
    title = officer.title if officer is not None and role_of(officer.title) else ""
    title = title or f"{ROLE_TITLES[chair_role(dialogue)]} {committee(dialogue.commune)}"
    return f"đồng chí {dialogue.chair_name}, {title}" if dialogue.chair_name else ""


def signing_block(role: str, commune=None) -> tuple[str, str]:
    """The two lines above the signature: the commune's own block when the chairman signs
    (its settings page; `TM. ỦY BAN NHÂN DÂN` / `CHỦ TỊCH` by default), `KT. CHỦ TỊCH` /
    `PHÓ CHỦ TỊCH` when a vice-chairman signs for the chairman (Decree 30)."""
    if role == "vice_chairman":
        return SIGNING["vice_chairman"]
    default = SIGNING["chairman"]
    if commune is None:
        return default
    return (
        (commune.notice_signing_authority or "").strip() or default[0],
        (commune.notice_signing_title or "").strip() or default[1],
    )


def build_notice(
    dialogue: Dialogue,
    *,
    number: str | None = None,
    on: date | None = None,
    signer: str | None = None,
    signer_role: str | None = None,
) -> NoticeDocument:
    """The notice of a held dialogue, as it will be printed."""
    commune = dialogue.commune
    hamlets = ", ".join(mid_sentence(h.name) for h in dialogue.hamlets)
    on = on or local(dialogue.notice_published_at or utcnow()).date()
    lists = _entries(dialogue)
    role = signer_role or chair_role(dialogue)
    authority, title = signing_block(role, commune)
    return NoticeDocument(
        issuer=(
            "ỦY BAN NHÂN DÂN",
            commune.label.upper(),
        ),
        number=number or dialogue.notice_number or f"     /{DEFAULT_SYMBOL}",
        place_date=f"{commune.name}, {decree30_date(on)}",
        summary=(
            f"Kết luận của {ROLE_TITLES[chair_role(dialogue)]} "
            f"{committee(commune)} {commune.name} tại "
            f"{KIND_WORDS.get(dialogue.kind, KIND_WORDS['dialogue'])} {hamlets}"
        ),
        opening=_opening(dialogue, hamlets, sum(len(v) for v in lists.values())),
        recipients=_recipients(dialogue),
        signing_authority=authority,
        signing_title=title,
        signer=signer
        if signer is not None
        else (dialogue.chair_name or commune.chairman_name or ""),
        published=dialogue.notice_published_at is not None,
        **lists,
    )


def attendee_lines(dialogue: Dialogue) -> list[str]:
    """Who attended besides residents: the officials planned, then the lines recorded."""
    officials = [
        f"đồng chí {o.name}, {o.title}" if o.title else f"đồng chí {o.name}"
        for o in dialogue.officials
        if o.id != dialogue.chair_officer_id
    ]
    recorded = [line.strip(" ;.-") for line in (dialogue.attendees or "").splitlines()]
    return officials + [line for line in recorded if line]


def _opening(dialogue: Dialogue, hamlets: str, answered: int) -> str:
    when = local(dialogue.starts_at)
    commune = dialogue.commune.label
    kind = KIND_WORDS.get(dialogue.kind, KIND_WORDS["dialogue"])
    text = (
        f"Vào lúc {fmt_time(dialogue.starts_at).replace(':', ' giờ ')} "
        f"{decree30_date(when.date())}, tại {dialogue.place}, Ủy ban nhân dân {commune} "
        f"tổ chức {kind[0].lower()}{kind[1:]} {hamlets}. "
    )
    chair = chair_phrase(dialogue)
    if chair:
        text += f"Chủ trì hội nghị: {chair}. "
    attendees = attendee_lines(dialogue)
    if attendees:
        text += f"Tham dự hội nghị có: {'; '.join(attendees)}. "
    if dialogue.attendance:
        text += f"Có {fmt_number(dialogue.attendance)} lượt Nhân dân {hamlets} tham dự hội nghị. "
    text += (
        f"Hội nghị đã tiếp nhận và trả lời {fmt_number(answered)} ý kiến, kiến nghị. "
        "Sau khi nghe ý kiến của Nhân dân và ý kiến trả lời của các cơ quan, đơn vị, "
        "đồng chí chủ trì hội nghị kết luận như sau:"
    )
    return text


def summary_prefill(entry: AgendaEntry) -> str:
    """What the summary box starts with: the saved summary, else the official's summary of a
    spoken item, else the resident's text."""
    return entry.summary or entry.item.summary or " ".join(entry.item.text.split())


def answered_entries(dialogue: Dialogue) -> list[AgendaEntry]:
    """The agenda entries this dialogue answered, in meeting order."""
    return [
        e
        for e in in_meeting_order(dialogue)
        if e.item.dialogue_id == dialogue.id and e.item.outcome
    ]


def _entries(dialogue: Dialogue) -> dict[str, list[NoticeEntry]]:
    lists = {"resolved": [], "will_resolve": [], "escalated": [], "explained": []}
    key = {
        "resolved": "resolved",
        "commune_will_resolve": "will_resolve",
        "escalated": "escalated",
        "explained": "explained",
    }
    for entry in answered_entries(dialogue):
        item = entry.item
        lists[key[item.outcome]].append(
            NoticeEntry(
                code=item.tracking_code,
                question=summary_prefill(entry),
                answer=item.answer or "",
                hamlet=mid_sentence(item.hamlet.name) if item.hamlet else "",
                responsible=item.responsible or "",
                due=fmt_date(item.due_date),
                body=item.escalated_to or "",
            )
        )
    return lists


def _recipients(dialogue: Dialogue) -> list[str]:
    names = [f"Ban nhân dân {mid_sentence(h.name)}" for h in dialogue.hamlets]
    kind = dialogue.commune.kind_word
    names += [
        f"Thường trực Đảng ủy, HĐND {kind}",
        f"Ủy ban MTTQ Việt Nam {kind}",
        f"Các ban, ngành, đoàn thể {kind}",
    ]
    return names + ["Lưu: VT, VP"]


def recipient_lines(recipients: list[str]) -> list[str]:
    """`- Ban nhân dân ấp Tân Phú;` … and the last `- Lưu: VT, VP.` with a full stop."""
    return [
        f"- {name}{'.' if n == len(recipients) else ';'}"
        for n, name in enumerate(recipients, start=1)
    ]


def items_of(dialogue: Dialogue) -> list[Item]:
    """The items this dialogue answered, in meeting order."""
    return [e.item for e in answered_entries(dialogue)]
