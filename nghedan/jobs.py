"""Periodic jobs (`nghedan jobs run-due`), run every few minutes by a systemd timer."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from nghedan.database import unit_of_work
from nghedan.models import utcnow

jobs_cli = AppGroup("jobs", help="Periodic jobs: dialogue invitations, reminders.")


def run_due(now=None) -> dict[str, int]:
    """Every job that is due, each in its own transaction; safe to run again at any time."""
    from nghedan.services.dialogue_sms import send_due_invitations
    from nghedan.services.followup import remind_overdue_notices

    now = now or utcnow()
    with unit_of_work():
        counts = send_due_invitations(now)
    with unit_of_work():
        counts["overdue_notices"] = len(remind_overdue_notices(now))
    return counts


@jobs_cli.command("run-due")
def run_due_command() -> None:
    """Send due dialogue invitations and reminders; flag overdue conclusion notices."""
    counts = run_due()
    click.echo(" ".join(f"{name}={count}" for name, count in counts.items()))
