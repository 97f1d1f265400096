"""The outbox worker: sends queued SMS through the configured sender, one claim at a time.

Each message is claimed (so no other worker takes it), sent with no database transaction
open, and its outcome recorded: sent; back in the queue after a transient failure, with
exponential backoff and jitter, until the attempts run out; failed at once on a permanent
one; skipped when the phone has opted out. Notices wait through the quiet hours; direct
replies to a resident do not. Sends are paced to the configured rate.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time

from sqlalchemy.exc import DBAPIError

from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import Message, utcnow
from nghedan.services.sms.contacts import is_opted_out, set_opt_out
from nghedan.services.sms.outbox import (
    OPT_OUT_ACK,
    UNCONFIRMED,
    claim_due,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_skipped,
)
from sms_gateway.senders import Sender, SendError

log = logging.getLogger(__name__)
# How far the provider's clock may be behind ours when looking for an earlier send.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class QuietHours:
    """Local hours without notices, e.g. 21:00–07:00 (may wrap past midnight)."""

    start: clock_time
    end: clock_time

    @classmethod
    def parse(cls, spec: str | None) -> QuietHours | None:
        """`"21:00-07:00"` → QuietHours; empty → None (no quiet hours)."""
        if not spec or not str(spec).strip():
            return None
        try:
            start, end = (clock_time.fromisoformat(part.strip()) for part in str(spec).split("-"))
        except ValueError as e:
            raise ValueError(f"SMS_QUIET_HOURS must look like 21:00-07:00, not {spec!r}") from e
        return cls(start, end)

    def covers(self, moment: datetime) -> bool:
        now = local(moment).time()
        if self.start <= self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end


@dataclass(frozen=True)
class WorkerSettings:
    batch_size: int = 20
    max_attempts: int = 6
    backoff_base: float = 30.0
    backoff_max: float = 3600.0
    rate_per_second: float = 1.0
    send_timeout: float = 10.0
    quiet_hours: QuietHours | None = None
    quiet_exempt_kinds: Collection[str] = ("reply", "receipt")
    claim_min: float = 120.0

    @classmethod
    def from_config(cls, config: Mapping) -> WorkerSettings:
        return cls(
            batch_size=int(config["OUTBOX_BATCH_SIZE"]),
            max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]),
            backoff_base=float(config["OUTBOX_BACKOFF_BASE_SECONDS"]),
            backoff_max=float(config["OUTBOX_BACKOFF_MAX_SECONDS"]),
            rate_per_second=float(config["OUTBOX_SEND_RATE_PER_SECOND"]),
            send_timeout=float(config.get("TWILIO_TIMEOUT_SECONDS") or 10),
            quiet_hours=QuietHours.parse(config.get("SMS_QUIET_HOURS")),
            quiet_exempt_kinds=_kinds(config.get("SMS_QUIET_EXEMPT_KINDS")),
            claim_min=float(config.get("OUTBOX_CLAIM_MIN_SECONDS") or 120),
        )

    def lease(self, batch: int) -> timedelta:
        """How long a claim lasts: longer than sending the whole batch can take."""
        per_message = self.send_timeout + 1 / self.rate_per_second
        margin = min(60.0, self.claim_min / 2)
        return timedelta(seconds=max(self.claim_min, batch * per_message + margin))

    def backoff(self, attempts: int, rng: random.Random) -> timedelta:
        """Exponential in the attempts made, capped, with jitter (half to full delay)."""
        delay = min(self.backoff_max, self.backoff_base * 2 ** max(attempts - 1, 0))
        return timedelta(seconds=rng.uniform(delay / 2, delay))


def _kinds(value) -> tuple[str, ...]:
    """A list setting that may come from the environment as `reply,receipt`."""
    if isinstance(value, str):
        value = value.split(",")
    return tuple(kind.strip() for kind in value or () if kind.strip())


@dataclass
class BatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    ids: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return len(self.ids)

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, retried later {self.retried}, failed {self.failed}, "
            f"skipped {self.skipped}"
        )


class Pacer:
    """At most `rate` sends a second in this process."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = 1 / rate if rate > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


