"""The production stack as separate processes, for the smoke test, the fault tests and the bench.

gunicorn (deploy/gunicorn.conf.py, NGHEDAN_ENV=production) and `nghedan worker` run as
their own process groups against a PostgreSQL database; a fake Twilio API on loopback takes
what the outbox sends. `Provider` plays Twilio's side of the webhook: signed deliveries from
a bounded pool of threads, each retried with the same MessageSid after a 5xx or a broken
connection, as Twilio does with its connection overrides.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from sqlalchemy import create_engine, func, select, text
from twilio.request_validator import RequestValidator

from nghedan.models import Message
from tests.sms_gateway.fake_twilio import FakeTwilio

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
TOKEN = "ops-twilio-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "a" * 32
PUBLIC_BASE_URL = "https://xa.example.vn"
COMMUNE_NUMBER = "+84868000115"  # the demo commune's SMS number (nghedan seed-demo)
WEBHOOK = "/sms/twilio"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def production_env(database_url: str, twilio_url: str, **settings: str) -> dict[str, str]:
    """The environment of every process: production settings, Twilio pointed at the fake.

    `settings` are `NGHEDAN_<NAME>` overrides (the tests shorten the outbox's timings).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NGHEDAN_", "TWILIO_", "SMS_"))}
    env.update(
        {
            "NGHEDAN_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "SMS_BACKEND": "twilio",
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_FROM_NUMBER": COMMUNE_NUMBER,
            "TWILIO_API_BASE_URL": twilio_url,
            "NGHEDAN_SMS_QUIET_HOURS": "",  # replies and notices alike, whatever the hour
        }
    )
    env.update({f"NGHEDAN_{name}": str(value) for name, value in settings.items()})
    return env


def run_cli(env: dict, *args: str, stdin: str | None = None, timeout: float = 120) -> str:
    """Run `nghedan …` as an operator would; its output (fails loudly on an error)."""
    done = subprocess.run(
        [str(BIN / "nghedan"), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"nghedan {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Process:
    """One long-running command in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict, log_dir: Path):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill9(self) -> None:
        """SIGKILL the process itself (what an OOM kill or a power cut does to one process)."""
        os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM, then SIGKILL the whole group; always safe to call."""
        if self.popen is None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.popen.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # workers left behind by a master killed with -9
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


class Gunicorn(Process):
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port."""

    def __init__(self, env: dict, log_dir: Path, *, workers: int = 2):
        self.port = free_port()
        super().__init__(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "nghedan:create_app()",
            ],
            {**env, "WEB_CONCURRENCY": str(workers)},
            log_dir,
        )
        self.workers = workers

    def start(self, timeout: float = 60) -> Gunicorn:
        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            if len(self.worker_pids()) == self.workers and get(self.port, "/healthz")[0] == 200:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            return []


def outbox_worker(env: dict, log_dir: Path, name: str = "outbox") -> Process:
    """`nghedan worker`: the inbound pipeline and the outbox (what deploy/ runs)."""
    return Process(name, [str(BIN / "nghedan"), "worker"], env, log_dir)


def get(port: int, path: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""


def post_form(
    port: int, path: str, body: bytes, headers: dict, timeout: float = 30
) -> tuple[int, bytes]:
    """One POST; (0, b"") when the connection broke (refused, reset, timed out)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        response = conn.getresponse()
        status, data = response.status, response.read()
        conn.close()
        return status, data
    except (OSError, http.client.HTTPException):
        return 0, b""


def sms_form(
    body: str, *, sender: str, sid: str | None = None, to: str = COMMUNE_NUMBER
) -> dict[str, str]:
    """Twilio's inbound-message webhook fields."""
    return {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
    }


def signature(form: dict, path: str = WEBHOOK, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, form)


@dataclass
class Delivery:
    """One text as the provider delivers it, with every attempt's HTTP status."""

    form: dict
    statuses: list[int] = field(default_factory=list)
    reply: bytes = b""

    @property
    def sid(self) -> str:
        return self.form["MessageSid"]

    @property
    def accepted(self) -> bool:
        return bool(self.statuses) and 200 <= self.statuses[-1] < 300


class Provider:
    """Twilio's side: delivers signed texts, retrying a delivery after a 5xx or a broken
    connection (same MessageSid), until it is accepted or `give_up_after` seconds passed
    (Twilio's connection overrides allow 15 s at most: `tt=15000`)."""

    def __init__(
        self,
        port: int,
        *,
        concurrency: int = 8,
        retry_delay: float = 0.5,
        give_up_after: float = 15,
    ):
        self.port, self.concurrency = port, concurrency
        self.retry_delay, self.give_up_after = retry_delay, give_up_after

    def deliver(self, delivery: Delivery) -> Delivery:
        payload = urlencode(delivery.form).encode()
        headers = {"X-Twilio-Signature": signature(delivery.form)}
        deadline = time.monotonic() + self.give_up_after
        while True:
            status, body = post_form(self.port, WEBHOOK, payload, headers)
            delivery.statuses.append(status)
            if 200 <= status < 300 or (400 <= status < 500) or time.monotonic() > deadline:
                delivery.reply = body
                return delivery
            time.sleep(self.retry_delay)

    def post_once(self, delivery: Delivery) -> int:
        """One attempt, not retried; its HTTP status (0: the connection broke)."""
        status, delivery.reply = post_form(
            self.port,
            WEBHOOK,
            urlencode(delivery.form).encode(),
            {"X-Twilio-Signature": signature(delivery.form)},
        )
        delivery.statuses.append(status)
        return status

    def burst(self, deliveries: list[Delivery], *, pace: float = 0.0) -> list[Delivery]:
        """Deliver all, `concurrency` at a time (`pace` seconds between starts)."""
        with ThreadPoolExecutor(self.concurrency) as pool:
            futures = []
            for delivery in deliveries:
                futures.append(pool.submit(self.deliver, delivery))
                if pace:
                    time.sleep(pace)
            return [f.result() for f in futures]


class FaultyTwilio(FakeTwilio):
    """The fake Twilio API with an outage switch (while `failing` is set, every send gets 500;
    while `unanswered` is set, every send is accepted and its answer lost that way),
    a log of the texts it received for us (`log_inbound`), listed with the sent ones by
    `GET …/Messages.json` as Twilio's message log is, and a count of the outbox's questions
    about one phone (`lookups`; `nghedan twilio catch-up` reads the whole log)."""

    def __init__(self):
        super().__init__()
        self.failing = threading.Event()
        self.unanswered: str | None = None  # "accept-hang" / "accept-drop": every send, so
        self.lookups = 0
        self.inbound: list[dict] = []

    def log_inbound(self, form: dict) -> None:
        with self.lock:
            self.inbound.append(
                {
                    "sid": form.get("MessageSid"),
                    "from": form.get("From"),
                    "to": form.get("To"),
                    "body": form.get("Body"),
                    "direction": "inbound",
                    "status": "received",
                    "date_sent": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
                }
            )

    def _handler(self):
        fake = self

        class Handler(super()._handler()):
            def do_GET(self):  # noqa: N802 - http.server's naming
                path, _, query = self.path.partition("?")
                to = parse_qs(query).get("To", [None])[0]
                with fake.lock:
                    fake.lookups += to is not None  # the outbox asks about one phone
                    records = [
                        {
                            "sid": r.sid,
                            "to": r.form.get("To"),
                            "body": r.form.get("Body"),
                            "direction": "outbound-api",
                            "status": "sent",
                            "date_created": r.date_created,
                            "date_sent": r.date_created,
                        }
                        for r in reversed(fake.received)
                        if r.sid
                    ]
                    records += list(reversed(fake.inbound))
                records = [r for r in records if to is None or r["to"] == to]
                self._json(
                    200,
                    {
                        "messages": records,
                        "start": 0,
                        "end": len(records),
                        "page": 0,
                        "page_size": 1000,
                        "uri": path,
                        "first_page_uri": path,
                        "next_page_uri": None,
                        "previous_page_uri": None,
                    },
                )

        return Handler

    def _next_answer(self, to: str) -> str:
        if self.failing.is_set():
            return "500"
        return self.unanswered or super()._next_answer(to)

    def sent_counts(self) -> Counter:
        """How many times the API accepted each (To, Body)."""
        with self.lock:
            return Counter((r.form.get("To"), r.form.get("Body")) for r in self.received if r.sid)


class Database:
    """Read-only checks of what the processes stored."""

    def __init__(self, url: str):
        self.engine = create_engine(url, pool_pre_ping=True)

    def scalar(self, query):
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def inbound_counts(self) -> Counter:
        """Stored inbound texts per MessageSid."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Message.provider_id).where(Message.direction == "in"))
            return Counter(sid for (sid,) in rows)

    def outbox(self) -> Counter:
        """Outgoing messages per status."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Message.status, func.count(Message.id))
                .where(Message.direction == "out")
                .group_by(Message.status)
            )
            return Counter(dict(rows.all()))

    def outgoing(self) -> list[tuple[str, str, str]]:
        """(phone, body, status) of every outgoing message."""
        with self.engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    select(Message.phone, Message.body, Message.status).where(
                        Message.direction == "out"
                    )
                )
            ]

    def dispose(self) -> None:
        self.engine.dispose()


