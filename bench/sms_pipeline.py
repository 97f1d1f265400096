"""End to end through the worker: signed webhook → stored → `nghedan worker` → outbox → a
fake Twilio API on loopback, with gunicorn (4 workers, deploy/gunicorn.conf.py) in front.

    .venv/bin/python -m bench.sms_pipeline                        # everything, both engines
    .venv/bin/python -m bench.sms_pipeline --only latency --minutes 5 --rate 50
    .venv/bin/python -m bench.sms_pipeline --only burst --skip-postgresql
    .venv/bin/python -m bench.sms_pipeline --skip-sqlite                  # PostgreSQL only

1. latency: texts at a steady `--rate` a second for `--minutes`, each a new opinion from its
   own phone; per text, the time from posting the webhook to the fake API receiving its
   reply (what a resident waits for, less the operator's network). Reported: p50, p95, p99
   and max, the webhook's own p95, and whether every text was answered exactly once.
2. burst: 5,000 distinct texts (10% ratings) plus 10% repeated deliveries (the same
   MessageSid, some right behind the original) at 32 clients (bench/sms_webhook_load.py),
   the worker running throughout. Checked once the worker is idle: every request answered
   200, every text stored once, one item per opinion and one rating per rating text, one
   reply per text queued and handed to the API exactly once, nothing flagged.
3. kill: the burst again, with the worker killed (SIGKILL) after 1/4 of the replies left and
   started again 1 s later, as systemd does; the same checks.

Results go to stdout and bench/results/sms_pipeline.json. PostgreSQL runs in a throwaway
cluster (tests/postgres.py): it needs the Debian server binaries and root.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from bench.sms_webhook import (
    COMMUNE_NUMBER,
    RESULTS,
    ROOT,
    Gunicorn,
    drive,
    pg_database,
    prepare_database,
    server_env,
    signed_requests,
    summary,
    texts,
    with_repeats,
)
from nghedan import create_app
from nghedan.extensions import db
from nghedan.models import Item, Message, Rating
from tests.sms_gateway.fake_twilio import FakeTwilio

NGHEDAN = Path(sys.executable).parent / "nghedan"
SECRET = "bench-secret-key-" + "x" * 40


class TimedTwilio(FakeTwilio):
    """The fake Twilio API, noting when each send arrived (by `To`)."""

    def __init__(self):
        super().__init__()
        self.arrivals: dict[str, list[float]] = {}
        self.arrivals_lock = threading.Lock()  # not `lock`: _next_answer takes that one

    def _next_answer(self, recipient: str) -> str:
        with self.arrivals_lock:
            self.arrivals.setdefault(recipient, []).append(time.monotonic())
        return super()._next_answer(recipient)

    def sends(self) -> Counter:
        with self.lock:
            return Counter(r.form.get("To") for r in self.received if r.sid)


def worker_env(url: str, fake: TimedTwilio) -> dict:
    """The worker's settings: Twilio's API faked, sends not paced, short leases. Settings
    outside the environment list of nghedan/config.py take the NGHEDAN_ prefix."""
    return {
        **server_env(url),
        "SMS_BACKEND": "twilio",
        "TWILIO_API_BASE_URL": fake.base_url,
        "TWILIO_FROM_NUMBER": COMMUNE_NUMBER,
        "NGHEDAN_OUTBOX_SEND_RATE_PER_SECOND": "1000",
        # A killed worker's claimed sends are due again after their lease: the longer of
        # OUTBOX_CLAIM_MIN_SECONDS and a batch's worst-case sending time (every send timing
        # out), here 10 x 3 s + 5 s.
        "NGHEDAN_OUTBOX_BATCH_SIZE": "10",
        "NGHEDAN_TWILIO_TIMEOUT_SECONDS": "3",
        "NGHEDAN_OUTBOX_CLAIM_MIN_SECONDS": "10",
        "NGHEDAN_INBOUND_LEASE_SECONDS": "10",  # and its claimed texts
        "NGHEDAN_SMS_QUIET_HOURS": '""',
    }


class Worker:
    """`nghedan worker --processes N` as its own process group."""

    def __init__(self, env: dict, log: Path, processes: int = 1):
        self.env, self.log, self.processes = env, log, processes
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [str(NGHEDAN), "worker", "--processes", str(self.processes)],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill9(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


def wait_until(check, seconds: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# -- 1. latency at a steady rate ------------------------------------------------------------


def latency(engine: str, url: str, tmp: Path, rate: float, minutes: float, workers: int) -> dict:
    prepare_database(url)
    fake = TimedTwilio().start()
    count = int(rate * minutes * 60)
    messages = texts(count, start=5_000_000)
    env = worker_env(url, fake)
    running = [Worker(env, tmp / f"worker-latency-{engine}.log", workers)]
    try:
        with Gunicorn(
            "nghedan:create_app()", server_env(url), tmp / f"gunicorn-latency-{engine}.log"
        ) as server:
            for worker in running:
                worker.start()
            # Warm-up: every gunicorn worker and the worker booted, their first queries done.
            warm = texts(40, start=9_000_000)
            drive(server.port, signed_requests(server.port, warm))
            wait_until(lambda: len(fake.arrivals) >= len(warm), 120)
            requests = signed_requests(server.port, messages)
            posted, webhook = _paced(server.port, requests, messages, rate)
            wait_until(lambda: len(fake.arrivals) >= count + len(warm), 120)
    finally:
        for worker in running:
            worker.stop()
        fake.stop()
    waits = [fake.arrivals[phone][0] - posted[phone] for phone in posted if phone in fake.arrivals]
    sends = fake.sends()
    out = {
        "rate_per_second": rate,
        "worker_processes": workers,
        "seconds": round(minutes * 60),
        "texts": count,
        "answered": len(waits),
        "answered_twice_or_more": sum(1 for phone in posted if sends[phone] > 1),
        "webhook_p95_ms": round(percentile(webhook, 0.95) * 1000, 1),
        "reply_p50_s": round(percentile(waits, 0.50), 3),
        "reply_p95_s": round(percentile(waits, 0.95), 3),
        "reply_p99_s": round(percentile(waits, 0.99), 3),
        "reply_max_s": round(max(waits), 3),
    }
    print(f"  latency {engine:10} {out}", flush=True)
    return out


def _paced(port: int, requests: list, messages: list, rate: float):
    """Post each request at its time (t0 + n / rate); when each was posted, by phone, and
    each webhook's own latency."""
    posted: dict[str, float] = {}
    webhook: list[float] = []
    failed: list[int] = []
    lock = threading.Lock()

    def post(request, phone) -> None:
        path, body, signature = request
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # one per text
        started = time.monotonic()
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        took = time.monotonic() - started
        with lock:
            posted[phone] = started
            webhook.append(took)
        if response.status != 200:
            failed.append(response.status)

    start = time.monotonic()
    with ThreadPoolExecutor(32) as pool:
        futures = []
        for n, (request, (_sid, phone, _body)) in enumerate(zip(requests, messages, strict=True)):
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(post, request, phone))
        for future in futures:
            future.result()
    if failed:
        print(f"  {len(failed)} webhooks not answered 200: {Counter(failed)}", flush=True)
    return posted, webhook


