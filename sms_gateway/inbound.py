"""The one inbound pipeline every SMS channel feeds: store first, then parse, act and reply.

A channel (Twilio's webhook today; a phone gateway or a GSM modem tomorrow) turns its
provider's request into an `InboundSms` and calls `handle_inbound`, which returns the reply
text, or None when nothing must be answered. Sending the reply is the channel's business
(TwiML for Twilio, the outbox for channels without a synchronous answer).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale

from nghedan.errors import DomainError, ValidationError
from nghedan.extensions import db
from nghedan.models import Commune, Message, utcnow
from nghedan.phones import to_e164
from nghedan.services.contacts import reply_preferences, set_opt_out
from nghedan.services.intake import append_text, create_item, item_by_code
from nghedan.services.ratings import officer_by_code, record_rating
from nghedan.services.sms_inbox import (
    commune_for_number,
    flag_message,
    inbound_count_since,
    joinable_item,
    record_reply,
    store_inbound,
)
from nghedan.sms_text import fit_for_sms
from sms_gateway import parser, replies
from sms_gateway.parser import Command

log = logging.getLogger(__name__)

NOT_A_PHONE = "người gửi không phải số điện thoại"
UNKNOWN_NUMBER = "không rõ tin nhắn gửi đến số của xã nào"
FLOOD = "quá nhiều tin nhắn từ một số trong thời gian ngắn"
PROCESSING_ERROR = "lỗi khi xử lý tin nhắn"
PROVIDER_ID_LENGTH, NUMBER_LENGTH = 64, 32  # Message.provider_id, Message.service_number


@dataclass(frozen=True)
class InboundSms:
    """One text as any channel received it, before we know what it means."""

    channel: str  # "twilio", …
    sender: str  # as the provider gave it: a phone number, or an alphanumeric sender id
    body: str
    provider_id: str | None = None  # the provider's message id; repeats are answered once
    recipient: str | None = None  # the number it was sent to (tells which commune)


@dataclass(frozen=True)
class Outcome:
    reply: str | None
    item_id: int | None = None


@dataclass(frozen=True)
class Received:
    reply: str | None
    created: bool  # False: a repeated delivery of a text stored before (answered already)
    message_id: int


def handle_inbound(sms: InboundSms) -> str | None:
    """Store the text, act on it, and return the reply (None: answer nothing)."""
    return receive_inbound(sms).reply


def receive_inbound(sms: InboundSms) -> Received:
    """`handle_inbound`, also saying whether the text is new: channels that answer through
    the outbox queue a reply only for a new text, never for a repeated delivery."""
    sms = _storable(sms)
    phone = to_e164(sms.sender)
    recipient = to_e164(sms.recipient) or (sms.recipient or None)
    commune = commune_for_number(recipient)
    stored = store_inbound(
        channel=sms.channel, provider_id=sms.provider_id, phone=phone or sms.sender[:32],
        service_number=recipient, body=sms.body, commune_id=commune.id if commune else None,
    )
    message = stored.message
    if not stored.created:
        return Received(message.reply_body, False, message.id)
    reason = _reason_not_to_answer(message, phone, commune)
    if reason:
        log.info("inbound SMS %s stored without answer: %s", message.id, reason)
        flag_message(message, reason)
        return Received(None, True, message.id)
    return Received(_act_and_record(message, phone, commune), True, message.id)


def _storable(sms: InboundSms) -> InboundSms:
    """The text as the database can hold it, whatever a provider sent: no NUL characters
    (PostgreSQL refuses them, and no phone sends one), the provider id and our number cut
    to their columns. Found by fuzzing the webhook (tests/ops/test_fuzz_sms.py)."""

    def clean(value: str | None, limit: int | None = None) -> str | None:
        return (value or "").replace("\x00", "")[:limit] or None

    return replace(sms, sender=clean(sms.sender) or "", body=clean(sms.body) or "",
                   provider_id=clean(sms.provider_id, PROVIDER_ID_LENGTH),
                   recipient=clean(sms.recipient, NUMBER_LENGTH))


def _reason_not_to_answer(message: Message, phone: str | None,
                          commune: Commune | None) -> str | None:
    if phone is None:
        return NOT_A_PHONE  # alphanumeric and short-code senders: answering starts loops
    if commune is None:
        return UNKNOWN_NUMBER
    config = current_app.config
    since = utcnow() - timedelta(seconds=int(config["SMS_FLOOD_WINDOW_SECONDS"]))
    if inbound_count_since(phone, since, excluding_id=message.id) >= int(config["SMS_FLOOD_LIMIT"]):
        return FLOOD
    return None


def _act_and_record(message: Message, phone: str, commune: Commune) -> str | None:
    command = parser.parse(message.body)
    language, opted_out = reply_preferences(phone)
    try:
        with db.session.begin_nested(), force_locale(language):
            outcome = ACTIONS[command.kind](command, phone, commune)
    except DomainError as e:  # refused by the domain (e.g. far too long): say why
        outcome = Outcome(e.message)
    except Exception:  # the text is kept either way; officials see it flagged
        log.exception("inbound SMS %s could not be processed", message.id)
        flag_message(message, PROCESSING_ERROR)
        return None
    reply = outcome.reply
    if opted_out and command.kind not in (parser.STOP, parser.START):
        reply = None  # opted out: nothing more is sent until DK / START
    reply = fit_for_sms(reply) if reply else None
    record_reply(message, reply, item_id=outcome.item_id)
    return reply


def _opinion(command: Command, phone: str, commune: Commune) -> Outcome:
    window = timedelta(seconds=int(current_app.config["SMS_JOIN_WINDOW_SECONDS"]))
    item = joinable_item(phone, commune.id, utcnow() - window)
    if item is not None:
        try:
            append_text(item, command.text)
            return Outcome(replies.appended(item), item.id)
        except ValidationError:
            pass  # too long to join: it becomes an item of its own
    item = create_item(commune_id=commune.id, text=command.text, channel="sms",
                       contact_phone=phone)
    return Outcome(replies.received(item), item.id)


def _status(command: Command, phone: str, commune: Commune) -> Outcome:
    if command.problem == parser.MISSING_CODE:
        return Outcome(replies.missing_code())
    if command.problem == parser.BAD_CODE:
        return Outcome(replies.bad_code(command.code))
    item = item_by_code(command.code)
    if item is None:
        return Outcome(replies.unknown_code(command.code))
    # A denunciation's sender is confidential: others learn only that it is being handled.
    reveal = item.contact_phone == phone or not item.is_denunciation
    return Outcome(replies.status_of(item, reveal_answer=reveal))


def _rate(command: Command, phone: str, commune: Commune) -> Outcome:
    if command.problem is not None:
        return Outcome(replies.rating_usage())
    officer = officer_by_code(commune.id, command.officer_code)
    if officer is None:
        return Outcome(replies.unknown_officer(command.officer_code))
    window = timedelta(seconds=int(current_app.config["RATING_REPEAT_WINDOW_SECONDS"]))
    try:
        result = record_rating(officer_id=officer.id, score=command.score, channel="sms",
                               phone=phone, comment=command.text or None, phone_window=window)
    except DomainError as e:
        return Outcome(e.message)
    if not result.created:
        return Outcome(replies.rating_repeated(officer))
    comment_item = result.rating.item  # a rating with a comment also became an item
    return Outcome(replies.rating_recorded(officer, command.score),
                   comment_item.id if comment_item is not None else None)


def _help(command: Command, phone: str, commune: Commune) -> Outcome:
    return Outcome(replies.help_text())


def _stop(command: Command, phone: str, commune: Commune) -> Outcome:
    changed = set_opt_out(phone, True)
    return Outcome(replies.opted_out() if changed else None)  # acknowledged once


def _start(command: Command, phone: str, commune: Commune) -> Outcome:
    set_opt_out(phone, False)
    return Outcome(replies.opted_in())


ACTIONS = {
    parser.OPINION: _opinion, parser.STATUS: _status, parser.RATE: _rate,
    parser.HELP: _help, parser.STOP: _stop, parser.START: _start,
}
