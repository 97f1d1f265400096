"""SMS channels' bookkeeping and health: pings, inbound texts, sends and failed sends.

A channel is *down* when its last sends failed one after another (the router then prefers
another channel for a while) or when a channel that pings (the Android app) has been silent
too long. Failed sends are kept one row each, so "failed in the last hour" is a count.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from nghedan.extensions import db
from nghedan.models import SmsChannel, SmsChannelFailure, utcnow
from nghedan.phones import to_e164

# Vietnamese mobile prefixes (after the leading 0) by the carrier that issued them. Numbers
# moved between carriers keep their prefix, so this is a good guess, not a certainty.
CARRIER_PREFIXES = {
    "viettel": ("86", "96", "97", "98", "32", "33", "34", "35", "36", "37", "38", "39"),
    "vinaphone": ("88", "91", "94", "81", "82", "83", "84", "85"),
    "mobifone": ("89", "90", "93", "70", "76", "77", "78", "79"),
    "vietnamobile": ("92", "56", "58"),
    "gmobile": ("99", "59"),
}
_CARRIER_BY_PREFIX = {p: c for c, prefixes in CARRIER_PREFIXES.items() for p in prefixes}
FAILURES_KEPT = timedelta(days=2)


def carrier_of(phone: str | None) -> str | None:
    """The carrier a Vietnamese mobile number's prefix belongs to (None: unknown or foreign)."""
    e164 = to_e164(phone) if phone else None
    if not e164 or not e164.startswith("+84") or len(e164) != 12:
        return None
    return _CARRIER_BY_PREFIX.get(e164[3:5])


def secret(channel_settings: Mapping, key: str, config: Mapping | None = None) -> str | None:
    """A channel's secret, read from the setting or environment variable its `<key>_env`
    names (the database never holds the secret itself)."""
    name = channel_settings.get(f"{key}_env")
    if not name:
        return None
    config = current_app.config if config is None else config
    return config.get(name) or os.environ.get(name) or None


def channel_of(channel_id: int) -> SmsChannel | None:
    return db.session.get(SmsChannel, channel_id)


def channel_by_name(name: str) -> SmsChannel | None:
    return db.session.scalar(select(SmsChannel).where(SmsChannel.name == name))


def active_channels(kind: str | None = None) -> list[SmsChannel]:
    query = select(SmsChannel).where(SmsChannel.active.is_(True)).order_by(SmsChannel.id)
    if kind:
        query = query.where(SmsChannel.kind == kind)
    return list(db.session.scalars(query))


def set_active(channel: SmsChannel, active: bool) -> None:
    """Use a channel again, or stop using it (the router skips it; its history stays)."""
    channel.active = active


def commune_id_for_number(number: str | None) -> int | None:
    """The commune of the channel whose SIM has this number (None when no channel has it)."""
    if not number:
        return None
    return db.session.scalar(
        select(SmsChannel.commune_id)
        .where(SmsChannel.phone_number == number, SmsChannel.commune_id.is_not(None))
        .limit(1)
    )


def service_number(channel: SmsChannel) -> str | None:
    """The number residents text to reach this channel: its SIM's, else its commune's."""
    if channel.phone_number:
        return channel.phone_number
    return channel.commune.sms_number if channel.commune is not None else None


def note_inbound(channel_id: int, at: datetime | None = None) -> None:
    db.session.execute(
        update(SmsChannel).where(SmsChannel.id == channel_id).values(last_inbound_at=at or utcnow())
    )


def note_ping(channel: SmsChannel, status: str | None, detail: dict | None) -> None:
    channel.last_ping_at = utcnow()
    channel.ping_status = (status or "")[:16] or None
    channel.ping_detail = detail


def note_sent(channel_id: int) -> None:
    """A send went through: the channel is up again."""
    db.session.execute(
        update(SmsChannel)
        .where(SmsChannel.id == channel_id)
        .values(last_sent_at=utcnow(), consecutive_failures=0)
    )


def note_failure(channel_id: int, code: str, detail: str | None, *, counts_down: bool) -> None:
    """A failed send; `counts_down` when it says the channel itself is in trouble (network,
    provider, SIM) rather than the one number it was sent to."""
    now = utcnow()
    db.session.add(
        SmsChannelFailure(
            channel_id=channel_id, at=now, code=code[:32], detail=(detail or "")[:500]
        )
    )
    values = {"last_failure_at": now}
    if counts_down:
        values["consecutive_failures"] = SmsChannel.consecutive_failures + 1
    db.session.execute(update(SmsChannel).where(SmsChannel.id == channel_id).values(**values))
    db.session.execute(
        delete(SmsChannelFailure).where(
            SmsChannelFailure.channel_id == channel_id, SmsChannelFailure.at < now - FAILURES_KEPT
        )
    )


def failures_since(since: datetime) -> dict[int, int]:
    """Failed sends per channel id since `since`."""
    return dict(
        db.session.execute(
            select(SmsChannelFailure.channel_id, func.count(SmsChannelFailure.id))
            .where(SmsChannelFailure.at >= since)
            .group_by(SmsChannelFailure.channel_id)
        ).all()
    )


