"""SMS Gateway for Android (capcom6/android-sms-gateway) as a channel.

In: the app's webhooks (`POST /sms/android`), signed with the channel's signing key:
`X-Signature` is the hex HMAC-SHA256 of the raw body followed by `X-Timestamp` (Unix
seconds). The key tells which channel (phone) sent it. Out: the app's API (local server on
the phone, or the cloud/private server) through the `android-sms-gateway` client.

The app's `messageId` for a received text is derived from its content and is not unique,
and the app is known to deliver one text twice (seconds apart, with different event ids):
a received text is one text per (sender, text, time received), and the same text from the
same phone within ANDROID_DUPLICATE_WINDOW_SECONDS is taken as a repeated delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from android_sms_gateway import APIClient, ProcessState, TextMessage
from android_sms_gateway import Message as GatewayMessage
from android_sms_gateway.errors import APIError
from android_sms_gateway.http import RequestsHttpClient
from sqlalchemy import select

from nghedan.config import ConfigurationError
from nghedan.extensions import db
from nghedan.models import Message, SmsChannel, utcnow
from nghedan.phones import to_e164
from nghedan.services.sms.channels import (
    active_channels,
    note_failure,
    note_inbound,
    note_ping,
    requeue_failed_send,
    secret,
    service_number,
)
from nghedan.services.sms.commune_lookup import commune_id_for_sms_number
from nghedan.services.sms.outbox import record_delivery_status
from nghedan.text import nfc
from sms_gateway.actions import N_
from sms_gateway.inbound import InboundSms, store
from sms_gateway.senders import SendError

log = logging.getLogger(__name__)

CHANNEL = "android"
MAX_TIMESTAMP_DIGITS = 12  # Unix seconds until the year 33658; more would overflow a float
MISSING_FIELDS = N_("thiếu nội dung hoặc số gửi trong webhook của điện thoại")
DELIVERY_EVENTS = {"sms:sent": "sent", "sms:delivered": "delivered", "sms:failed": "failed"}


class BadEvent(ValueError):
    """A signed webhook we cannot use; the message says what is wrong (HTTP 400)."""


# -- Signatures ---------------------------------------------------------------------------


def signature(key: str, raw_body: bytes, timestamp: str) -> str:
    """The app's signature: hex HMAC-SHA256 of the raw body followed by the timestamp."""
    return hmac.new(key.encode(), raw_body + timestamp.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Verdict:
    channel: SmsChannel | None
    status: int = 200  # 401: not signed; 403: signed wrongly or too old
    problem: str | None = None


def verify(
    raw_body: bytes, headers: Mapping[str, str], config: Mapping, now: float | None = None
) -> Verdict:
    """Which Android channel signed this request, or why it is refused."""
    given, stamp = headers.get("X-Signature"), headers.get("X-Timestamp")
    if not given or not stamp:
        return Verdict(None, 401, "missing X-Signature or X-Timestamp")
    stamp = stamp.strip()
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= MAX_TIMESTAMP_DIGITS):
        return Verdict(None, 403, "X-Timestamp is not Unix seconds")
    age = (time.time() if now is None else now) - int(stamp)
    if abs(age) > int(config["ANDROID_SIGNATURE_MAX_AGE_SECONDS"]):
        return Verdict(None, 403, "X-Timestamp too old or in the future")
    given = given.strip().lower()
    if not given.isascii():
        return Verdict(None, 403, "wrong X-Signature")
    for channel in active_channels(CHANNEL):
        key = secret(channel.settings or {}, "signing_key", config)
        if key and hmac.compare_digest(signature(key, raw_body, stamp), given):
            return Verdict(channel)
    return Verdict(None, 403, "wrong X-Signature")


# -- Events -------------------------------------------------------------------------------


def parse_event(raw_body: bytes) -> tuple[str, dict]:
    """(event, payload) of a webhook body; BadEvent when it is not one."""
    try:
        data = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise BadEvent("body is not JSON") from e
    except RecursionError as e:  # nested thousands deep: no phone sends that
        raise BadEvent("body is nested too deeply") from e
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise BadEvent("no event")
    payload = data.get("payload")
    if not isinstance(payload, dict):
        raise BadEvent("no payload")
    return data["event"], payload