# -- 2 and 3. the burst, with and without a kill -9 of the worker ----------------------------


def burst(engine: str, url: str, tmp: Path, count: int, *, kill: bool, workers: int) -> dict:
    prepare_database(url)
    name = f"{'kill' if kill else 'burst'}-{engine}"
    fake = TimedTwilio().start()
    messages = texts(count, rating_share=0.1)
    sequence = with_repeats(messages, 0.1, random.Random(2026))
    env = worker_env(url, fake)
    running = [Worker(env, tmp / f"worker-{name}.log", workers).start()]
    killed = {}
    try:
        with Gunicorn("nghedan:create_app()", server_env(url), tmp / f"gunicorn-{name}.log") as s:
            killer = None
            if kill:
                killer = threading.Thread(target=_kill_once, args=(fake, running, count, killed))
                killer.start()
            started = time.monotonic()
            result = drive(s.port, signed_requests(s.port, sequence))
            if killer:
                killer.join()
            answered = wait_until(lambda: len(fake.sends()) >= count, 300)
            drained = time.monotonic() - started
            time.sleep(3)  # anything sent twice would arrive now
    finally:
        for worker in running:
            worker.stop()
        fake.stop()
    out = summary(result) | {
        "distinct_texts": count,
        "worker_processes": workers,
        "deliveries": len(sequence),
        "all_answered": answered,
        "seconds_until_every_reply_sent": round(drained, 1),
    }
    out.update(killed)
    out.update(_tally(url, messages, fake.sends()))
    print(f"  {name:18} {out}", flush=True)
    return out