def recent_failures(
    channel_ids: list[int], *, hours: int = 24, limit: int = 20
) -> list[SmsChannelFailure]:
    """The latest failed sends of these channels within the last `hours`, newest first."""
    if not channel_ids:
        return []
    return list(
        db.session.scalars(
            select(SmsChannelFailure)
            .where(
                SmsChannelFailure.channel_id.in_(channel_ids),
                SmsChannelFailure.at >= utcnow() - timedelta(hours=hours),
            )
            .order_by(SmsChannelFailure.at.desc())
            .limit(limit)
        )
    )


def down_reason(channel: SmsChannel, now: datetime, config: Mapping | None = None) -> str | None:
    """Why the router should avoid this channel now (None: it looks up)."""
    config = current_app.config if config is None else config
    limit = int(config["SMS_CHANNEL_DOWN_AFTER_FAILURES"])
    retry_after = timedelta(seconds=int(config["SMS_CHANNEL_RETRY_AFTER_SECONDS"]))
    if (
        limit
        and channel.consecutive_failures >= limit
        and channel.last_failure_at
        and now - channel.last_failure_at < retry_after
    ):
        return "failures"
    max_age = timedelta(seconds=int(config["SMS_CHANNEL_PING_MAX_AGE_SECONDS"]))
    if channel.last_ping_at is not None and now - channel.last_ping_at > max_age:
        return "no_ping"
    if channel.ping_status == "fail":
        return "ping_fail"
    return None


@dataclass(frozen=True)
class ChannelHealth:
    id: int
    name: str
    kind: str
    commune_id: int | None
    phone_number: str | None
    carrier: str | None
    active: bool
    state: str  # ok | down | inactive
    down_reason: str | None
    last_ping_at: datetime | None
    ping_status: str | None
    ping_detail: dict | None
    last_inbound_at: datetime | None
    last_sent_at: datetime | None
    failures_last_hour: int

    def as_json(self) -> dict:
        def iso(value):
            return value.isoformat() if value else None

        return {
            "name": self.name,
            "kind": self.kind,
            "carrier": self.carrier,
            "state": self.state,
            "down_reason": self.down_reason,
            "last_ping": iso(self.last_ping_at),
            "last_inbound": iso(self.last_inbound_at),
            "last_sent": iso(self.last_sent_at),
            "failed_sends_last_hour": self.failures_last_hour,
        }


def _last_twilio_inbound(number: str | None):
    """When Twilio's webhook last stored a text (to this number): its webhook does not touch
    the channel row, so the messages say."""
    from nghedan.models import Message

    query = select(func.max(Message.created_at)).where(
        Message.direction == "in", Message.channel == "twilio"
    )
    if number:
        query = query.where(Message.service_number == number)
    value = db.session.scalar(query)
    if value is not None and value.tzinfo is None:  # SQLite aggregates lose the type
        value = datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
    return value


def channels_health(commune_ids: list[int] | None = None) -> list[ChannelHealth]:
    """Every channel (of these communes, with the shared ones) and how it is doing."""
    now = utcnow()
    query = select(SmsChannel).order_by(SmsChannel.commune_id, SmsChannel.name)
    if commune_ids is not None:
        query = query.where(
            SmsChannel.commune_id.in_(commune_ids) | SmsChannel.commune_id.is_(None)
        )
    failed = failures_since(now - timedelta(hours=1))
    rows = []
    for channel in db.session.scalars(query):
        last_inbound = channel.last_inbound_at
        if channel.kind == "twilio" and last_inbound is None:
            last_inbound = _last_twilio_inbound(channel.phone_number)
        reason = down_reason(channel, now) if channel.active else None
        state = "inactive" if not channel.active else ("down" if reason else "ok")
        rows.append(
            ChannelHealth(
                id=channel.id,
                name=channel.name,
                kind=channel.kind,
                commune_id=channel.commune_id,
                phone_number=channel.phone_number,
                carrier=channel.carrier,
                active=channel.active,
                state=state,
                down_reason=reason,
                last_ping_at=channel.last_ping_at,
                ping_status=channel.ping_status,
                ping_detail=channel.ping_detail,
                last_inbound_at=last_inbound,
                last_sent_at=channel.last_sent_at,
                failures_last_hour=failed.get(channel.id, 0),
            )
        )
    return rows


def requeue_failed_send(message, code: str, reason: str) -> None:
    """A text the channel accepted but then could not send (no credit, no signal): back in
    the queue at once, so the router can try another channel, while attempts remain."""
    message.error_code, message.error_message = code[:16], reason
    if message.attempts >= int(current_app.config["OUTBOX_MAX_ATTEMPTS"]):
        message.status = "failed"
        return
    message.status = "queued"
    message.provider_id = None
    message.next_attempt_at = utcnow()


def zalo_token_states(channel_ids: list[int]) -> dict[int, dict]:
    """For each Zalo channel among these: when its access token expires and whether renewing
    it last failed (the tokens themselves are never read out)."""
    from nghedan.models import ZaloAccount

    if not channel_ids:
        return {}
    rows = db.session.execute(
        select(
            ZaloAccount.channel_id,
            ZaloAccount.access_expires_at,
            ZaloAccount.refresh_failed_at,
            ZaloAccount.refresh_error,
        ).where(ZaloAccount.channel_id.in_(channel_ids))
    )
    return {
        channel_id: {"expires_at": expires, "failed_at": failed, "error": error}
        for channel_id, expires, failed, error in rows
    }
