"""Evidence kept with an item, recognised by its content: a photo or a document that it was
resolved, or a picture the resident sent with it (on Zalo)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import Item, ItemAttachment
from nghedan.services.items.history import record_event
from nghedan.text import collapse_spaces, nfc

DEFAULT_MAX_BYTES = 1536 * 1024  # config ITEM_EVIDENCE_MAX_BYTES; under MAX_CONTENT_LENGTH
MAX_NAME_LENGTH = 120
# First bytes of the formats accepted; a name's extension is never trusted.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Pictures a resident may send (a chat app's photos, stickers and screenshots).
_PICTURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


@dataclass(frozen=True)
class Evidence:
    """A file an official attaches: its name as uploaded and its bytes."""

    file_name: str
    data: bytes


def content_type_of(data: bytes) -> str | None:
    """The type the bytes really are (JPEG, PNG, PDF or a Word .docx), or None."""
    for magic, content_type, _suffix in _SIGNATURES:
        if data.startswith(magic):
            return content_type
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return DOCX
    return None


def picture_type_of(data: bytes) -> tuple[str, str] | None:
    """The type and file suffix of a JPEG, PNG, GIF or WebP picture, by its bytes; or None."""
    for magic, content_type, suffix in _PICTURES:
        if data.startswith(magic):
            return content_type, suffix
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def max_bytes() -> int:
    """The largest evidence file accepted."""
    return int(current_app.config.get("ITEM_EVIDENCE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def attach_evidence(
    item: Item, evidence: Evidence, *, user_id: int | None = None
) -> ItemAttachment:
    """Check the file by its content and size and keep it with the item."""
    if not evidence.data:
        raise ValidationError(_l("Tệp đính kèm đang trống."), code="empty_evidence")
    limit = max_bytes()
    if len(evidence.data) > limit:
        raise ValidationError(
            _l("Tệp đính kèm quá lớn (tối đa %(n)s KB).", n=limit // 1024),
            code="evidence_too_large",
        )
    content_type = content_type_of(evidence.data)
    if content_type is None:
        raise ValidationError(
            _l("Chỉ nhận ảnh JPEG, PNG hoặc tài liệu PDF, Word (.docx)."), code="evidence_format"
        )
    attachment = ItemAttachment(
        item=item,
        file_name=_safe_name(evidence.file_name),
        content_type=content_type,
        size=len(evidence.data),
        data=evidence.data,
        user_id=user_id,
    )
    db.session.add(attachment)
    record_event(item, "evidence", actor="user", user_id=user_id, note=attachment.file_name)
    return attachment


def keep_resident_picture(item: Item, name: str, data: bytes, *, actor: str) -> ItemAttachment:
    """Keep a picture the resident sent with their item (`name` without its suffix, which
    the picture's own type gives), shown to officials with the item's evidence."""
    kind = picture_type_of(data) if data else None
    if kind is None:
        raise ValidationError(_l("Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP."), code="picture_format")
    if len(data) > max_bytes():
        raise ValidationError(
            _l("Tệp đính kèm quá lớn (tối đa %(n)s KB).", n=max_bytes() // 1024),
            code="evidence_too_large",
        )
    attachment = ItemAttachment(
        item=item,
        file_name=_safe_name(name + kind[1]),
        content_type=kind[0],
        size=len(data),
        data=data,
    )
    db.session.add(attachment)
    record_event(item, "resident_picture", actor=actor, note=attachment.file_name)
    return attachment


def _safe_name(name: str) -> str:
    """The uploaded name without folders or control characters (shown, never a path)."""
    name = nfc(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = collapse_spaces("".join(ch for ch in name if ch.isprintable()))
    return name[:MAX_NAME_LENGTH] or "tep-dinh-kem"


def attachment_of(item: Item, attachment_id: int) -> ItemAttachment | None:
    """One evidence file attached to this item (None when it isn't this item's, or is the
    resident's recording, which is served by its own, stricter route)."""
    return db.session.scalar(
        select(ItemAttachment).where(
            ItemAttachment.id == attachment_id,
            ItemAttachment.item_id == item.id,
            ItemAttachment.kind == "evidence",
        )
    )
