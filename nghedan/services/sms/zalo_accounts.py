"""A commune's Zalo Official Account connected or changed: one set of rules for the CLI
(`nghedan zalo add`, `zalo tokens`) and the admin panel's "Kênh liên lạc" pages.

The secret key and tokens are written, never read back out: the audit log names which of
them changed, not their values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import SmsChannel, ZaloAccount, utcnow
from nghedan.services.items.history import audit

NAME_MAX, ID_MAX, SECRET_MAX = 80, 32, 128
# Zalo's access tokens live about 25 hours; a longer claimed life is a typing mistake.
ACCESS_EXPIRES_MAX = 7 * 24 * 3600


class ZaloAccountRefused(ValidationError):
    """One or more fields refused; `errors` maps each field to what is wrong with it."""

    code = "zalo_account_invalid"

    def __init__(self, errors: dict):
        super().__init__(_l("Thông tin Zalo OA chưa hợp lệ."), errors=errors)
        self.errors = errors

    @property
    def message(self) -> str:
        return " ".join(str(reason) for reason in self.errors.values())


@dataclass(frozen=True)
class ZaloTokens:
    """Tokens from authorising the app; without a fresh access token, renew before any send."""

    refresh_token: str
    access_token: str | None = None
    access_expires_in: int = 0


@dataclass(frozen=True)
class ZaloAccountState:
    """What a page may show of an OA: its ids and whether each secret is set, never a value."""

    channel_id: int
    name: str
    commune_id: int | None
    app_id: str
    oa_id: str
    has_secret_key: bool
    has_refresh_token: bool
    has_access_token: bool
    access_expires_at: datetime | None
    refresh_failed_at: datetime | None


def state_of(account: ZaloAccount) -> ZaloAccountState:
    return ZaloAccountState(
        channel_id=account.channel_id,
        name=account.channel.name,
        commune_id=account.channel.commune_id,
        app_id=account.app_id,
        oa_id=account.oa_id,
        has_secret_key=bool(account.secret_key),
        has_refresh_token=bool(account.refresh_token),
        has_access_token=bool(account.access_token),
        access_expires_at=account.access_expires_at,
        refresh_failed_at=account.refresh_failed_at,
    )


def account_of_channel(channel_id: int) -> ZaloAccount | None:
    """The OA behind this channel (None when it is not a Zalo channel)."""
    return db.session.scalar(select(ZaloAccount).where(ZaloAccount.channel_id == channel_id))


def account_named(name: str) -> ZaloAccount | None:
    """The OA of the Zalo channel with this name."""
    return db.session.scalar(
        select(ZaloAccount).join(ZaloAccount.channel).where(SmsChannel.name == name)
    )


def connect(
    *,
    commune_id: int,
    name: str,
    app_id: str,
    oa_id: str,
    secret_key: str,
    tokens: ZaloTokens,
    user_id: int | None = None,
    remote_addr: str | None = None,
) -> ZaloAccount:
    """Add the OA as a new channel of the commune, switched on."""
    name, app_id, oa_id, secret_key = (v.strip() for v in (name, app_id, oa_id, secret_key))
    errors = {**_name_errors(name), **_id_errors("app_id", app_id), **_id_errors("oa_id", oa_id)}
    if "oa_id" not in errors and _oa_connected(oa_id):
        errors["oa_id"] = _l("Zalo OA %(oa_id)s đã được kết nối.", oa_id=oa_id)
    errors.update(_secret_errors(secret_key, required=True))
    errors.update(_token_errors(tokens))
    if errors:
        raise ZaloAccountRefused(errors)
    channel = SmsChannel(kind="zalo", name=name, commune_id=commune_id, active=True)
    account = ZaloAccount(channel=channel, app_id=app_id, oa_id=oa_id, secret_key=secret_key)
    _give_tokens(account, tokens)
    try:  # the same form posted twice at once: the unique keys decide, the second is refused
        with db.session.begin_nested():
            db.session.add(account)
    except IntegrityError as e:
        raise ZaloAccountRefused(
            {"oa_id": _l("Zalo OA %(oa_id)s đã được kết nối.", oa_id=oa_id)}
        ) from e
    _audit("zalo_account.connected", account, user_id, remote_addr, name=name, oa_id=oa_id)
    return account


def update(
    account: ZaloAccount,
    *,
    name: str | None = None,
    app_id: str | None = None,
    secret_key: str | None = None,
    tokens: ZaloTokens | None = None,
    user_id: int | None = None,
    remote_addr: str | None = None,
) -> list[str]:
    """Change what is given (None or an empty secret: unchanged); new tokens clear a failed
    renewal. Returns the names of the fields that changed."""
    name = name.strip() if name is not None else account.channel.name
    app_id = app_id.strip() if app_id is not None else account.app_id
    secret_key = (secret_key or "").strip()
    errors = {**_name_errors(name, account.channel_id), **_id_errors("app_id", app_id)}
    errors.update(_secret_errors(secret_key, required=False))
    if tokens is not None:
        errors.update(_token_errors(tokens))
    if errors:
        raise ZaloAccountRefused(errors)
    changed = _apply(account, name=name, app_id=app_id, secret_key=secret_key, tokens=tokens)
    if changed:
        _audit("zalo_account.updated", account, user_id, remote_addr, changed=changed)
    return changed


def _apply(account: ZaloAccount, *, name, app_id, secret_key, tokens) -> list[str]:
    changed = []
    if name != account.channel.name:
        account.channel.name = name
        changed.append("name")
    if app_id != account.app_id:
        account.app_id = app_id
        changed.append("app_id")
    if secret_key and secret_key != account.secret_key:
        account.secret_key = secret_key
        changed.append("secret_key")
    if tokens is not None:
        _give_tokens(account, tokens)
        changed.append("tokens")
    return changed


def _give_tokens(account: ZaloAccount, tokens: ZaloTokens) -> None:
    """Keep the new pair and forget a failed or unfinished renewal of the old one."""
    access = (tokens.access_token or "").strip() or None
    account.refresh_token = tokens.refresh_token.strip()
    account.access_token = access
    seconds = tokens.access_expires_in if access else 0
    account.access_expires_at = utcnow() + timedelta(seconds=seconds)
    account.refresh_error = account.refresh_failed_at = account.refresh_started_at = None


def _name_errors(name: str, own_channel_id: int | None = None) -> dict:
    if not name:
        return {"name": _l("Tên kênh đang trống.")}
    if len(name) > NAME_MAX:
        return {"name": _l("Tên kênh dài quá %(n)s ký tự.", n=NAME_MAX)}
    taken = db.session.scalar(select(SmsChannel.id).where(SmsChannel.name == name))
    if taken is not None and taken != own_channel_id:
        return {"name": _l("Đã có kênh tên “%(name)s”.", name=name)}
    return {}


def _id_errors(field: str, value: str) -> dict:
    label = _l("Mã ứng dụng (App ID)") if field == "app_id" else _l("Mã OA (OA ID)")
    if not value.isascii() or not value.isdigit() or len(value) > ID_MAX:
        return {field: _l("%(label)s chỉ gồm chữ số, như Zalo hiển thị.", label=label)}
    return {}


def _secret_errors(secret_key: str, *, required: bool) -> dict:
    if required and not secret_key:
        return {"secret_key": _l("Chưa nhập khóa bí mật (Secret Key) của ứng dụng.")}
    if len(secret_key) > SECRET_MAX:
        return {"secret_key": _l("Khóa bí mật dài quá %(n)s ký tự.", n=SECRET_MAX)}
    return {}


def _token_errors(tokens: ZaloTokens) -> dict:
    errors = {}
    if not tokens.refresh_token.strip():
        errors["refresh_token"] = _l("Chưa nhập mã làm mới (Refresh Token) của OA.")
    if not 0 <= tokens.access_expires_in <= ACCESS_EXPIRES_MAX:
        errors["access_expires_in"] = _l(
            "Thời hạn của mã truy cập là số giây, từ 0 đến %(n)s.", n=ACCESS_EXPIRES_MAX
        )
    return errors


def _oa_connected(oa_id: str) -> bool:
    return db.session.scalar(select(ZaloAccount.id).where(ZaloAccount.oa_id == oa_id)) is not None


def _audit(action: str, account: ZaloAccount, user_id, remote_addr, **detail) -> None:
    audit(
        action,
        user_id=user_id,
        commune_id=account.channel.commune_id,
        object_type="sms_channel",
        object_id=account.channel_id,
        remote_addr=remote_addr,
        detail=detail,
    )
