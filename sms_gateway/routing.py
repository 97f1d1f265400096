"""Choosing the channel for each outgoing SMS when a commune has several.

Order of preference: a channel that is up before one that is down; the channel the
resident's text came in on (a reply comes from the number they texted); a SIM on the
resident's carrier (cheaper, and delivered more reliably in Vietnam); then the oldest
channel. A transient failure on one channel moves on to the next at once. Communes with
no channel configured keep using the configured SMS backend (`SMS_BACKEND`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select

from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.models import Message, SmsChannel, utcnow
from nghedan.services.sms.channels import carrier_of, down_reason, note_failure, note_sent
from nghedan.services.sms.outbox import UNCONFIRMED
from sms_gateway.senders import ConsoleSender, Sender, SendError

log = logging.getLogger(__name__)

VIA_PREFIX = "via:"  # outbox `channel` value asking for one channel: "via:<channel id>"


def via(channel_id: int) -> str:
    """The outbox `channel` value that asks for this channel first."""
    return f"{VIA_PREFIX}{channel_id}"


@dataclass(frozen=True)
class Route:
    channel_id: int
    kind: str
    name: str
    sender: Sender


def sender_for(channel: SmsChannel, config: Mapping, message_key: str | None = None) -> Sender:
    """The sender that sends through this channel (a clear error when misconfigured);
    `message_key` lets a provider that accepts our own ids refuse a second copy."""
    if channel.kind == "android":
        from sms_gateway.android import AndroidSender

        return AndroidSender.from_channel(channel, config, message_key=message_key)
    if channel.kind == "gammu":
        from sms_gateway.gammu import GammuOutbox

        return GammuOutbox.from_channel(channel, message_key=message_key)
    if channel.kind == "twilio":
        from sms_gateway.twilio_channel import TwilioSender

        return TwilioSender.from_config(config)
    return ConsoleSender()


def plan_routes(message: Message, config: Mapping) -> list[Route]:
    """The channels to try for this outbox message, best first (empty: none configured)."""
    query = select(SmsChannel).where(SmsChannel.active.is_(True)).order_by(SmsChannel.id)
    if message.commune_id is not None:
        query = query.where(
            or_(SmsChannel.commune_id == message.commune_id, SmsChannel.commune_id.is_(None))
        )
    channels = list(db.session.scalars(query))
    now, carrier = utcnow(), carrier_of(message.phone)
    preferred = _preferred_id(message.channel)

    def rank(channel: SmsChannel):
        return (
            down_reason(channel, now, config) is not None,
            channel.id != preferred,
            not (carrier and channel.carrier == carrier),
            channel.id,
        )

    routes = []
    for channel in sorted(channels, key=rank):
        try:
            routes.append(
                Route(
                    channel.id,
                    channel.kind,
                    channel.name,
                    sender_for(channel, config, message_key(message)),
                )
            )
        except Exception as e:  # one misconfigured channel must not stop the others
            log.warning("SMS channel %s is misconfigured: %s", channel.name, e)
    return routes


def message_key(message: Message) -> str:
    """Our id for one attempt at an outbox message, the same again when a worker died before
    recording the attempt's outcome (the claim marks it UNCONFIRMED): the Android app refuses
    an id it already has (409) and the modem channel finds its earlier file, so the text is
    not sent twice."""
    attempt = message.attempts - 1 if message.error_code == UNCONFIRMED else message.attempts
    return f"nghedan-{message.id}-{max(attempt, 1)}"


def _preferred_id(value: str | None) -> int | None:
    if value and value.startswith(VIA_PREFIX) and value[len(VIA_PREFIX) :].isdigit():
        return int(value[len(VIA_PREFIX) :])
    return None


class RoutedSend:
    """One message's send over its planned routes; `channel` is the kind that took it."""

    def __init__(self, routes: list[Route]):
        self.routes = routes
        self.channel = routes[0].kind

    def send(self, phone: str, body: str) -> str | None:
        last_error: SendError | None = None
        for route in self.routes:
            try:
                provider_id = route.sender.send(phone, body)
            except SendError as e:
                self._record_failure(route, e)
                if not e.transient or e.maybe_accepted:  # another route could send it twice
                    raise
                last_error = e
                continue
            with unit_of_work():
                note_sent(route.channel_id)
            self.channel = route.kind
            return provider_id
        raise last_error

    def find_sent(self, phone: str, body: str, since) -> str | None:
        """An earlier attempt's id at any route that can be asked (see OutboxWorker)."""
        for route in self.routes:
            find_sent = getattr(route.sender, "find_sent", None)
            provider_id = find_sent(phone, body, since) if find_sent else None
            if provider_id:
                self.channel = route.kind
                return provider_id
        return None

    @staticmethod
    def _record_failure(route: Route, error: SendError) -> None:
        log.warning("SMS channel %s could not send (%s): %s", route.name, error.code, error.message)
        with unit_of_work():
            note_failure(route.channel_id, error.code, error.message, counts_down=error.transient)


class NoChannelSender:
    """SMS_BACKEND=channels: texts go only through configured channels; one for a commune
    without any waits in the queue (and fails after the last attempt), visibly."""

    channel = "channels"

    def send(self, phone: str, body: str) -> str | None:
        raise SendError("no active SMS channel for this commune", code="no-channel", transient=True)


class ChannelRouter:
    """The outbox worker's sender when SMS channels are configured: per message, the routes
    of its commune (`for_message`); otherwise the configured backend."""

    def __init__(self, fallback: Sender, config: Mapping):
        self.fallback = fallback
        self.config = config
        self.channel = fallback.channel

    def for_message(self, message: Message) -> Sender:
        """Called inside the worker's transaction, before the send."""
        routes = plan_routes(message, self.config)
        return RoutedSend(routes) if routes else self.fallback

    def send(self, phone: str, body: str) -> str | None:
        return self.fallback.send(phone, body)


def queue_reply(received, channel_id: int | None) -> Message | None:
    """Queue the answer to a text that came in on a channel without a synchronous reply,
    preferring that channel; nothing for a repeated delivery or a text left unanswered."""
    from nghedan.services.sms.contacts import is_opted_out
    from nghedan.services.sms.outbox import OPT_OUT_ACK, queue_sms

    if not received.created or not received.reply:
        return None
    message = db.session.get(Message, received.message_id)
    # An opted-out phone is answered only when this text was its HUY / STOP.
    kind = OPT_OUT_ACK if is_opted_out(message.phone) else "reply"
    return queue_sms(
        message.phone,
        received.reply,
        kind=kind,
        commune_id=message.commune_id,
        item_id=message.item_id,
        channel=via(channel_id) if channel_id is not None else "auto",
    )