class OutboxWorker:
    def __init__(
        self,
        sender: Sender,
        settings: WorkerSettings,
        *,
        pacer: Pacer | None = None,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = utcnow,
    ):
        self.sender, self.settings = sender, settings
        self.pacer = pacer or Pacer(settings.rate_per_second)
        self.rng = rng or random.Random()
        self.now = now

    def run_once(self, limit: int | None = None) -> BatchReport:
        """Claim one batch of due messages and send each; what happened to them."""
        batch = limit or self.settings.batch_size
        moment = self.now()
        quiet = self.settings.quiet_hours
        only = self.settings.quiet_exempt_kinds if quiet and quiet.covers(moment) else None
        with unit_of_work():
            ids = claim_due(batch, self.settings.lease(batch), only_kinds=only, now=moment)
        report = BatchReport(ids=ids)
        for message_id in ids:
            self._deliver(message_id, report)
        return report

    def run(
        self,
        stop: threading.Event,
        *,
        poll_seconds: float,
        limit: int | None = None,
        wake: threading.Event | None = None,
    ) -> None:
        """Work until `stop` is set, waiting `poll_seconds` whenever the queue is empty, or
        less when `wake` is set (the inbound pipeline queued a reply; set it on stop too)."""
        wake = wake or stop
        while not stop.is_set():
            try:
                report = self.run_once(limit)
            except DBAPIError as e:  # the database is away (restart, failover): wait it out
                log.warning(
                    "outbox: database unavailable, trying again: %s", str(e).splitlines()[0]
                )
                stop.wait(poll_seconds)
                continue
            if report.claimed:
                log.info("outbox: %s", report)
            else:
                _idle(wake, stop, poll_seconds)

    def _deliver(self, message_id: int, report: BatchReport) -> None:
        with unit_of_work():
            message = db.session.get(Message, message_id)
            if message is None or message.status != "sending":
                return  # removed (retention purge) or settled meanwhile
            if message.kind != OPT_OUT_ACK and is_opted_out(message.phone):
                mark_skipped(message, "người nhận đã từ chối nhận tin (HUY/STOP)")
                report.skipped += 1
                return
            phone, body, since = message.phone, message.body, message.created_at
            unconfirmed = message.error_code == UNCONFIRMED
            sender = self._sender_for(message)
        self.pacer.wait()
        try:
            provider_id = self._earlier_send(sender, phone, body, since) if unconfirmed else None
            if provider_id is None:
                provider_id = sender.send(phone, body)
        except SendError as e:
            self._record_failure(message_id, e, report)
            return
        except Exception as e:  # a bug or an unforeseen library error: retry, don't die
            log.exception("outbox: sending message %s raised", message_id)
            self._record_failure(
                message_id,
                SendError(repr(e), code="error", transient=True, maybe_accepted=True),
                report,
            )
            return
        with unit_of_work():
            mark_sent(
                db.session.get(Message, message_id), channel=sender.channel, provider_id=provider_id
            )
        report.sent += 1

    def _sender_for(self, message: Message) -> Sender:
        """The sender of this message: a router picks one per message (commune, carrier)."""
        for_message = getattr(self.sender, "for_message", None)
        return for_message(message) if for_message else self.sender

    def _earlier_send(self, sender: Sender, phone: str, body: str, since: datetime) -> str | None:
        """The provider's id when an earlier attempt was accepted after all; None to send.

        Asked only when that attempt's outcome is unknown (its worker died before recording
        the answer, or the provider never answered); a sender that cannot tell (no
        `find_sent`) sends again. A failed question keeps the mark, so the
        next attempt asks again instead of sending blind.
        """
        find_sent = getattr(sender, "find_sent", None)
        if find_sent is None:
            return None
        try:
            provider_id = find_sent(phone, body, since - CLOCK_SKEW)
        except SendError as e:
            raise SendError(
                f"could not check an earlier attempt: {e.message}", code=UNCONFIRMED, transient=True
            ) from e
        if provider_id:
            log.warning(
                "outbox: an earlier attempt was accepted as %s; not sent again", provider_id
            )
        return provider_id

    def _record_failure(self, message_id: int, error: SendError, report: BatchReport) -> None:
        with unit_of_work():
            message = db.session.get(Message, message_id)
            code, text = _recorded(error)
            if error.transient and message.attempts < self.settings.max_attempts:
                retry_at = self.now() + self.settings.backoff(message.attempts, self.rng)
                mark_retry(message, next_attempt_at=retry_at, error_code=code, error_message=text)
                report.retried += 1
            else:
                mark_failed(message, error_code=code, error_message=text)
                report.failed += 1
            if error.opted_out:  # e.g. STOP sent to the provider: nothing more to this phone
                set_opt_out(message.phone, True)
        log.warning(
            "outbox: message %s not sent (%s, %s): %s",
            message_id,
            error.code,
            "transient" if error.transient else "permanent",
            error.message,
        )


def _recorded(error: SendError) -> tuple[str, str]:
    """The error code and text kept on the message. A send that may have been accepted (no
    answer, the connection cut) is kept UNCONFIRMED, so the next attempt asks the provider
    before sending again, as after a worker's crash."""
    if error.maybe_accepted and error.code != UNCONFIRMED:
        return UNCONFIRMED, f"{error.code}: {error.message}"
    return error.code, error.message


def _idle(wake: threading.Event, stop: threading.Event, seconds: float) -> None:
    wake.wait(seconds)
    if wake is not stop:
        wake.clear()