def _kill_once(fake: TimedTwilio, running: list, count: int, killed: dict) -> None:
    """SIGKILL the worker (its whole process group) once a quarter of the replies left; start
    it again 1 s later, as systemd does."""
    wait_until(lambda: len(fake.sends()) >= count // 4, 600, interval=0.01)
    running[0].kill9()
    killed["worker_killed_after_replies"] = len(fake.sends())
    time.sleep(1)
    running.append(Worker(running[0].env, running[0].log, running[0].processes).start())


def _tally(url: str, messages, sends: Counter) -> dict:
    phones = {phone for _, phone, _ in messages}
    expected_ratings = sum(1 for _, _, body in messages if body.startswith("DG"))
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        count = lambda q: db.session.scalar(q)  # noqa: E731
        inbound = Message.direction == "in"
        stored = {
            "inbound_rows": count(select(func.count(Message.id)).where(inbound)),
            "processed": count(
                select(func.count(Message.id)).where(inbound, Message.status == "processed")
            ),
            "flagged": count(select(func.count(Message.id)).where(Message.flagged)),
            "items": count(select(func.count(Item.id))),
            "ratings": count(select(func.count(Rating.id))),
            "replies_queued": count(
                select(func.count(Message.id)).where(
                    Message.direction == "out", Message.kind == "reply"
                )
            ),
        }
        db.engine.dispose()
    stored["expected_items"] = len(messages) - expected_ratings
    stored["expected_ratings"] = expected_ratings
    stored["replies_sent_once"] = sum(1 for phone in phones if sends[phone] == 1)
    stored["replies_sent_twice_or_more"] = sum(1 for phone in phones if sends[phone] > 1)
    stored["replies_never_sent"] = sum(1 for phone in phones if sends[phone] == 0)
    stored["exact"] = (
        stored["inbound_rows"] == stored["processed"] == len(messages)
        and stored["flagged"] == 0
        and stored["items"] == stored["expected_items"]
        and stored["ratings"] == expected_ratings
        and stored["replies_queued"] == len(messages)
        and stored["replies_sent_once"] == len(messages)
    )
    return stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=50, help="texts a second (latency)")
    parser.add_argument("--minutes", type=float, default=5, help="how long (latency)")
    parser.add_argument("--burst", type=int, default=5000, help="distinct texts in a burst")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (`nghedan worker --processes`)"
    )
    parser.add_argument("--skip-postgresql", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--only", choices=("latency", "burst", "kill"), help="run one part")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"cpus": os.cpu_count(), "args": vars(args)}
    cluster = None
    if not args.skip_postgresql:
        from tests.postgres import ThrowawayCluster

        cluster = ThrowawayCluster().start()
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            engines = []
            if not args.skip_sqlite:
                engines.append(("sqlite", lambda part: f"sqlite:///{tmp / f'{part}.db'}"))
            if cluster:
                engines.append(("postgresql", lambda part: pg_database(cluster, part)))
            for engine, url in engines:
                if args.only in (None, "latency"):
                    report[f"latency_{engine}"] = latency(
                        engine, url("latency"), tmp, args.rate, args.minutes, args.workers
                    )
                if args.only in (None, "burst"):
                    report[f"burst_{engine}"] = burst(
                        engine, url("burst"), tmp, args.burst, kill=False, workers=args.workers
                    )
                if args.only in (None, "kill"):
                    report[f"kill_{engine}"] = burst(
                        engine, url("kill"), tmp, args.burst, kill=True, workers=args.workers
                    )
    finally:
        if cluster:
            cluster.stop()
    name = f"sms_pipeline-{args.only}.json" if args.only else "sms_pipeline.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