def wait_until(predicate, timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# Outbox timings shortened for tests: faster sending and polling, retries within seconds.
QUICK_OUTBOX = {
    "OUTBOX_SEND_RATE_PER_SECOND": 25,
    "OUTBOX_POLL_SECONDS": 0.3,
    "OUTBOX_BATCH_SIZE": 5,
    "OUTBOX_BACKOFF_BASE_SECONDS": 1,
    "OUTBOX_BACKOFF_MAX_SECONDS": 4,
    "OUTBOX_MAX_ATTEMPTS": 60,
    "TWILIO_TIMEOUT_SECONDS": 3,
}


class Stack:
    """Fake Twilio, a migrated database with the demo commune, gunicorn and outbox workers."""

    def __init__(
        self,
        database_url: str,
        log_dir: Path,
        *,
        web_workers: int = 2,
        outbox_workers: int = 1,
        settings: dict | None = None,
    ):
        self.database_url, self.log_dir = database_url, log_dir
        self.fake = FaultyTwilio()
        self.env = production_env(
            database_url, self.fake.base_url, **{**QUICK_OUTBOX, **(settings or {})}
        )
        self.gunicorn = Gunicorn(self.env, log_dir, workers=web_workers)
        self.outbox = [
            outbox_worker(self.env, log_dir, f"outbox-{n}") for n in range(outbox_workers)
        ]
        self.db = Database(database_url)

    def start(self) -> Stack:
        self.fake.start()
        run_cli(self.env, "db", "upgrade")
        run_cli(self.env, "seed-demo")
        self.gunicorn.start()
        for worker in self.outbox:
            worker.start()
        return self

    @property
    def provider(self) -> Provider:
        return Provider(self.gunicorn.port)

    def enqueue(self, count: int, tag: int, **options) -> Process:
        """Start a process that queues `count` outgoing SMS (tests/ops/enqueue.py)."""
        argv = [sys.executable, "-m", "tests.ops.enqueue", str(count), str(tag)]
        for name, value in options.items():
            argv += [f"--{name.replace('_', '-')}", str(value)]
        return Process(f"enqueue-{tag}", argv, self.env, self.log_dir).start()

    def catch_up(self) -> str:
        """`nghedan twilio catch-up`: texts in Twilio's log the webhook never stored."""
        return run_cli(self.env, "twilio", "catch-up", "--hours", "1")

    def stop(self) -> None:
        for process in (self.gunicorn, *self.outbox):
            process.stop()
        self.fake.stop()
        self.db.dispose()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log_tail()}" for p in (self.gunicorn, *self.outbox))
