"""`nghedan worker --processes N` (WORKER_PROCESSES): one command, several worker processes
sharing the texts of one PostgreSQL database, each answered once, stopped together."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from nghedan.models import WorkerHeartbeat
from tests.ops.stack import Delivery, sms_form, wait_until


def heartbeat_pids(stack) -> set[int]:
    with stack.db.engine.connect() as conn:
        names = conn.execute(select(WorkerHeartbeat.name)).scalars()
        return {int(name.rsplit(":", 1)[1]) for name in names}


def test_two_worker_processes_answer_every_text_once_and_stop_together(pg_database, start_stack):
    stack = start_stack(pg_database, settings={"WORKER_PROCESSES": 2})
    worker = stack.outbox[0]
    assert wait_until(lambda: len(heartbeat_pids(stack)) == 2, 30), stack.logs()
    parent = worker.popen.pid
    (sibling,) = heartbeat_pids(stack) - {parent}

    phones = [f"+8491300{n:04d}" for n in range(40)]
    with ThreadPoolExecutor(8) as pool:
        forms = [
            sms_form(f"Đèn đường ấp Tân Phú số {n} bị hỏng.", sender=p)
            for n, p in enumerate(phones)
        ]
        list(pool.map(lambda form: stack.provider.deliver(Delivery(form)), forms))

    def answered() -> dict[str, int]:
        to = [r.form.get("To") for r in stack.fake.accepted()]
        return {phone: to.count(phone) for phone in phones}

    assert wait_until(lambda: all(answered().values()), 60), stack.logs()
    assert set(answered().values()) == {1}

    # The command says it runs two processes; claims never overlap, so none answered twice.
    log = worker.log_tail(200_000)
    assert "worker: inbound texts" in log and "(2 processes)" in log

    # A sibling killed: the command stops as a whole (systemd starts it again).
    os.kill(sibling, signal.SIGKILL)
    assert wait_until(lambda: not worker.running, 30), stack.logs()
    assert worker.popen.returncode == 1
    assert "a sibling or parent process stopped" in worker.log_tail()


def test_sigterm_stops_the_siblings_and_clears_their_heartbeats(pg_database, start_stack):
    stack = start_stack(pg_database, settings={"WORKER_PROCESSES": 3})
    worker = stack.outbox[0]
    assert wait_until(lambda: len(heartbeat_pids(stack)) == 3, 30), stack.logs()
    siblings = heartbeat_pids(stack) - {worker.popen.pid}

    os.kill(worker.popen.pid, signal.SIGTERM)  # the parent alone, as `kill <pid>` does
    assert wait_until(lambda: not worker.running, 40), stack.logs()
    assert worker.popen.returncode == 0
    assert heartbeat_pids(stack) == set()
    for pid in siblings:
        assert not os.path.exists(f"/proc/{pid}") or _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True


def test_siblings_of_a_killed_worker_stop_rather_than_run_unwatched(pg_database, start_stack):
    stack = start_stack(pg_database, settings={"WORKER_PROCESSES": 2})
    worker = stack.outbox[0]
    assert wait_until(lambda: len(heartbeat_pids(stack)) == 2, 30), stack.logs()
    (sibling,) = heartbeat_pids(stack) - {worker.popen.pid}

    worker.kill9()  # the parent alone (an OOM kill); systemd would then start it again
    assert wait_until(lambda: _zombie(sibling) or not os.path.exists(f"/proc/{sibling}"), 30)
