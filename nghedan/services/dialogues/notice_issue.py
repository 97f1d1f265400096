"""Issuing the conclusion notice as an office does: draft → awaiting signature → issued.

The draft carries a blank number (`Số:      /TB-UBND`); the clerk takes the number from the
commune's outgoing-document register when the signed, sealed scan comes back, and only then
are residents texted. A correction after issue is a new notice that replaces the old one;
both are kept, and what was signed is stored as it was signed.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import AgendaEntry, ConclusionNotice, Dialogue, Item, utcnow
from nghedan.services.dialogues import sms as dialogue_sms
from nghedan.services.dialogues.notices import (
    ROLE_TITLES,
    NoticeDocument,
    answered_entries,
    build_notice,
    chair_role,
)
from nghedan.services.items.history import audit, change_status
from nghedan.services.items.recordings import needs_summary
from nghedan.text import nfc

# Where each outcome leaves the item once the notice is issued.
STATUS_AFTER = {
    "resolved": "closed",
    "explained": "answered",
    "commune_will_resolve": "answered",
    "escalated": "escalated",
}
MAX_SUMMARY_LENGTH = 2000
MAX_SCAN_BYTES = 2 * 1024 * 1024  # what one request may carry (MAX_CONTENT_LENGTH)
# A scan is what its first bytes say it is, not what its name or the browser claims.
SCAN_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"))


def current_notice(dialogue: Dialogue) -> ConclusionNotice | None:
    """The dialogue's notice in force or in preparation (the newest not replaced)."""
    return db.session.scalar(
        select(ConclusionNotice)
        .where(ConclusionNotice.dialogue_id == dialogue.id, ConclusionNotice.status != "replaced")
        .order_by(ConclusionNotice.id.desc())
        .limit(1)
    )


def notice_of(dialogue: Dialogue, notice_id: int) -> ConclusionNotice | None:
    """One of this dialogue's notices (None when it isn't one of them)."""
    found = db.session.get(ConclusionNotice, notice_id)
    return found if found is not None and found.dialogue_id == dialogue.id else None


def history(dialogue: Dialogue) -> list[ConclusionNotice]:
    """Every notice of the dialogue, newest first (replaced ones included)."""
    return list(
        db.session.scalars(
            select(ConclusionNotice)
            .where(ConclusionNotice.dialogue_id == dialogue.id)
            .order_by(ConclusionNotice.id.desc())
        )
    )


def open_draft(dialogue: Dialogue, *, user_id: int | None = None) -> ConclusionNotice:
    """The dialogue's draft notice, made on first use; signed by whoever chaired."""
    if dialogue.status != "held":
        raise ValidationError(
            _l("Chỉ lập thông báo sau khi buổi đối thoại kết thúc."), code="not_held"
        )
    notice = current_notice(dialogue)
    if notice is not None:
        return notice
    if dialogue.notice_published_at is not None:
        raise ValidationError(_l("Thông báo kết luận đã được ban hành."), code="published")
    notice = ConclusionNotice(
        dialogue=dialogue,
        commune_id=dialogue.commune_id,
        status="draft",
        signer_name=dialogue.chair_name or dialogue.commune.chairman_name or "",
        signer_role=chair_role(dialogue),
        symbol=default_symbol(),
    )
    db.session.add(notice)
    db.session.flush()
    audit(
        "notice.draft",
        user_id=user_id,
        commune_id=dialogue.commune_id,
        object_type="dialogue",
        object_id=dialogue.id,
    )
    return notice


def default_symbol() -> str:
    """The notice's symbol after the number (`TB-UBND`), a setting of the commune's office."""
    return current_app.config.get("NOTICE_SYMBOL") or "TB-UBND"


def document(notice: ConclusionNotice) -> NoticeDocument:
    """What the notice says: as issued when it was, else as it would print today."""
    if notice.content:
        return NoticeDocument.from_json(notice.content)
    return build_notice(
        notice.dialogue,
        number=notice.number_text,
        signer=notice.signer_name,
        signer_role=notice.signer_role,
    )


def _require_draft(notice: ConclusionNotice) -> None:
    if notice.status != "draft":
        raise ValidationError(
            _l(
                "Thông báo đang chờ ký hoặc đã ban hành, không sửa được. Đưa về bản dự thảo để sửa."
            ),
            code="not_draft",
        )


def save_draft(
    notice: ConclusionNotice,
    summaries: dict[int, str],
    signer: tuple[str, str] | None = None,
) -> None:
    """Save the draft as typed: the summary of each answered item given by its agenda
    entry's id (those not given stay as they were), and who signs (name, role) if given."""
    for entry in answered_entries(notice.dialogue):
        if entry.id in summaries:
            save_summary(notice, entry, summaries[entry.id])
    if signer is not None:
        set_signer(notice, *signer)


