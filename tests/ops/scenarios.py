"""Fault scenarios against the production stack, sized by their caller: the CI tests in
tests/ops/test_faults.py run them small, bench/reliability.py full size.

Each runs an inbound burst (signed webhooks from `Provider`, retried after a 5xx or a broken
connection) and an outbound stream (a process queueing SMS while the outbox worker sends),
injects its fault in the middle, and returns what `tally` counts afterwards.
"""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tests.ops.enqueue import outbound
from tests.ops.stack import Delivery, Stack, get, outbox_worker, sms_form, wait_until


@dataclass
class Load:
    texts: int = 200  # inbound webhooks, each a distinct text from its own phone
    outbound: int = 100  # SMS queued by a separate process during the burst
    concurrency: int = 8
    pace: float = 0.0  # seconds between the provider's deliveries (stretches the burst)


def texts(count: int, series: int) -> list[Delivery]:
    """Distinct opinions, each from its own phone (no join window, no flood guard)."""
    return [
        Delivery(
            sms_form(
                f"Đèn đường ấp Tân Phú số {n} (đợt {series}) bị hỏng, xin xã sửa giúp.",
                sender=f"+8491{series:01d}{n:06d}",
            )
        )
        for n in range(count)
    ]


def tally(
    stack: Stack,
    deliveries: list[Delivery],
    series: int,
    outbound_count: int,
    *,
    drain_seconds: float = 120,
) -> dict:
    """Inbound: every accepted webhook stored exactly once. Outbound: wait until every queued
    message has left, then count the sends of each at the fake API."""
    stored = stack.db.inbound_counts()
    expected = {outbound(series, n) for n in range(outbound_count)}

    def all_sent() -> bool:  # at the API, and recorded (a dead worker's rows come back later)
        counts = stack.fake.sent_counts()
        return all(counts[pair] >= 1 for pair in expected) and all(
            status in ("sent", "delivered")
            for phone, body, status in stack.db.outgoing()
            if (phone, body) in expected
        )

    wait_until(all_sent, drain_seconds)
    sends = stack.fake.sent_counts()
    statuses = [status for phone, body, status in stack.db.outgoing() if (phone, body) in expected]
    return {
        "webhooks": len(deliveries),
        "webhook_attempts": sum(len(d.statuses) for d in deliveries),
        "webhooks_answered_5xx_or_cut_then_retried": sum(
            1 for d in deliveries if any(not 200 <= s < 300 for s in d.statuses)
        ),
        "webhooks_accepted": sum(1 for d in deliveries if d.accepted),
        "accepted_stored_once": sum(1 for d in deliveries if d.accepted and stored[d.sid] == 1),
        "stored_more_than_once": sum(1 for d in deliveries if stored[d.sid] > 1),
        "inbound_lost": sum(1 for d in deliveries if stored[d.sid] == 0),
        "outbound_queued": len(expected),
        "outbound_sent_once": sum(1 for pair in expected if sends[pair] == 1),
        "outbound_sent_twice_or_more": sum(1 for pair in expected if sends[pair] > 1),
        "outbound_never_sent": sum(1 for pair in expected if sends[pair] == 0),
        "outbound_rows_not_sent": sum(1 for s in statuses if s not in ("sent", "delivered")),
        "api_refusals": sum(1 for r in stack.fake.received if not r.sid),
        "api_lookups_before_resending": stack.fake.lookups,
    }


def no_loss(result: dict) -> bool:
    """The invariants every scenario must keep."""
    return (
        result["inbound_lost"] == 0
        and result["stored_more_than_once"] == 0
        and result["accepted_stored_once"] == result["webhooks_accepted"]
        and result["outbound_sent_once"] == result["outbound_queued"]
        and result["outbound_sent_twice_or_more"] == 0
        and result["outbound_rows_not_sent"] == 0
    )


class Burst:
    """The inbound burst and the outbound stream, running in the background."""

    def __init__(self, stack: Stack, load: Load, series: int):
        self.stack, self.load, self.series = stack, load, series
        self.deliveries = texts(load.texts, series)
        self.pool = ThreadPoolExecutor(1)
        self.provider = stack.provider
        self.provider.concurrency = load.concurrency
        self.future = None
        self.enqueue = None

    def __enter__(self) -> Burst:
        for delivery in self.deliveries:  # Twilio has each text before it calls the webhook
            self.stack.fake.log_inbound(delivery.form)
        self.enqueue = self.stack.enqueue(self.load.outbound, self.series, per_commit=5, pause=0.05)
        self.started = time.monotonic()
        self.future = self.pool.submit(self.provider.burst, self.deliveries, pace=self.load.pace)
        self.future.add_done_callback(lambda _: setattr(self, "ended", time.monotonic()))
        return self

    def stored(self) -> int:
        counts = self.stack.db.inbound_counts()
        return sum(1 for d in self.deliveries if counts[d.sid])

    def __exit__(self, *exc) -> None:
        self.future.result()
        self.seconds = self.ended - self.started
        self.pool.shutdown()
        self.enqueue.popen.wait(timeout=300)
        # What Twilio gave up on (an outage past its 15 s of retries) is read from its log.
        self.given_up = sum(1 for d in self.deliveries if not d.accepted)
        self.stored_before_catch_up = self.stored()
        self.catch_up_output = self.stack.catch_up().strip()

    def result(self, **tally_options) -> dict:
        timing = {
            "burst_seconds": round(self.seconds, 1),
            "webhooks_per_second": round(len(self.deliveries) / self.seconds, 1),
            "webhooks_given_up_by_provider": self.given_up,
            "stored_before_catch_up": self.stored_before_catch_up,
            "catch_up": self.catch_up_output,
        }
        return (
            tally(self.stack, self.deliveries, self.series, self.load.outbound, **tally_options)
            | timing
        )


