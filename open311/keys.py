"""API keys of integrating systems: made once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import ApiClient, utcnow
from nghedan.text import nfc

KEY_PREFIX = "nd311_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_client(name: str, commune_id: int | None = None) -> tuple[ApiClient, str]:
    """A new client and its key; the key is returned this once and never stored."""
    name = nfc((name or "").strip())
    if not name:
        raise ValidationError(_l("Tên hệ thống đang trống."), code="empty_name")
    if db.session.scalar(select(ApiClient.id).where(ApiClient.name == name)):
        raise ValidationError(_l("Đã có hệ thống tên %(name)s.", name=name), code="duplicate_name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        name=name, key_hash=key_hash(key), key_prefix=key[:12], commune_id=commune_id, active=True
    )
    db.session.add(client)
    db.session.flush()
    return client, key


def client_for_key(key: str | None) -> ApiClient | None:
    """The active client holding this key, or None."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    client = db.session.scalar(select(ApiClient).where(ApiClient.key_hash == key_hash(key)))
    if client is None or not client.active:
        return None
    client.last_used_at = utcnow()
    return client