def save_summary(notice: ConclusionNotice, entry: AgendaEntry, text: str) -> None:
    """Keep the question as the notice will state it (tóm tắt ý kiến)."""
    _require_draft(notice)
    if entry.dialogue_id != notice.dialogue_id:
        raise ValidationError(_l("Ý kiến này không có trong chương trình."), code="not_on_agenda")
    text = " ".join(nfc(text or "").split())
    if not text:
        raise ValidationError(
            _l("Cần ghi tóm tắt ý kiến mã %(code)s.", code=entry.item.tracking_code),
            code="empty_summary",
        )
    if len(text) > MAX_SUMMARY_LENGTH:
        raise ValidationError(
            _l("Tóm tắt quá dài (tối đa %(n)s ký tự).", n=MAX_SUMMARY_LENGTH),
            code="summary_too_long",
        )
    entry.summary = text
    db.session.flush()


def set_signer(notice: ConclusionNotice, name: str, role: str) -> None:
    """Who signs this notice: the Chairman, or a Vice-chairman for the Chairman."""
    _require_draft(notice)
    name = " ".join(nfc(name or "").split())
    if not name or len(name) > 120:
        raise ValidationError(_l("Cần ghi họ tên người ký."), code="empty_signer")
    if role not in ROLE_TITLES:
        raise ValidationError(_l("Chức vụ người ký không hợp lệ."), code="bad_role")
    notice.signer_name, notice.signer_role = name, role
    db.session.flush()


def problems(notice: ConclusionNotice, *, today: date | None = None) -> list[str]:
    """What still stops the notice going for signature, in Vietnamese; empty when ready."""
    today = today or local(utcnow()).date()
    found = []
    entries = answered_entries(notice.dialogue)
    if not entries:
        found.append(str(_l("Buổi đối thoại chưa trả lời ý kiến nào.")))
    for entry in entries:
        item = entry.item
        if needs_summary(item):
            found.append(
                str(_l("Ý kiến nói mã %(code)s chưa được tóm tắt.", code=item.tracking_code))
            )
        if not (entry.summary or "").strip():
            found.append(str(_l("Ý kiến mã %(code)s chưa có tóm tắt.", code=item.tracking_code)))
        if not (item.answer or "").strip():
            found.append(
                str(_l("Ý kiến mã %(code)s chưa có nội dung trả lời.", code=item.tracking_code))
            )
        if item.outcome == "commune_will_resolve" and item.due_date and item.due_date < today:
            found.append(
                str(
                    _l(
                        "Thời hạn giải quyết ý kiến mã %(code)s đã qua; cần ghi thời hạn mới.",
                        code=item.tracking_code,
                    )
                )
            )
    if not notice.signer_name.strip():
        found.append(str(_l("Chưa ghi người ký.")))
    return found


def submit_for_signature(
    notice: ConclusionNotice, *, user_id: int | None = None, today: date | None = None
) -> None:
    """The draft is final: it goes to the chairman to sign (no more edits)."""
    _require_draft(notice)
    found = problems(notice, today=today)
    if found:
        raise ValidationError(" ".join(found), code="not_ready")
    notice.status = "awaiting_signature"
    audit(
        "notice.submitted",
        user_id=user_id,
        commune_id=notice.commune_id,
        object_type="dialogue",
        object_id=notice.dialogue_id,
    )
    db.session.flush()


def back_to_draft(notice: ConclusionNotice, *, user_id: int | None = None) -> None:
    """The chairman asked for changes: the notice is a draft again."""
    if notice.status != "awaiting_signature":
        raise ValidationError(_l("Thông báo không ở trạng thái chờ ký."), code="not_awaiting")
    notice.status = "draft"
    audit(
        "notice.back_to_draft",
        user_id=user_id,
        commune_id=notice.commune_id,
        object_type="dialogue",
        object_id=notice.dialogue_id,
    )
    db.session.flush()


def scan_type(content: bytes) -> str:
    """`application/pdf` or `image/jpeg` from the file's own bytes; refuses anything else."""
    if not content:
        raise ValidationError(_l("Cần tải lên bản scan thông báo đã ký, đóng dấu."), code="no_scan")
    if len(content) > MAX_SCAN_BYTES:
        raise ValidationError(_l("Tệp scan quá lớn (tối đa 2 MB)."), code="scan_too_large")
    for magic, mime in SCAN_SIGNATURES:
        if content.startswith(magic):
            return mime
    raise ValidationError(_l("Bản scan phải là tệp PDF hoặc ảnh JPEG."), code="bad_scan")


def _check_number(notice: ConclusionNotice, number: int | None, issued_on: date) -> None:
    if not number or number < 1 or number > 99999:
        raise ValidationError(
            _l("Cần ghi số thông báo lấy từ sổ văn bản đi (một số dương)."), code="bad_number"
        )
    taken = db.session.scalar(
        select(ConclusionNotice.id).where(
            ConclusionNotice.commune_id == notice.commune_id,
            ConclusionNotice.year == issued_on.year,
            ConclusionNotice.number == number,
            ConclusionNotice.id != notice.id,
        )
    )
    if taken:
        raise ValidationError(
            _l(
                "Số %(number)s năm %(year)s đã dùng cho văn bản khác.",
                number=number,
                year=issued_on.year,
            ),
            code="number_taken",
        )