def handle_event(channel: SmsChannel, event: str, payload: dict, config: Mapping) -> dict:
    """Act on one verified event; a short JSON-able summary of what was done."""
    if event == "sms:received":
        return _received(channel, payload, config)
    if event in DELIVERY_EVENTS:
        return _delivery(channel, DELIVERY_EVENTS[event], payload)
    if event == "system:ping":
        health = payload.get("health") if isinstance(payload.get("health"), dict) else {}
        note_ping(channel, _text(health.get("status")), _ping_detail(health))
        return {"ok": True, "event": event}
    return {"ok": True, "event": event, "ignored": True}


def _received(channel: SmsChannel, payload: dict, config: Mapping) -> dict:
    body, sender = (
        payload.get("message"),
        _text(payload.get("phoneNumber") or payload.get("sender")),
    )
    if not isinstance(body, str):
        raise BadEvent("sms:received without a message text")
    recipient = _recipient(channel, payload)
    if not sender:  # keep what the resident wrote, for officials to see; answer nothing
        sms = InboundSms(CHANNEL, "?", body, recipient=recipient)
        stored = store(sms, sms_channel_id=channel.id, flag_reason=MISSING_FIELDS)
        return {"ok": True, "stored": stored, "flagged": True}
    received_at = _when(payload.get("receivedAt"))
    earlier = _recent_same_text(sender, body, config)
    if earlier is not None:
        return {"ok": True, "duplicate": earlier.id}
    key = _received_key(sender, body, received_at, payload.get("messageId"))
    stored = store(
        InboundSms(CHANNEL, sender, body, provider_id=key, recipient=recipient),
        sms_channel_id=channel.id,
    )
    note_inbound(channel.id)
    if stored is None:
        return {"ok": True, "duplicate": True}
    return {"ok": True, "stored": stored}


def _recipient(channel: SmsChannel, payload: dict) -> str | None:
    """The number the text was sent to. A channel's key speaks for its own commune only: a
    recipient of another commune's number is not believed, the channel's own is used."""
    own = service_number(channel)
    claimed = _text(payload.get("recipient"))
    if not claimed or channel.commune_id is None:
        return claimed or own
    if commune_id_for_sms_number(to_e164(claimed) or claimed) != channel.commune_id:
        log.warning(
            "Android channel %s posted a text for another commune's number; kept as "
            "its own commune's",
            channel.name,
        )
        return own
    return claimed


def _received_key(sender: str, body: str, received_at: datetime | None, message_id) -> str:
    """One key per text as the phone received it: retries of the webhook share it."""
    when = received_at.isoformat() if received_at else f"id:{message_id}"
    digest = hashlib.sha256(f"{to_e164(sender) or sender}\n{nfc(body)}\n{when}".encode())
    return "r" + digest.hexdigest()[:40]


def _recent_same_text(sender: str, body: str, config: Mapping) -> Message | None:
    window = timedelta(seconds=int(config["ANDROID_DUPLICATE_WINDOW_SECONDS"]))
    phone = to_e164(sender) or sender[:32]
    return db.session.scalar(
        select(Message)
        .where(
            Message.direction == "in",
            Message.channel == CHANNEL,
            Message.phone == phone,
            Message.body == nfc(body),
            Message.created_at >= utcnow() - window,
        )
        .limit(1)
    )


def _delivery(channel: SmsChannel, status: str, payload: dict) -> dict:
    """sms:sent / delivered / failed for a text we sent; statuses only move forward, and a
    failure (no credit on the SIM, no signal) puts the text back in the queue for another
    channel while attempts remain."""
    provider_id = _text(payload.get("messageId"))
    if not provider_id:
        raise BadEvent(f"{status} event without messageId")
    if status != "failed":
        message = record_delivery_status(CHANNEL, provider_id, status)
        return {"ok": True, "message": message.id if message else None}
    message = db.session.scalar(
        select(Message).where(
            Message.channel == CHANNEL,
            Message.provider_id == provider_id,
            Message.direction == "out",
        )
    )
    if message is None or message.status != "sent":  # unknown, settled, or a repeated report
        return {"ok": True, "message": message.id if message else None}
    reason = _text(payload.get("reason")) or "failed"
    note_failure(channel.id, "android-failed", reason, counts_down=True)
    requeue_failed_send(message, "android-failed", reason)
    return {"ok": True, "message": message.id, "status": message.status}


