"""`nghedan worker`: the inbound pipeline and the outbox in one process, in two threads.

Two threads rather than one loop, because the outbox paces its sends (a provider's rate
limit) and waits on the network, while a text stored by a webhook should be acted on
within a fraction of a second: the inbound thread resolves stored texts and wakes the
outbox thread whenever it queued a reply, so a reply leaves at once. On PostgreSQL the
inbound thread sleeps until a webhook's NOTIFY (LISTEN on its own connection), on SQLite it
polls every INBOUND_POLL_SECONDS. The main thread writes the heartbeat that /healthz and
the admin panel read, and stops the process (for systemd to restart) when a thread died.
Several workers may run against one PostgreSQL database: claims never overlap.
`nghedan worker --processes N` (WORKER_PROCESSES) starts N - 1 sibling processes and
watches them: one process resolves 40–80 texts a second on a 2-core machine, far above a
commune's load but not a district's burst (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

import psycopg
from flask import Flask
from sqlalchemy.exc import DBAPIError

from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.services.health import beat, forget, worker_name
from sms_gateway.inbound import NOTIFY_CHANNEL
from sms_gateway.outbox_worker import OutboxWorker
from sms_gateway.pipeline import InboundSettings, process_inbound

log = logging.getLogger(__name__)
LISTEN_TIMEOUT = 1.0  # seconds: how soon a LISTENing worker notices it should stop


class PollingWaiter:
    """SQLite: look again after a short pause (a NOTIFY has no equivalent there)."""

    def __init__(self, stop: threading.Event, seconds: float):
        self.stop, self.seconds = stop, seconds

    def wait(self) -> None:
        self.stop.wait(self.seconds)

    def close(self) -> None:
        pass


class ListeningWaiter:
    """PostgreSQL: sleep until a webhook's NOTIFY, or `fallback_seconds` at most (texts
    waiting for a retry fall due without one)."""

    def __init__(self, stop: threading.Event, connect: Callable[[], psycopg.Connection], fallback):
        self.stop, self.connect, self.fallback = stop, connect, fallback
        self.connection: psycopg.Connection | None = None

    def wait(self) -> None:
        waited = 0.0
        while waited < self.fallback and not self.stop.is_set():
            try:
                connection = self._listening()
                for _ in connection.notifies(timeout=LISTEN_TIMEOUT, stop_after=1):
                    return
            except psycopg.Error as e:  # the database restarted: listen again soon
                log.warning("worker: LISTEN failed (%s); polling meanwhile", e)
                self.close()
                self.stop.wait(LISTEN_TIMEOUT)
            waited += LISTEN_TIMEOUT

    def _listening(self) -> psycopg.Connection:
        if self.connection is None or self.connection.closed:
            self.connection = self.connect()
            self.connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def waiter_for(app: Flask, stop: threading.Event):
    """The inbound thread's way to wait for texts on this app's database."""
    config = app.config
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "postgresql":
        return PollingWaiter(stop, float(config.get("INBOUND_POLL_SECONDS", 0.3)))
    arguments = url.translate_connect_args(username="user", database="dbname")

    def connect() -> psycopg.Connection:
        return psycopg.connect(**arguments, **dict(url.query), autocommit=True)

    return ListeningWaiter(stop, connect, float(config.get("INBOUND_FALLBACK_POLL_SECONDS", 5)))


def inbound_loop(stop: threading.Event, wake_outbox: threading.Event, waiter, settings) -> None:
    """Resolve stored texts until `stop` is set; wake the outbox when replies were queued."""
    while not stop.is_set():
        try:
            report = process_inbound(
                limit=settings.batch_size, settings=settings, on_reply=wake_outbox.set
            )
        except DBAPIError as e:  # the database is away (restart, failover): wait it out
            log.warning("inbound: database unavailable, trying again: %s", str(e).splitlines()[0])
            stop.wait(1)
            continue
        if report.ids:
            log.info("inbound: %s", report)
            continue  # more may be waiting
        waiter.wait()


def parent_alive(pid: int) -> Callable[[], bool]:
    """For a sibling: whether the `nghedan worker` that started it still runs (when it was
    killed, the sibling is re-parented and stops rather than run on unwatched)."""
    return lambda: os.getppid() == pid


class Siblings:
    """The other processes of `nghedan worker --processes N`: each a `nghedan worker` of its
    own (both threads, its own heartbeat), started with this process's environment and
    stopped with it."""

    def __init__(self, count: int):
        self.count = count
        self.processes: list[subprocess.Popen] = []

    def start(self) -> Siblings:
        command = [sys.executable, "-m", "nghedan", "worker", "--processes", "1"]
        command += ["--parent-pid", str(os.getpid())]  # a sibling stops once it is orphaned
        for _ in range(self.count):
            self.processes.append(subprocess.Popen(command, env=os.environ.copy()))
        return self

    def alive(self) -> bool:
        return all(process.poll() is None for process in self.processes)

    def stop(self, timeout: float = 30.0) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.error("worker: sibling %s did not stop in %ss; killed", process.pid, timeout)
                process.kill()
                process.wait()


def run_worker(
    app: Flask,
    stop: threading.Event,
    outbox: OutboxWorker,
    *,
    outbox_poll_seconds: float,
    heartbeat_seconds: float = 10.0,
    siblings: Siblings | None = None,
    also_alive: Callable[[], bool] | None = None,
) -> int:
    """Run both threads until `stop` is set; 0, or 1 when a thread (or a sibling process)
    died: the rest are stopped too, for systemd to restart the whole."""
    wake_outbox = threading.Event()
    waiter = waiter_for(app, stop)
    settings = InboundSettings.from_config(app.config)
    threads = [
        _thread(app, "inbound", inbound_loop, stop, wake_outbox, waiter, settings),
        _thread(
            app, "outbox", outbox.run, stop, poll_seconds=outbox_poll_seconds, wake=wake_outbox
        ),
    ]
    name = worker_name()
    watched = [check for check in (also_alive, siblings and siblings.alive) if check]
    failed = _supervise(
        app, stop, threads, lambda: all(check() for check in watched), name, heartbeat_seconds
    )
    stop.set()
    wake_outbox.set()
    if siblings is not None:
        siblings.stop()
    for thread in threads:
        thread.join()
    waiter.close()
    with app.app_context(), unit_of_work():
        forget(name)
    return 1 if failed else 0


def _supervise(app, stop, threads, also_alive, name, every) -> bool:
    """Write the heartbeat while both threads (and the sibling processes) live; True when
    one died."""
    while not stop.is_set():
        if not all(thread.is_alive() for thread in threads):
            log.error("worker: a thread stopped unexpectedly; stopping the worker")
            return True
        if not also_alive():
            log.error("worker: a sibling or parent process stopped; stopping the worker")
            return True
        try:
            with app.app_context(), unit_of_work():
                beat(name)
        except DBAPIError as e:
            log.warning("worker: heartbeat not written: %s", str(e).splitlines()[0])
        stop.wait(every)
    return False


def _thread(app: Flask, name: str, target, *args, **kwargs) -> threading.Thread:
    def run() -> None:
        with app.app_context():
            try:
                target(*args, **kwargs)
            except Exception:
                log.exception("worker: the %s thread failed", name)
                raise

    thread = threading.Thread(target=run, name=f"nghedan-{name}", daemon=True)
    thread.start()
    return thread