def _check_date(notice: ConclusionNotice, issued_on: date | None, today: date) -> date:
    held_on = local(notice.dialogue.starts_at).date()
    if issued_on is None or issued_on > today or issued_on < held_on:
        raise ValidationError(
            _l("Ngày ban hành phải từ ngày đối thoại đến hôm nay."), code="bad_date"
        )
    return issued_on


def issue(
    notice: ConclusionNotice,
    *,
    number: int | None,
    issued_on: date | None,
    scan: bytes,
    scan_name: str = "",
    symbol: str | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """The signed notice is issued: number, scan, items move on, residents are texted.

    Returns how many SMS were queued (none for a correction: residents heard already).
    """
    if notice.status != "awaiting_signature":
        raise ValidationError(_l("Chỉ ban hành thông báo đã trình ký."), code="not_awaiting")
    now = now or utcnow()
    issued_on = _check_date(notice, issued_on, local(now).date())
    _check_number(notice, number, issued_on)
    mime = scan_type(scan)
    symbol = " ".join((symbol or "").split())[:40] or notice.symbol or default_symbol()
    notice.number, notice.year, notice.symbol = number, issued_on.year, symbol
    notice.issued_on, notice.issued_at, notice.issued_by = issued_on, now, user_id
    notice.scan, notice.scan_type = scan, mime
    notice.scan_name = (scan_name or "").strip()[:255] or None
    notice.content = build_notice(
        notice.dialogue,
        number=notice.number_text,
        on=issued_on,
        signer=notice.signer_name,
        signer_role=notice.signer_role,
    ).as_json()
    notice.status = "issued"
    sent = _take_effect(notice, user_id)
    audit(
        "notice.issued",
        user_id=user_id,
        commune_id=notice.commune_id,
        object_type="dialogue",
        object_id=notice.dialogue_id,
        detail={"number": notice.number_text, "sms": sent, "replaces": notice.replaces_id},
    )
    db.session.flush()
    return sent


def _take_effect(notice: ConclusionNotice, user_id: int | None) -> int:
    dialogue = notice.dialogue
    dialogue.notice_number = notice.number_text
    if notice.replaces is not None:
        notice.replaces.status = "replaced"
        return 0
    dialogue.notice_published_at = notice.issued_at
    sent = 0
    for entry in answered_entries(dialogue):
        item = entry.item
        change_status(
            item,
            STATUS_AFTER[item.outcome],
            actor="user",
            user_id=user_id,
            note=f"Thông báo kết luận số {notice.number_text}",
        )
        sent += dialogue_sms.tell_outcome(item, dialogue)
    return sent


def start_correction(
    dialogue: Dialogue, reason: str, *, user_id: int | None = None
) -> ConclusionNotice:
    """A new draft that will replace the issued notice once it is signed and issued."""
    old = current_notice(dialogue)
    if old is None or old.status != "issued":
        raise ValidationError(_l("Chỉ đính chính thông báo đã ban hành."), code="not_issued")
    reason = " ".join(nfc(reason or "").split())
    if not reason:
        raise ValidationError(_l("Cần ghi lý do ban hành thông báo thay thế."), code="empty_reason")
    notice = ConclusionNotice(
        dialogue=dialogue,
        commune_id=dialogue.commune_id,
        status="draft",
        signer_name=old.signer_name,
        signer_role=old.signer_role,
        symbol=old.symbol,
        replaces=old,
        correction_reason=reason[:255],
    )
    db.session.add(notice)
    db.session.flush()
    audit(
        "notice.correction",
        user_id=user_id,
        commune_id=dialogue.commune_id,
        object_type="dialogue",
        object_id=dialogue.id,
        detail={"reason": reason[:255]},
    )
    return notice


def issued_notice(notice_id: int) -> ConclusionNotice | None:
    """An issued (or replaced) notice for the public page; None for drafts."""
    notice = db.session.get(ConclusionNotice, notice_id)
    if notice is None or notice.status not in ("issued", "replaced"):
        return None
    return notice


def replaced_by(notice: ConclusionNotice) -> ConclusionNotice | None:
    """The notice that replaced this one, if any."""
    return db.session.scalar(
        select(ConclusionNotice).where(
            ConclusionNotice.replaces_id == notice.id,
            ConclusionNotice.status.in_(("issued", "replaced")),
        )
    )


def issued_for_code(tracking_code: str) -> ConclusionNotice | None:
    """The notice in force that answered the item with this code, for its public page."""
    return db.session.scalar(
        select(ConclusionNotice)
        .join(Item, Item.dialogue_id == ConclusionNotice.dialogue_id)
        .where(
            Item.tracking_code == tracking_code,
            Item.outcome.is_not(None),
            ConclusionNotice.status == "issued",
        )
        .order_by(ConclusionNotice.id.desc())
        .limit(1)
    )
