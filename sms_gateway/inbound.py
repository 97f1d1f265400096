"""Every channel's first step: a received text stored raw, once, for the worker.

A channel's webhook (Twilio, the Android phone gateway) or import (a GSM modem's files,
Twilio's log after an outage) verifies its provider's request, turns it into an
`InboundSms` and calls `store`; then it answers at once. Understanding the text, acting on
it and queueing the reply is the worker's job (sms_gateway.pipeline): a provider never waits
for it, and a text that cannot be processed now is still kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import text

from nghedan.extensions import db
from nghedan.phones import to_e164
from nghedan.services.sms.inbox import store_inbound

PROVIDER_ID_LENGTH, NUMBER_LENGTH = 64, 32  # Message.provider_id, Message.service_number
# PostgreSQL's notification channel the worker listens on (sms_gateway.worker).
NOTIFY_CHANNEL = "nghedan_inbound"


@dataclass(frozen=True)
class InboundSms:
    """One text as any channel received it, before we know what it means."""

    channel: str  # "twilio", "android", "gammu"
    sender: str  # as the provider gave it: a phone number, or an alphanumeric sender id
    body: str
    provider_id: str | None = None  # the provider's message id; repeats are stored once
    recipient: str | None = None  # the number it was sent to (tells which commune)


def store(
    sms: InboundSms, *, sms_channel_id: int | None = None, flag_reason: str | None = None
) -> int | None:
    """Store the text for the worker; its id, or None for a repeated delivery.

    In the caller's transaction. On PostgreSQL the worker is woken when it commits (a
    NOTIFY is delivered at commit, never for a rolled-back text).
    """
    sms = _storable(sms)
    message_id = store_inbound(
        channel=sms.channel,
        provider_id=sms.provider_id,
        phone=to_e164(sms.sender) or sms.sender[:NUMBER_LENGTH],
        service_number=to_e164(sms.recipient) or sms.recipient,
        body=sms.body,
        sms_channel_id=sms_channel_id,
        flag_reason=flag_reason,
    )
    if message_id is not None and flag_reason is None:
        wake_worker()
    return message_id


def wake_worker() -> None:
    """Tell a listening worker there is a text (PostgreSQL; on SQLite the worker polls)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_NOTIFY)


_NOTIFY = text(f"NOTIFY {NOTIFY_CHANNEL}")


def _storable(sms: InboundSms) -> InboundSms:
    """The text as the database can hold it, whatever a provider sent: no NUL characters
    (PostgreSQL refuses them, and no phone sends one), the provider id and our number cut
    to their columns. Found by fuzzing the webhook (tests/ops/test_fuzz_sms.py)."""

    def clean(value: str | None, limit: int | None = None) -> str | None:
        return (value or "").replace("\x00", "")[:limit] or None

    return replace(
        sms,
        sender=clean(sms.sender) or "",
        body=clean(sms.body) or "",
        provider_id=clean(sms.provider_id, PROVIDER_ID_LENGTH),
        recipient=clean(sms.recipient, NUMBER_LENGTH),
    )
