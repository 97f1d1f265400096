"""Intake: the one way a resident's item enters the system, whatever the surface."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from nghedan import tracking_codes
from nghedan.database import insert_new
from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import Category, Hamlet, Item, utcnow
from nghedan.models.items import CHANNELS, CONVERSATION_CHANNELS, INTAKE_METHODS, LEGAL_TYPES
from nghedan.phones import is_zalo_address, to_e164
from nghedan.services.items.history import record_event
from nghedan.services.sms.commune_lookup import commune_exists
from nghedan.services.sms.contacts import ensure_contact
from nghedan.services.sms.outbox import queue_sms
from nghedan.text import fold_diacritics, nfc

MAX_TEXT_LENGTH = 5000
MAX_NAME_LENGTH = 120
_CODE_ATTEMPTS = 20


def create_item(
    *,
    commune_id: int,
    text: str,
    channel: str,
    hamlet_id: int | None = None,
    category_code: str | None = None,
    legal_type: str = "opinion",
    contact_phone: str | None = None,
    contact_name: str | None = None,
    kiosk_id: int | None = None,
    client_key: str | None = None,
    user_id: int | None = None,
    spoken: bool = False,
) -> Item:
    """Validate and store a new item with a fresh tracking code.

    The same `client_key` (a surface's idempotency key) returns the item already stored.
    A `spoken` item (its recording attached next) may come without text.
    Raises ValidationError, writing nothing, when the input can't be accepted.
    """
    if client_key:
        existing = item_by_client_key(client_key)
        if existing:
            return existing
    text = "" if spoken and not (text or "").strip() else _valid_text(text)
    fields = _valid_fields(commune_id, hamlet_id, category_code, legal_type, channel)
    phone = _valid_phone(contact_phone)
    name = (
        nfc(contact_name.strip())[:MAX_NAME_LENGTH]
        if contact_name and contact_name.strip()
        else None
    )
    if phone:
        ensure_contact(phone)
    item, created = _insert_with_fresh_code(
        dict(
            fields,
            text=text,
            text_folded=fold_diacritics(text),
            contact_phone=phone,
            contact_name=name,
            kiosk_id=kiosk_id,
            client_key=client_key,
            status="new",
            last_message_at=utcnow() if channel in CONVERSATION_CHANNELS else None,
        )
    )
    if created:
        record_event(
            item,
            "created",
            actor=channel if user_id is None else "user",
            user_id=user_id,
            to_status="new",
        )
    return item


def create_item_with_receipt(**fields) -> Item:
    """`create_item`, and when the resident left a phone number an SMS with the item's code, so
    they have it even without the paper receipt; a repeat (the same `client_key`) sends none."""
    key = fields.get("client_key")
    already = item_by_client_key(key) if key else None
    if already is not None:
        return already
    item = create_item(**fields)
    if item.contact_phone:
        queue_sms(
            item.contact_phone,
            receipt_sms(item),
            kind=f"{item.channel}_receipt",
            commune_id=item.commune_id,
            item_id=item.id,
        )
    return item


def receipt_sms(item: Item) -> str:
    """The SMS a resident who left a phone number gets: the tracking code, and how to use it."""
    label = item.commune.label  # `xã Tân Thạnh`, `phường Mỹ Hòa`
    return gettext(
        "%(commune)s đã nhận ý kiến của ông/bà, mã tra cứu %(code)s. "
        "Nhắn TT %(code)s để xem kết quả.",
        commune=label[:1].upper() + label[1:],
        code=item.tracking_code,
    )


def enter_at_commune(
    *,
    commune_id: int,
    text: str,
    method: str,
    consent: bool,
    user_id: int,
    contact_phone: str | None = None,
    contact_name: str | None = None,
    **fields,
) -> Item:
    """An item an official types in from a letter, a phone call or a walk-in resident.

    The resident's phone is kept only when they agreed to be contacted (SMS replies,
    invitations and outcomes go to it); without consent the form must leave it empty.
    """
    if method not in INTAKE_METHODS:
        raise ValidationError(_l("Chọn cách người dân gửi ý kiến."), code="bad_intake_method")
    if contact_phone and contact_phone.strip() and not consent:
        raise ValidationError(
            _l("Người dân chưa đồng ý được liên hệ: bỏ số điện thoại hoặc đánh dấu đồng ý."),
            code="phone_without_consent",
        )
    item = create_item(
        commune_id=commune_id,
        text=text,
        channel="admin",
        user_id=user_id,
        contact_phone=contact_phone,
        contact_name=contact_name,
        **fields,
    )
    item.intake_method, item.contact_consent = method, bool(consent)
    return item


def item_by_client_key(client_key: str) -> Item | None:
    return db.session.scalar(_BY_CLIENT_KEY, {"client_key": client_key})


def item_by_code(code: str) -> Item | None:
    """The item with this tracking code (already normalised and check-digit valid)."""
    return db.session.scalar(_BY_CODE, {"code": code})


# Built once: an SMS asking for a status runs this on every text.
_BY_CODE = select(Item).where(Item.tracking_code == bindparam("code"))
_BY_CLIENT_KEY = select(Item).where(Item.client_key == bindparam("client_key"))


def append_text(item: Item, more: str) -> None:
    """Join a further text from the same resident to an item (an SMS split over several
    texts, a Zalo chat in several messages)."""
    more = _valid_text(more)
    joined = item.text + "\n" + more
    if len(joined) > MAX_TEXT_LENGTH:
        raise ValidationError(_l("Ý kiến quá dài."), code="text_too_long")
    item.text = joined
    item.text_folded = fold_diacritics(joined)
    item.last_message_at = utcnow()
    record_event(item, "text_appended", actor=item.channel)


def _valid_text(text: str | None) -> str:
    if text is None or not text.strip():
        raise ValidationError(_l("Nội dung ý kiến đang trống."), code="empty_text")
    text = nfc(text)
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            _l("Ý kiến quá dài (tối đa %(n)s ký tự).", n=MAX_TEXT_LENGTH), code="text_too_long"
        )
    return text


def _valid_fields(commune_id, hamlet_id, category_code, legal_type, channel) -> dict:
    if channel not in CHANNELS:
        raise ValidationError(
            _l("Kênh không hợp lệ: %(channel)s", channel=channel), code="bad_channel"
        )
    if legal_type not in LEGAL_TYPES:
        raise ValidationError(
            _l("Loại đơn không hợp lệ: %(legal_type)s", legal_type=legal_type),
            code="bad_legal_type",
        )
    if not commune_exists(commune_id):
        raise ValidationError(_l("Không tìm thấy xã, phường."), code="unknown_commune")
    if hamlet_id is not None:
        hamlet = db.session.get(Hamlet, hamlet_id)
        if hamlet is None or hamlet.commune_id != commune_id:
            raise ValidationError(_l("Không tìm thấy ấp, khóm này."), code="unknown_hamlet")
    category_id = None
    if category_code:
        category_id = db.session.scalar(select(Category.id).where(Category.code == category_code))
        if category_id is None:
            raise ValidationError(_l("Không tìm thấy lĩnh vực này."), code="unknown_category")
    return dict(
        commune_id=commune_id,
        hamlet_id=hamlet_id,
        category_id=category_id,
        legal_type=legal_type,
        channel=channel,
    )


def _valid_phone(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    if is_zalo_address(raw):  # a resident on Zalo who has not shared a number
        return raw
    phone = to_e164(raw)
    if phone is None:
        raise ValidationError(_l("Số điện thoại không hợp lệ."), code="bad_phone")
    return phone


def _insert_with_fresh_code(values: dict) -> tuple[Item, bool]:
    """Insert the item, drawing another random code on the rare collision.

    Returns the item and whether it is new: a concurrent request with the same client key
    may have stored it first.
    """
    for _ in range(_CODE_ATTEMPTS):
        item = insert_new(Item, dict(values, tracking_code=tracking_codes.new_code()))
        if item is not None:
            return item, True
        key = values.get("client_key")
        existing = item_by_client_key(key) if key else None
        if existing:
            return existing, False
    raise RuntimeError("could not draw a free tracking code")
