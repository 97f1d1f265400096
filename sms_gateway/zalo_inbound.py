"""Zalo events into the one inbound pipeline: verified, stored once per event, answered at once.

Every event is stored as an inbound message of channel "zalo" (its `msg_id` the provider
id; follow/unfollow, which have none, get one made of the event's name, user and time), so
the worker handles a Zalo text exactly as a text message: the same parser, keywords and
replies. The resident's address is their phone once they have shared it (so their SMS and
Zalo items are one history), else `zalo:<n>`, n being our own short id of the Zalo user
(Zalo's ids can be longer than a phone column).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import Item, Message, ZaloAccount, ZaloUser, utcnow
from nghedan.phones import ZALO_ADDRESS_PREFIX, display, is_zalo_address, to_e164
from nghedan.services.items import evidence
from nghedan.services.items.history import record_event
from nghedan.services.sms.contacts import set_opt_out
from nghedan.services.sms.inbox import store_inbound
from sms_gateway import replies, zalo, zalo_media
from sms_gateway.inbound import wake_worker

CHANNEL = "zalo"
ADDRESS_PREFIX = ZALO_ADDRESS_PREFIX
# What each event becomes for the worker (Message.kind); others are stored and ignored.
KINDS = {
    zalo.TEXT: "inbound",
    zalo.IMAGE: "zalo_image",
    zalo.FOLLOW: "zalo_follow",
    zalo.UNFOLLOW: "zalo_unfollow",
    "user_submit_info": "zalo_phone",
}
IGNORED = "zalo_other"
# The text of an item made of a picture sent without words (the picture is its attachment).
PICTURE_ONLY = "(ảnh gửi qua Zalo)"
# "sdt 0912 345 678", "so dien thoai cua toi la 0912345678": a phone number named as one (a
# bare number means what it means by SMS: a tracking code of the wrong length).
_PHONE_WORDS = re.compile(
    r"^\s*(?:sdt|sđt|so dt|số đt|so dien thoai|số điện thoại|dien thoai|điện thoại)"
    r"(?:\s+(?:cua|của)\s+(?:toi|tôi))?(?:\s+(?:la|là))?\s*:?\s*"
    r"([+\d][\d .\-]{7,16}\d)\s*\.?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Refusal:
    status: int
    problem: str


def verify(
    raw_body: bytes, headers: Mapping[str, str]
) -> tuple[ZaloAccount | None, dict, Refusal | None]:
    """The OA this signed event is for and its payload, or why it is refused."""
    try:
        payload = zalo.read_body(raw_body)
    except (ValueError, RecursionError):
        return None, {}, Refusal(400, "body is not a JSON event")
    event = zalo.event_from(payload)
    account = _account(event.oa_id)
    if account is None:
        return None, payload, Refusal(403, "unknown OA")
    problem = zalo.signature_problem(
        headers.get(zalo.SIGNATURE_HEADER),
        raw_body,
        payload,
        app_id=account.app_id,
        secret_key=account.secret_key,
        now=utcnow(),
        max_age_seconds=int(current_app.config["ZALO_WEBHOOK_MAX_AGE_SECONDS"]),
    )
    if problem:
        return None, payload, Refusal(403, problem)
    return account, payload, None


def store_event(account: ZaloAccount, payload: dict) -> Message | None:
    """Store one verified event for the worker (None: a repeated delivery, stored before)."""
    event = zalo.event_from(payload)
    if not event.user_id:
        return None  # nothing to answer or to keep a history for (an OA-side event)
    user = _user(account, event.user_id)
    kind = KINDS.get(event.name, IGNORED)
    if kind == "zalo_phone" or (kind == "inbound" and _shared_phone(event.text)):
        kind = "zalo_phone"
        user.phone = _shared_phone(event.text) or _submitted_phone(payload) or user.phone
    if kind in ("inbound", "zalo_image", "zalo_phone", "zalo_follow"):
        user.last_message_at = event.at or utcnow()  # opens Zalo's window for answers
        user.following = True
    elif kind == "zalo_unfollow":
        user.following = False  # nothing more on Zalo (by SMS still, to a shared phone)
    provider_id = event.msg_id or f"{event.name}:{event.user_id}:{payload.get('timestamp')}"
    message_id = store_inbound(
        channel=CHANNEL,
        provider_id=provider_id[:64],
        phone=address(user),
        service_number=(ADDRESS_PREFIX + account.oa_id)[:32],
        body=_body(event, kind),
        sms_channel_id=account.channel_id,  # answers go back on Zalo
    )
    if message_id is None:
        return None
    message = db.session.get(Message, message_id)
    message.kind, message.commune_id = kind, account.channel.commune_id
    if kind == IGNORED:
        message.status = "ignored"
    else:
        wake_worker()
    if event.image_urls:
        message.attachments = [{"type": "image", "url": url} for url in event.image_urls]
    return message


def address(user: ZaloUser) -> str:
    """How the pipeline names this resident: their phone once known, else their Zalo id."""
    return user.phone or f"{ADDRESS_PREFIX}{user.id}"


def _account(oa_id: str | None) -> ZaloAccount | None:
    if not oa_id:
        return None
    return db.session.scalar(
        select(ZaloAccount).join(ZaloAccount.channel).where(ZaloAccount.oa_id == oa_id)
    )


def _user(account: ZaloAccount, user_id: str) -> ZaloUser:
    user = db.session.scalar(
        select(ZaloUser).where(ZaloUser.account_id == account.id, ZaloUser.user_id == user_id)
    )
    if user is None:
        user = ZaloUser(account_id=account.id, user_id=user_id[:64])
        db.session.add(user)
        db.session.flush()  # its id is the resident's address until they share a phone
    return user


def _shared_phone(text: str) -> str | None:
    match = _PHONE_WORDS.match(text or "")
    return to_e164(match.group(1)) if match else None


def _submitted_phone(payload: dict) -> str | None:
    """`user_submit_info`: the phone a resident shared with the OA's form."""
    info = payload.get("info") if isinstance(payload.get("info"), dict) else {}
    phone = info.get("phone")
    return to_e164(phone) if isinstance(phone, str) else None


