"""A resident's spoken opinion: checked by its content, kept as a file outside the database.

The file lives under RECORDING_DIR, named by its SHA-256 (a resent upload writes nothing
new); the item's attachment row holds the path, hash, duration and type. `nghedan backup`
bundles the folder, the retention purge deletes the files of the recordings it removes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, select

from nghedan.audio_files import UnreadableAudio, read_audio, suffix_of
from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import Item, ItemAttachment, KioskPrompt
from nghedan.services.items.history import record_event
from nghedan.services.items.intake import create_item_with_receipt, item_by_client_key
from nghedan.text import fold_diacritics, nfc

VOICE = "voice"
MIN_SECONDS = 0.5  # a tap on "send" without a word said is not an opinion
SLACK_SECONDS = 0.5  # the recorder stops on a timer tick and writes its last frames after it


@dataclass(frozen=True)
class CheckedRecording:
    """Sound bytes that passed the checks, with what their container says."""

    data: bytes
    content_type: str
    seconds: float
    sha256: str


def recordings_dir() -> Path:
    """Where recordings are kept (RECORDING_DIR, default instance/recordings)."""
    configured = current_app.config.get("RECORDING_DIR")
    return Path(configured or Path(current_app.instance_path) / "recordings")


def max_seconds() -> int:
    return int(current_app.config.get("RECORDING_MAX_SECONDS") or 120)


def max_bytes() -> int:
    return int(current_app.config.get("RECORDING_MAX_BYTES") or 1536 * 1024)


def check_recording(data: bytes) -> CheckedRecording:
    """Refuse what is empty, too big, not Opus in WebM/Ogg, too short or too long."""
    if not data:
        raise ValidationError(_l("Chưa có bản ghi âm."), code="empty_recording")
    if len(data) > max_bytes():
        raise ValidationError(
            _l("Bản ghi âm quá lớn (tối đa %(n)s KB).", n=max_bytes() // 1024),
            code="recording_too_large",
        )
    try:
        audio = read_audio(data)
    except UnreadableAudio as e:
        raise ValidationError(
            _l("Chỉ nhận bản ghi âm Opus (WebM hoặc Ogg)."), code="recording_format"
        ) from e
    if audio.seconds < MIN_SECONDS:
        raise ValidationError(_l("Bản ghi âm quá ngắn."), code="recording_too_short")
    if audio.seconds > max_seconds() + SLACK_SECONDS:
        raise ValidationError(_too_long(max_seconds()), code="recording_too_long")
    return CheckedRecording(
        data, audio.content_type, audio.seconds, hashlib.sha256(data).hexdigest()
    )


def _too_long(seconds: int):
    if seconds % 60:
        return _l("Bản ghi âm dài quá %(n)s giây.", n=seconds)
    return _l("Bản ghi âm dài quá %(n)s phút.", n=seconds // 60)


def store_file(recording: CheckedRecording, folder: str) -> str:
    """Write the file (once: its name is its hash); its path relative to the recordings dir."""
    sha = recording.sha256
    relative = f"{folder}/{sha[:2]}/{sha}{suffix_of(recording.content_type)}"
    target = recordings_dir() / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        with os.fdopen(handle, "wb") as out:
            out.write(recording.data)
        os.replace(temporary, target)
    return relative


def file_path(relative: str) -> Path:
    """The file of a stored path; never outside the recordings dir."""
    root = recordings_dir().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"recording path outside {root}: {relative}")
    return path


def voice_attachment(item: Item) -> ItemAttachment | None:
    """The item's recording (its first attachment when it was spoken), or None."""
    return next((a for a in item.attachments if a.kind == VOICE), None)


def spoken_item_ids(items) -> set[int]:
    """Which of these items were spoken (one query for an inbox page)."""
    ids = [item.id for item in items]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(ItemAttachment.item_id).where(
                ItemAttachment.item_id.in_(ids), ItemAttachment.kind == VOICE
            )
        )
    )


