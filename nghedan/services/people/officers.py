"""Officers (cán bộ, công chức) of a commune: add, edit, photo, deactivate — never delete.

Ratings refer to officers, so an officer who leaves is deactivated: the kiosk and SMS
rating stop offering them, the reports keep their history.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.collation import person_sort_key
from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import Officer
from nghedan.text import collapse_spaces, nfc

MAX_CODE_LENGTH = 8
MAX_TEXT_LENGTH = 120
# Photo formats the kiosk shows, recognised by their first bytes (not by the file name).
PHOTO_SIGNATURES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}


@dataclass(frozen=True)
class OfficerFields:
    """What an admin types for an officer."""

    name: str
    code: str
    title: str = ""
    desk: str = ""
    active: bool = True


def add_officer(commune_id: int, fields: OfficerFields) -> Officer:
    """A new officer of the commune; the desk code must be free in that commune."""
    officer = Officer(commune_id=commune_id)
    _apply(officer, fields)
    db.session.add(officer)
    db.session.flush()
    return officer


def update_officer(officer: Officer, fields: OfficerFields) -> dict:
    """Change an officer; returns the changed fields as {name: [before, after]}."""
    before = _snapshot(officer)
    _apply(officer, fields)
    db.session.flush()
    after = _snapshot(officer)
    return {key: [before[key], after[key]] for key in before if before[key] != after[key]}


def deactivate(officer: Officer) -> None:
    """The officer no longer serves residents; their ratings stay."""
    officer.active = False


def officer_of(commune_id: int, officer_id: int) -> Officer | None:
    """The officer with this id if they belong to this commune (else None)."""
    officer = db.session.get(Officer, officer_id)
    return officer if officer is not None and officer.commune_id == commune_id else None


def list_officers(commune_ids: list[int]) -> list[Officer]:
    """Officers of these communes: active first, then by given name and family name."""
    officers = db.session.scalars(select(Officer).where(Officer.commune_id.in_(commune_ids)))
    return sorted(officers, key=lambda o: (not o.active, o.commune_id, person_sort_key(o.name)))


def active_officers(commune_id: int) -> list[Officer]:
    """The commune's serving officers in Vietnamese name order (to pick one from a list)."""
    officers = db.session.scalars(
        select(Officer).where(Officer.commune_id == commune_id, Officer.active)
    )
    return sorted(officers, key=lambda o: person_sort_key(o.name))


def photo_folder() -> Path:
    """Where officer photos live (`OFFICER_PHOTO_DIR`, else `officer_photos` in the instance
    folder): the admin panel stores them, the kiosk and the poster read them."""
    configured = current_app.config.get("OFFICER_PHOTO_DIR")
    return Path(configured or Path(current_app.instance_path) / "officer_photos")


def save_photo(officer: Officer, data: bytes, folder: Path, max_bytes: int) -> str:
    """Store a JPEG or PNG under a random file name and point the officer at it.

    The previous photo file is removed. Returns the new file name (relative to `folder`).
    """
    if not data:
        raise ValidationError(_l("Chưa chọn ảnh."), code="empty_photo")
    if len(data) > max_bytes:
        raise ValidationError(_l("Ảnh quá lớn."), code="photo_too_large")
    suffix = next((ext for magic, ext in PHOTO_SIGNATURES.items() if data.startswith(magic)), None)
    if suffix is None:
        raise ValidationError(_l("Chỉ nhận ảnh JPEG hoặc PNG."), code="photo_format")
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + suffix
    (folder / name).write_bytes(data)
    previous, officer.photo_path = officer.photo_path, name
    if previous and Path(previous).name == previous:
        (folder / previous).unlink(missing_ok=True)
    return name


def _apply(officer: Officer, fields: OfficerFields) -> None:
    name = _clean(fields.name)
    if not name:
        raise ValidationError(_l("Họ và tên đang trống."), code="empty_name")
    code = (fields.code or "").strip()
    if not (code.isascii() and code.isdigit()) or len(code) > MAX_CODE_LENGTH:
        raise ValidationError(_l("Mã quầy gồm 1 đến 8 chữ số."), code="bad_code")
    if _code_taken(officer, code):
        raise ValidationError(_l("Mã quầy này đã có cán bộ khác dùng."), code="code_taken")
    officer.name, officer.code = name, code
    officer.title, officer.desk = _clean(fields.title), _clean(fields.desk)
    officer.active = bool(fields.active)


def _clean(text: str | None) -> str:
    text = collapse_spaces(nfc(text or ""))
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(_l("Nội dung quá dài (tối đa 120 ký tự)."), code="too_long")
    return text


def _code_taken(officer: Officer, code: str) -> bool:
    """`1` and `01` are the same code to a resident texting DG 1 (see ratings)."""
    query = select(Officer.code).where(Officer.commune_id == officer.commune_id)
    if officer.id is not None:
        query = query.where(Officer.id != officer.id)
    codes = db.session.scalars(query)
    return any(int(other) == int(code) for other in codes if other.isdigit())


def _snapshot(officer: Officer) -> dict:
    return {
        "name": officer.name,
        "code": officer.code,
        "title": officer.title,
        "desk": officer.desk,
        "active": officer.active,
    }
