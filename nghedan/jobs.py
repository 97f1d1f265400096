"""Periodic jobs (`nghedan jobs run-due`), run every few minutes by a systemd timer, or
kept running beside the web server by `nghedan jobs work` (what `make run` does)."""

from __future__ import annotations

import logging
import signal
import threading

import click

from nghedan.cli import CommandGroup
from nghedan.database import unit_of_work
from nghedan.models import utcnow

jobs_cli = CommandGroup("jobs", help="Periodic jobs: dialogue invitations, reminders.")
log = logging.getLogger(__name__)


def run_due(now=None) -> dict[str, int]:
    """Every job that is due, each in its own transaction; safe to run again at any time."""
    from nghedan.services.dialogues.followup import remind_overdue_notices
    from nghedan.services.dialogues.sms import send_due_invitations

    now = now or utcnow()
    with unit_of_work():
        counts = send_due_invitations(now)
    with unit_of_work():
        counts["overdue_notices"] = len(remind_overdue_notices(now))
    return counts


def _line(counts: dict[str, int]) -> str:
    return " ".join(f"{name}={count}" for name, count in counts.items())


@jobs_cli.command("run-due")
def run_due_command() -> None:
    """Send due dialogue invitations and reminders; flag overdue conclusion notices."""
    click.echo(_line(run_due()))


def work(stop: threading.Event, every_seconds: float) -> int:
    """Run the due jobs now and every `every_seconds` until `stop` is set; returns the rounds.

    A round that fails is logged and the next one tries again: the jobs are idempotent.
    """
    rounds = 0
    while not stop.is_set():
        try:
            click.echo(_line(run_due()))
        except Exception:  # noqa: BLE001 - one bad round must not stop the demo's jobs
            log.exception("due jobs failed; trying again in %s s", every_seconds)
        rounds += 1
        stop.wait(every_seconds)
    return rounds


@jobs_cli.command("work")
@click.option(
    "--every",
    "every_seconds",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds between two rounds.",
)
def work_command(every_seconds: float) -> None:
    """Run the due jobs every few minutes until SIGTERM or Ctrl-C (for `make run`)."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    work(stop, every_seconds)
    click.echo("jobs worker stopped")