def attach_recording(
    item: Item, recording: CheckedRecording, *, actor: str = "kiosk", user_id: int | None = None
) -> ItemAttachment:
    """Keep the recording with the item; an item that already has one keeps it (a resend)."""
    existing = voice_attachment(item)
    if existing is not None:
        return existing
    attachment = ItemAttachment(
        item=item,
        kind=VOICE,
        file_name=f"y-kien-{item.tracking_code}{suffix_of(recording.content_type)}",
        content_type=recording.content_type,
        size=len(recording.data),
        data=b"",  # the sound is in the file, not in the database
        storage_path=store_file(recording, "items"),
        sha256=recording.sha256,
        duration_ms=round(recording.seconds * 1000),
        user_id=user_id,
    )
    db.session.add(attachment)
    db.session.flush()
    record_event(item, "recording", actor=actor, user_id=user_id)
    return attachment


def create_spoken_item(data: bytes, **fields) -> Item:
    """A resident's spoken opinion: the recording checked, then the item (with its receipt
    SMS) and the recording as its first attachment. A resend (same `client_key`) returns the
    item already stored, and nothing more is written."""
    key = fields.get("client_key")
    already = item_by_client_key(key) if key else None
    if already is not None:
        return already
    recording = check_recording(data)
    item = create_item_with_receipt(**fields, spoken=True)
    attach_recording(item, recording, actor=item.channel)
    return item


def purge_recordings(*, changed_before, statuses) -> int:
    """Delete the recordings of items finished (`statuses`) and unchanged since a date; the
    files go once the transaction has committed (a rollback keeps both)."""
    found = list(
        db.session.scalars(
            select(ItemAttachment)
            .join(Item, Item.id == ItemAttachment.item_id)
            .where(
                ItemAttachment.kind == VOICE,
                Item.status.in_(statuses),
                Item.updated_at < changed_before,
            )
        )
    )
    for attachment in found:
        db.session.delete(attachment)
    delete_files_after_commit({a.storage_path for a in found if a.storage_path})
    return len(found)


def delete_files_after_commit(paths: set[str]) -> None:
    """Delete these files when the session commits, each unless a row still names it."""
    session = db.session()
    session.info.setdefault(_PENDING, set()).update(paths)
    if not event.contains(session, "after_commit", _delete_pending):
        event.listen(session, "after_commit", _delete_pending)
        event.listen(session, "after_rollback", _forget_pending)


_PENDING = "recording_files_to_delete"


def _forget_pending(session) -> None:
    session.info.pop(_PENDING, None)


def _delete_pending(session) -> None:
    paths = session.info.pop(_PENDING, set())
    if not paths:
        return
    with db.engine.connect() as connection:  # the committed rows (this session can't query)
        for relative in sorted(paths):
            used = sum(
                connection.scalar(
                    select(func.count()).select_from(model).where(model.storage_path == relative)
                )
                for model in (ItemAttachment, KioskPrompt)  # a file is named by its content
            )
            if not used:
                file_path(relative).unlink(missing_ok=True)


MAX_SUMMARY_LENGTH = 2000


def write_summary(item: Item, text: str, *, user_id: int | None) -> None:
    """The official's written summary of a spoken item: what search, duplicates and the
    conclusion notice read (the resident's own words, if any, stay as they were)."""
    if voice_attachment(item) is None:
        raise ValidationError(_l("Ý kiến này không có bản ghi âm."), code="not_spoken")
    text = " ".join(nfc(text or "").split())
    if not text:
        raise ValidationError(
            _l("Cần ghi tóm tắt nội dung bản ghi âm."), code="empty_spoken_summary"
        )
    if len(text) > MAX_SUMMARY_LENGTH:
        raise ValidationError(
            _l("Tóm tắt quá dài (tối đa %(n)s ký tự).", n=MAX_SUMMARY_LENGTH),
            code="summary_too_long",
        )
    item.summary = text
    item.text_folded = fold_diacritics(f"{item.text} {text}".strip())
    record_event(item, "spoken_summary", actor="user", user_id=user_id, note=text)


def needs_summary(item: Item) -> bool:
    """A spoken item no official has summarised yet: it can't go on a notice."""
    return voice_attachment(item) is not None and not (item.summary or "").strip()