def kill_workers(stack: Stack, load: Load, *, web_kills: int = 2) -> dict:
    """kill -9 the outbox worker right after Twilio accepted a message (before the worker can
    record that) and start it again, as systemd does (Restart=always); then kill -9 gunicorn
    workers in the middle of the burst (the master starts new ones)."""
    extra = {}
    with Burst(stack, load, series=1) as burst:
        wait_until(lambda: len(stack.fake.received) > 5, 120, interval=0.002)
        stack.outbox[0].kill9()
        extra["outbox_killed_after_sends"] = len(stack.fake.received)
        time.sleep(1)
        stack.outbox.append(outbox_worker(stack.env, stack.log_dir, "outbox-restarted").start())
        for k in range(web_kills):
            wait_until(
                lambda k=k: burst.stored() >= load.texts * (k + 1) // (web_kills + 2),
                120,
                interval=0.02,
            )
            wait_until(lambda: len(stack.gunicorn.worker_pids()) == stack.gunicorn.workers, 30)
            os.kill(stack.gunicorn.worker_pids()[0], signal.SIGKILL)
    wait_until(lambda: len(stack.gunicorn.worker_pids()) == stack.gunicorn.workers, 30)
    extra["gunicorn_workers_after"] = len(stack.gunicorn.worker_pids())
    extra["gunicorn_master_running"] = stack.gunicorn.running
    return burst.result() | extra


def database_outage(stack: Stack, cluster, load: Load, *, seconds: float = 30) -> dict:
    """Stop PostgreSQL for `seconds` in the middle of the burst, then start it again. The
    burst is paced to outlast the outage by 15 s, so texts keep arriving while it lasts."""
    if not load.pace:
        load = Load(load.texts, load.outbound, load.concurrency, pace=(seconds + 15) / load.texts)
    extra = {}
    with Burst(stack, load, series=2) as burst:
        # The SMS are queued before the outage (a queueing that fails is an error its caller
        # sees, not a lost message); the outbox worker is still sending them when it starts.
        burst.enqueue.popen.wait(timeout=120)
        wait_until(lambda: burst.stored() >= load.texts // 4, 120, interval=0.02)
        extra["outbound_sent_before_outage"] = len(stack.fake.accepted())
        cluster.stop_server()
        down_at = time.monotonic()
        probe = Delivery(sms_form("Tin nhắn lúc mất cơ sở dữ liệu", sender="+84919999999"))
        extra["webhook_status_while_down"] = stack.provider.post_once(probe)
        extra["healthz_while_down"] = get(stack.gunicorn.port, "/healthz")[0]
        time.sleep(max(0.0, seconds - (time.monotonic() - down_at)))
        cluster.start_server()
        extra["outage_seconds"] = round(time.monotonic() - down_at, 1)
        burst.deliveries.append(stack.provider.deliver(probe))
    extra["healthz_after"] = get(stack.gunicorn.port, "/healthz")[0]
    extra["outbox_workers_survived"] = all(w.running for w in stack.outbox)
    extra["gunicorn_master_running"] = stack.gunicorn.running
    return burst.result() | extra


def sms_api_outage(stack: Stack, load: Load, *, seconds: float = 60) -> dict:
    """Every send to the SMS API answers 500 for `seconds`, while texts arrive and SMS are
    queued; afterwards the outbox must send each queued message exactly once."""
    stack.fake.failing.set()
    started = time.monotonic()
    with Burst(stack, load, series=3) as burst:
        pass  # leaving waits for the burst and for the queueing process
    time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    extra = {
        "api_refusals_during_outage": sum(1 for r in stack.fake.received if not r.sid),
        "api_accepted_during_outage": len(stack.fake.accepted()),
    }
    stack.fake.failing.clear()
    extra["outage_seconds"] = round(time.monotonic() - started, 1)
    return burst.result() | extra


def sms_api_unanswered(stack: Stack, load: Load, *, mode: str, seconds: float = 20) -> dict:
    """For `seconds`, the SMS API accepts every send but its answer is lost: it never comes
    (`accept-hang`, the client times out) or the connection drops (`accept-drop`). Each
    such message must be found at the API on the retry and adopted, never sent again."""
    stack.fake.unanswered = mode
    started = time.monotonic()
    with Burst(stack, load, series=5 if mode == "accept-hang" else 6) as burst:
        pass
    time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    stack.fake.unanswered = None
    extra = {
        "api_accepted_unanswered": len(stack.fake.accepted()),
        "fault_seconds": round(time.monotonic() - started, 1),
    }
    # Replies to the burst's texts go through the API too (the worker answers through the
    # outbox): lookups are counted once every outgoing message, replies included, has left.
    wait_until(lambda: all(s in ("sent", "delivered") for *_, s in stack.db.outgoing()), 120)
    return burst.result() | extra


def summary(name: str, result: dict) -> dict:
    return {"scenario": name, "no_loss": no_loss(result), **result}