def _body(event: zalo.Event, kind: str) -> str:
    if kind == "zalo_follow":
        return "[quan tâm trang]"
    if kind == "zalo_unfollow":
        return "[bỏ quan tâm trang]"
    if kind == IGNORED:
        return f"[{event.name}]"
    return event.text


# -- The worker's side (sms_gateway/pipeline.py hands it every message of channel "zalo") --


def resolve(message: Message, act_as_text, pictures=()) -> str | None:
    """What the worker answers to one stored Zalo event (None: nothing), having acted on it.

    Texts, images and shared phones go through `act_as_text` (the SMS path: parser,
    keywords, items, ratings); an image is an opinion (its caption, or PICTURE_ONLY) that
    starts or joins an item, and keeps `pictures` (zalo_media.fetch_all of its links) on it.
    Follow and unfollow are Zalo's own."""
    # Following or not is Zalo's own opt-in; a shared phone keeps its SMS choice (HUY / DK).
    if message.kind == "zalo_follow":
        if is_zalo_address(message.phone):
            set_opt_out(message.phone, False)
        return welcome()
    if message.kind == "zalo_unfollow":
        if is_zalo_address(message.phone):
            set_opt_out(message.phone, True)  # nothing more is sent until they follow again
        return None
    if message.kind == "zalo_phone":
        return phone_linked(message.phone)
    if message.kind == "zalo_image":
        if not (message.body or "").strip():
            message.body = PICTURE_ONLY
        reply = act_as_text(message, opinion=True)
        item = db.session.get(Item, message.item_id) if message.item_id else None
        if item is not None:  # else (a flood) the links stay on the stored event
            keep_pictures(item, message, pictures)
        return reply
    return act_as_text(message)


def picture_links(message_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The picture links of the image events among these stored messages, by message id."""
    if not message_ids:
        return {}
    rows = db.session.execute(
        select(Message.id, Message.attachments).where(
            Message.id.in_(message_ids), Message.kind == "zalo_image"
        )
    )
    return {
        message_id: tuple(
            a["url"] for a in attachments or () if isinstance(a, dict) and a.get("url")
        )
        for message_id, attachments in rows
    }


def fetch_pictures(links: tuple[str, ...]) -> list[zalo_media.Picture]:
    """The pictures behind an image event's links (outside any transaction: it waits on
    Zalo's servers), within ZALO_TIMEOUT_SECONDS and the evidence size limit."""
    limits = zalo_media.Limits.from_config(current_app.config, evidence.max_bytes())
    return zalo_media.fetch_all(links, limits)


def keep_pictures(item: Item, message: Message, pictures) -> None:
    """Each fetched picture as the item's attachment (zalo-<msg id>-<n>); for each that
    could not be had, its link and why in the item's history, for officials."""
    stem = "zalo-" + "".join(ch for ch in message.provider_id or str(message.id) if ch.isalnum())
    for number, picture in enumerate(pictures, 1):
        problem = picture.problem
        if picture.data is not None:
            try:
                evidence.keep_resident_picture(
                    item, f"{stem[:60]}-{number}", picture.data, actor=CHANNEL
                )
                continue
            except ValidationError as e:
                problem = str(e.message)
        record_event(item, "picture_failed", actor=CHANNEL, note=f"{picture.url} — {problem}")


def own_id(address_: str) -> int | None:
    """Our id of the Zalo user an address `zalo:<n>` names (None for a phone)."""
    return int(address_.removeprefix(ADDRESS_PREFIX)) if is_zalo_address(address_) else None


def welcome() -> str:
    """The answer to a follow: thanks, and what can be sent (the SMS keywords)."""
    return _("Cảm ơn ông/bà đã quan tâm trang của xã.") + " " + replies.help_text()


def phone_linked(phone: str) -> str:
    """The answer to a resident who sent their phone number."""
    return _(
        "Đã ghi nhận số %(phone)s. Ý kiến ông/bà gửi qua Zalo và tin nhắn từ số này "
        "được theo dõi chung.",
        phone=display(phone),
    )
