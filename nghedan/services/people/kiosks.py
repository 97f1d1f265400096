"""Kiosks: enrollment of a touchscreen, its device token, revocation, and code lookup.

Only SHA-256 hashes of tokens are stored: a database leak does not let anyone enroll a
screen or pose as one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from nghedan import tracking_codes
from nghedan.errors import NotFound, ValidationError
from nghedan.extensions import db
from nghedan.models import Item, Kiosk, utcnow
from nghedan.services.items.intake import item_by_code
from nghedan.text import collapse_spaces, nfc

MAX_NAME_LENGTH = 120
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Enrollment:
    """A kiosk and the one-time token that enrolls a browser as that kiosk."""

    kiosk: Kiosk
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def add_kiosk(*, commune_id: int, name: str) -> Enrollment:
    """A new kiosk of the commune, with a fresh one-time enrollment token."""
    name = collapse_spaces(nfc(name or ""))
    if not name:
        raise ValidationError(_l("Tên màn hình đang trống."), code="empty_name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(_l("Tên màn hình quá dài."), code="name_too_long")
    if _by_name(commune_id, name) is not None:
        raise ValidationError(_l("Xã đã có màn hình tên này."), code="name_taken")
    kiosk = Kiosk(commune_id=commune_id, name=name)
    db.session.add(kiosk)
    return renew_enrollment(kiosk)


def renew_enrollment(kiosk: Kiosk) -> Enrollment:
    """A fresh enrollment token (the old one stops working); a revoked kiosk is reinstated.

    A browser already enrolled keeps working until another browser uses the new token.
    """
    token = _new_token()
    kiosk.enrollment_token_hash = token_hash(token)
    kiosk.revoked_at = None
    db.session.flush()
    return Enrollment(kiosk, token)


def enroll(enrollment_token: str) -> tuple[Kiosk, str] | None:
    """Use a one-time token: returns the kiosk and its new device token, or None."""
    if not enrollment_token:
        return None
    kiosk = db.session.scalar(
        select(Kiosk).where(Kiosk.enrollment_token_hash == token_hash(enrollment_token))
    )
    if kiosk is None or kiosk.revoked_at is not None:
        return None
    device_token = _new_token()
    kiosk.enrollment_token_hash = None
    kiosk.device_token_hash = token_hash(device_token)
    kiosk.enrolled_at = utcnow()
    kiosk.last_seen_at = kiosk.enrolled_at
    db.session.flush()
    return kiosk, device_token


def kiosk_for_device(device_token: str | None) -> Kiosk | None:
    """The active kiosk a browser's device token belongs to, or None."""
    if not device_token:
        return None
    kiosk = db.session.scalar(
        select(Kiosk).where(Kiosk.device_token_hash == token_hash(device_token))
    )
    if kiosk is None or not kiosk.is_active:
        return None
    return kiosk


def mark_seen(kiosk: Kiosk, now: datetime | None = None) -> None:
    """Remember when the kiosk last asked for a page (at most once a minute: fewer writes)."""
    now = now or utcnow()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at >= SEEN_RESOLUTION:
        kiosk.last_seen_at = now


def revoke(kiosk: Kiosk) -> None:
    """The kiosk's browser and any pending enrollment stop working at once."""
    kiosk.revoked_at = utcnow()
    kiosk.device_token_hash = None
    kiosk.enrollment_token_hash = None


def find_kiosk(ref: str, commune_id: int | None = None) -> Kiosk:
    """A kiosk by id (digits) or by name (case-insensitive); NotFound when none matches."""
    ref = collapse_spaces(nfc(ref or ""))
    kiosk = None
    if ref.isascii() and ref.isdigit() and len(ref) < 10:
        kiosk = db.session.get(Kiosk, int(ref))
        if kiosk is not None and commune_id is not None and kiosk.commune_id != commune_id:
            kiosk = None
    if kiosk is None:
        query = select(Kiosk).where(func.lower(Kiosk.name) == ref.lower())
        if commune_id is not None:
            query = query.where(Kiosk.commune_id == commune_id)
        found = db.session.scalars(query.limit(2)).all()
        if len(found) > 1:
            raise ValidationError(_l("Nhiều màn hình trùng tên: dùng số ID."), code="ambiguous")
        kiosk = found[0] if found else None
    if kiosk is None:
        raise NotFound(_l("Không tìm thấy màn hình này."), code="unknown_kiosk")
    return kiosk


def list_kiosks(commune_id: int | None = None) -> list[Kiosk]:
    """A commune's kiosks (every kiosk when None), by commune and name."""
    return kiosks_of(None if commune_id is None else [commune_id])


def kiosks_of(commune_ids: list[int] | None) -> list[Kiosk]:
    """The kiosks of these communes (every kiosk when None), by commune and name."""
    query = select(Kiosk).order_by(Kiosk.commune_id, Kiosk.name, Kiosk.id)
    if commune_ids is not None:
        query = query.where(Kiosk.commune_id.in_(commune_ids))
    return list(db.session.scalars(query))


def _by_name(commune_id: int, name: str) -> Kiosk | None:
    return db.session.scalar(
        select(Kiosk)
        .where(Kiosk.commune_id == commune_id, func.lower(Kiosk.name) == name.lower())
        .limit(1)
    )


@dataclass(frozen=True)
class Lookup:
    """The result of looking up a typed tracking code: an item, or why there is none."""

    code: str
    item: Item | None = None
    # "empty", "not_digits", "wrong_length", "bad_check_digit", "not_found"
    problem: str | None = None


def lookup(raw: str | None, commune_id: int | None = None) -> Lookup:
    """Find an item by what a resident typed; a kiosk passes its commune to stay in it."""
    if not raw or not raw.strip():
        return Lookup("", problem="empty")
    code = tracking_codes.normalize(raw)
    if code is None:
        return Lookup(raw.strip()[:20], problem="not_digits")
    if len(code) != tracking_codes.CODE_LENGTH:
        return Lookup(code[:20], problem="wrong_length")
    if not tracking_codes.is_valid(code):
        return Lookup(code, problem="bad_check_digit")
    item = item_by_code(code)
    if item is None or (commune_id is not None and item.commune_id != commune_id):
        return Lookup(code, problem="not_found")
    return Lookup(code, item=item)