def _ping_detail(health: dict) -> dict:
    checks = health.get("checks") if isinstance(health.get("checks"), dict) else {}

    def observed(name):
        check = checks.get(name)
        return check.get("observedValue") if isinstance(check, dict) else None

    return {
        "battery": observed("battery:level"),
        "failed_last_hour": observed("messages:failed"),
        "version": _text(health.get("version")),
    }


def _text(value) -> str | None:
    return value.strip()[:64] or None if isinstance(value, str) else None


def _when(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else None


# -- Sending ------------------------------------------------------------------------------


class _TimeoutSession(requests.Session):
    """A session whose requests time out (the client library sets no timeout itself)."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


class AndroidSender:
    """Sends through the app's API: `POST {base_url}/messages` (local server on the phone,
    e.g. http://192.168.1.20:8080, or https://api.sms-gate.app/3rdparty/v1)."""

    channel = CHANNEL

    def __init__(
        self,
        *,
        base_url: str,
        login: str | None,
        password: str,
        sim_number: int | None = None,
        device_id: str | None = None,
        timeout: float = 10,
        message_key: str | None = None,
    ):
        self.base_url, self.login, self.password = base_url.rstrip("/"), login, password
        self.sim_number, self.device_id, self.timeout = sim_number, device_id, timeout
        self.message_key = message_key  # our id for the message: the app refuses a repeat

    @classmethod
    def from_channel(
        cls, channel: SmsChannel, config: Mapping, message_key: str | None = None
    ) -> AndroidSender:
        settings = channel.settings or {}
        password = secret(settings, "password", config)
        if not settings.get("base_url") or not password:
            raise ConfigurationError(
                f"Android channel {channel.name!r} needs base_url and the variable named by "
                "password_env."
            )
        return cls(
            base_url=settings["base_url"],
            login=settings.get("login"),
            password=password,
            sim_number=settings.get("sim_number"),
            device_id=settings.get("device_id"),
            timeout=float(config.get("ANDROID_TIMEOUT_SECONDS") or 10),
            message_key=message_key,
        )

    def send(self, phone: str, body: str) -> str | None:
        message = GatewayMessage(
            phone_numbers=[phone],
            text_message=TextMessage(text=body),
            sim_number=self.sim_number,
            device_id=self.device_id,
            with_delivery_report=True,
            id=self.message_key,
        )
        try:
            with _send_errors(), _TimeoutSession(self.timeout) as session:
                client = APIClient(
                    self.login,
                    self.password,
                    base_url=self.base_url,
                    http=RequestsHttpClient(session),
                )
                state = client.send(message)
        except SendError as e:
            if e.code == "http-409" and self.message_key:
                log.warning("the phone already has message %s; not sent again", self.message_key)
                return self.message_key
            raise
        if state.state == ProcessState.Failed:
            errors = [r.error for r in state.recipients if r.error]
            raise SendError(
                "; ".join(errors) or "the phone refused the message",
                code="android-failed",
                transient=True,
            )
        return state.id


@contextmanager
def _send_errors():
    """The client's and the network's exceptions as SendError (transient or permanent)."""
    try:
        yield
    except APIError as e:
        status = e.status_code or 0
        # 400: this message or number is wrong. 401/403: the channel's credentials are
        # wrong, which another channel can get around; 429/5xx: the phone or server is busy.
        raise SendError(
            f"HTTP {status}: {e}", code=f"http-{status}", transient=status != 400
        ) from e
    except requests.Timeout as e:
        raise SendError(f"no answer from the phone: {e}", code="timeout", transient=True) from e
    except requests.RequestException as e:
        raise SendError(f"network error: {e}", code="network", transient=True) from e
    except (KeyError, ValueError) as e:  # an answer the client could not read
        raise SendError(f"unexpected answer: {e!r}", code="android-answer", transient=True) from e
