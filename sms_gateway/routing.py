"""The one module that knows every SMS channel: which sender sends through a channel kind or
the configured backend, and the choice of channel for each outgoing SMS when a commune has
several.

Order of preference: a channel that is up before one that is down; the channel the
resident's text came in on (a reply comes from the number they texted); a SIM on the
resident's carrier (cheaper, and delivered more reliably in Vietnam); then the oldest
channel. A transient failure on one channel moves on to the next at once. Communes with
no channel configured keep using the configured SMS backend (`SMS_BACKEND`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select

from nghedan.config import ConfigurationError
from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.models import Message, SmsChannel, utcnow
from nghedan.services.sms.channels import carrier_of, down_reason, note_failure, note_sent
from nghedan.services.sms.outbox import UNCONFIRMED
from sms_gateway.android import AndroidSender
from sms_gateway.gammu import GammuOutbox
from sms_gateway.senders import ConsoleSender, NoChannelSender, Sender, SendError, sms_backend
from sms_gateway.twilio_channel import TwilioSender
from sms_gateway.zalo_inbound import ADDRESS_PREFIX as ZALO_ADDRESS
from sms_gateway.zalo_sender import ZaloSender

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


# Every channel kind's sender, made for one configured channel and one message attempt.
CHANNEL_SENDERS: dict[str, Callable[[SmsChannel, Mapping, str | None], Sender]] = {
    "android": lambda channel, config, key: AndroidSender.from_channel(
        channel, config, message_key=key
    ),
    "gammu": lambda channel, config, key: GammuOutbox.from_channel(channel, message_key=key),
    "twilio": lambda channel, config, key: TwilioSender.from_config(config),
    "zalo": lambda channel, config, key: ZaloSender.from_channel(channel, config),
}
# The deployment-wide backend (SMS_BACKEND) for communes without a configured channel.
BACKENDS: dict[str, Callable[[Mapping], Sender]] = {
    "console": ConsoleSender.from_config,
    "twilio": TwilioSender.from_config,
    "channels": NoChannelSender.from_config,  # only the SMS channels configured per commune
}


def sender_from_config(config: Mapping) -> Sender:
    """The sender for the configured backend; a clear error when it is unknown or incomplete."""
    name = sms_backend(config)
    if name not in BACKENDS:
        raise ConfigurationError(
            f"SMS_BACKEND={name!r} is not known; use one of: {', '.join(sorted(BACKENDS))}"
        )
    return BACKENDS[name](config)


def sender_for(channel: SmsChannel, config: Mapping, message_key: str | None = None) -> Sender:
    """The sender that sends through this channel (a clear error when misconfigured);
    `message_key` lets a provider that accepts our own ids refuse a second copy."""
    make = CHANNEL_SENDERS.get(channel.kind)
    return make(channel, config, message_key) if make else ConsoleSender()


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
            sender = sender_for(channel, config, message_key(message))
        except Exception as e:  # one misconfigured channel must not stop the others
            log.warning("SMS channel %s is misconfigured: %s", channel.name, e)
            continue
        if _can_take(channel, sender, message.phone):
            routes.append(Route(channel.id, channel.kind, channel.name, sender))
    return routes


def _can_take(channel: SmsChannel, sender: Sender, address: str) -> bool:
    """Zalo only to a resident it may answer now (a follower inside the reply window); a
    resident known only by their Zalo id only through Zalo."""
    if channel.kind == ZaloSender.channel:
        return sender.can_reach(address)
    return not address.startswith(ZALO_ADDRESS)


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
        if routes:
            return RoutedSend(routes)
        if message.phone.startswith(ZALO_ADDRESS):
            return WaitingForZalo()
        return self.fallback

    def send(self, phone: str, body: str) -> str | None:
        return self.fallback.send(phone, body)


class WaitingForZalo:
    """A resident known only by their Zalo id, outside Zalo's reply window: no channel can
    reach them now, so the message waits (retried; officials see it in the SMS log)."""

    channel = "zalo"

    def send(self, phone: str, body: str) -> str | None:
        raise SendError(
            "waiting for the resident to write on Zalo again (outside the reply window)",
            code="zalo-window",
            transient=True,
        )
