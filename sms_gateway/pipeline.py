"""The inbound pipeline's second half, run by the worker: stored texts become items,
ratings, look-ups and opt-outs, and every reply is queued in the outbox.

Each text is claimed (sms.inbox.claim_received: oldest first, one per phone at a time, so a
phone's texts are acted on in order), then resolved in one transaction that checks the claim
is still its own, acts, marks the text processed and queues its reply: the effects and the
"done" mark commit together, so a text is acted on exactly once, also when a worker dies
mid-way (its claim expires and another worker takes the text again). A text whose
processing raises is tried again after a backoff, a few times, then flagged for officials
and left unanswered: never lost, never blocking its phone's later texts for long.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from nghedan.database import unit_of_work
from nghedan.models import Message, utcnow
from nghedan.phones import to_e164
from nghedan.services.sms.commune_lookup import commune_id_for_sms_number
from nghedan.services.sms.contacts import is_opted_out
from nghedan.services.sms.inbox import (
    claim_received,
    claimed_message,
    flag_message,
    record_reply,
    retry_later,
    sender_state,
)
from nghedan.services.sms.outbox import OPT_OUT_ACK, queue_sms
from sms_gateway import parser, zalo_inbound
from sms_gateway.actions import N_, act
from sms_gateway.routing import via

log = logging.getLogger(__name__)

NOT_A_PHONE = N_("người gửi không phải số điện thoại")
UNKNOWN_NUMBER = N_("không rõ tin nhắn gửi đến số của xã nào")
FLOOD = N_("quá nhiều tin nhắn từ một số trong thời gian ngắn")
PROCESSING_ERROR = N_("lỗi khi xử lý tin nhắn")


@dataclass(frozen=True)
class InboundSettings:
    batch_size: int = 50
    max_attempts: int = 3
    backoff_base: float = 5.0  # seconds before the second attempt; doubles, with jitter
    lease: timedelta = timedelta(seconds=60)  # a dead worker's claimed texts are due after it

    @classmethod
    def from_config(cls, config: Mapping) -> InboundSettings:
        return cls(
            batch_size=int(config.get("INBOUND_BATCH_SIZE", cls.batch_size)),
            max_attempts=int(config.get("INBOUND_MAX_ATTEMPTS", cls.max_attempts)),
            backoff_base=float(config.get("INBOUND_BACKOFF_BASE_SECONDS", cls.backoff_base)),
            lease=timedelta(seconds=float(config.get("INBOUND_LEASE_SECONDS", 60))),
        )

    def backoff(self, attempts: int) -> timedelta:
        delay = self.backoff_base * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=random.uniform(delay / 2, delay))


@dataclass
class InboundReport:
    processed: int = 0
    replied: int = 0
    retried: int = 0
    flagged: int = 0
    ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"processed {self.processed} (replies queued {self.replied}), "
            f"to retry {self.retried}, flagged after failing {self.flagged}"
        )


def process_inbound(
    limit: int | None = None,
    *,
    now: datetime | None = None,
    settings: InboundSettings | None = None,
    on_reply: Callable[[], None] | None = None,
) -> InboundReport:
    """Resolve the texts waiting now, until none is due (or `limit` were claimed); what
    happened to them. Safe to run in several workers at once. `on_reply` is called after
    each text whose reply was committed to the outbox (the worker wakes its sender)."""
    settings = settings or InboundSettings.from_config(current_app.config)
    report = InboundReport()
    while limit is None or len(report.ids) < limit:
        batch = settings.batch_size if limit is None else min(settings.batch_size, limit)
        moment = now or utcnow()
        with unit_of_work():
            claimed = claim_received(batch, settings.lease, now=moment)
            links = zalo_inbound.picture_links([message_id for message_id, _ in claimed])
        if not claimed:
            break
        for message_id, attempt in claimed:
            report.ids.append(message_id)
            replied = report.replied
            _process(message_id, attempt, report, settings, now, links.get(message_id, ()))
            if on_reply is not None and report.replied > replied:
                on_reply()
    return report


def _process(
    message_id: int,
    attempt: int,
    report: InboundReport,
    settings: InboundSettings,
    now: datetime | None,
    links: tuple[str, ...] = (),
) -> None:
    try:
        # Pictures sent on Zalo are fetched first, outside the transaction: a slow server
        # never holds the database (nor, on SQLite, the webhooks waiting to write).
        pictures = zalo_inbound.fetch_pictures(links) if links else ()
        with unit_of_work():
            message = claimed_message(message_id, attempt)
            if message is None:  # resolved or taken again meanwhile: not ours any more
                return
            if resolve(message, pictures):
                report.replied += 1
        report.processed += 1
    except Exception as e:  # the text is kept either way; after the last try, officials see it
        log.exception("inbound SMS %s could not be processed (attempt %s)", message_id, attempt)
        _after_failure(message_id, attempt, settings, now, repr(e), report)


def _after_failure(
    message_id: int,
    attempt: int,
    settings: InboundSettings,
    now: datetime | None,
    error: str,
    report: InboundReport,
) -> None:
    with unit_of_work():
        message = claimed_message(message_id, attempt)
        if message is None:
            return
        if attempt >= settings.max_attempts:
            flag_message(message, PROCESSING_ERROR)
            message.error_message = error
            report.flagged += 1
        else:
            retry_later(message, (now or utcnow()) + settings.backoff(attempt), error)
            report.retried += 1


def resolve(message: Message, pictures=()) -> bool:
    """Act on one stored text in the caller's transaction (with the pictures a Zalo image
    event's links gave, fetched before); whether a reply was queued."""
    if message.channel == zalo_inbound.CHANNEL:  # a Zalo event: its commune is its OA's
        reply = zalo_inbound.resolve(message, _act_on_zalo_text, pictures)
        record_reply(message, reply, item_id=message.item_id)
        return reply is not None and queue_reply(message, reply) is not None
    phone = to_e164(message.phone)
    if phone is None:  # alphanumeric and short-code senders: answering starts loops
        return _unanswered(message, NOT_A_PHONE)
    commune_id = commune_id_for_sms_number(message.service_number)
    if commune_id is None:
        return _unanswered(message, UNKNOWN_NUMBER)
    message.commune_id = commune_id
    return _act_on_text(message, phone, commune_id)


def _act_on_zalo_text(message: Message, *, opinion: bool = False) -> str | None:
    """A Zalo text acted on as an SMS from the resident's address (their phone once shared,
    else `zalo:<n>`), in their OA's commune, its items and ratings on channel "zalo";
    `opinion`: read as an opinion whatever it says (a picture's caption)."""
    if message.commune_id is None:
        _unanswered(message, UNKNOWN_NUMBER)
        return None
    _act_on_text(
        message,
        message.phone,
        message.commune_id,
        queue=False,
        channel=zalo_inbound.CHANNEL,
        opinion=opinion,
    )
    return message.reply_body


def _act_on_text(
    message: Message,
    phone: str,
    commune_id: int,
    *,
    queue: bool = True,
    channel: str = "sms",
    opinion: bool = False,
) -> bool:
    config = current_app.config
    sent = message.created_at
    sender = sender_state(
        phone,
        commune_id,
        message_id=message.id,
        flood_since=sent - timedelta(seconds=int(config["SMS_FLOOD_WINDOW_SECONDS"])),
        join_since=sent - timedelta(seconds=int(config["SMS_JOIN_WINDOW_SECONDS"])),
        channel=channel,
    )
    if sender.recent_texts >= int(config["SMS_FLOOD_LIMIT"]):
        return _unanswered(message, FLOOD)
    # never raises (tests/sms_gateway/test_parser.py)
    command = parser.opinion(parser.Text(message.body)) if opinion else parser.parse(message.body)
    outcome = act(command, phone, commune_id, sender)
    record_reply(message, outcome.reply, item_id=outcome.item_id)
    if not queue:
        return False
    return outcome.reply is not None and queue_reply(message, outcome.reply) is not None


def queue_reply(message: Message, reply: str) -> Message | None:
    """Queue the answer to a text, through the channel it came in on when it came through a
    configured one (a reply comes from the number the resident texted)."""
    # An opted-out phone is answered only when this text was its HUY / STOP.
    opted_out = is_opted_out(message.phone)
    channel = via(message.sms_channel_id) if message.sms_channel_id is not None else "auto"
    return queue_sms(
        message.phone,
        reply,
        kind=OPT_OUT_ACK if opted_out else "reply",
        commune_id=message.commune_id,
        item_id=message.item_id,
        channel=channel,
        opted_out=opted_out,
    )


def _unanswered(message: Message, reason: str) -> bool:
    log.info("inbound SMS %s stored without answer: %s", message.id, reason)
    flag_message(message, reason)
    return False
