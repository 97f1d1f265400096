"""`nghedan worker` (inbound texts and the outbox) and `nghedan outbox …` (the outbox alone)."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from nghedan.config import ConfigurationError
from sms_gateway.outbox_worker import OutboxWorker, WorkerSettings
from sms_gateway.pipeline import process_inbound
from sms_gateway.routing import ChannelRouter, sender_from_config
from sms_gateway.worker import Siblings, parent_alive, run_worker

outbox_cli = AppGroup("outbox", help="Outgoing SMS.")


def _outbox_worker() -> OutboxWorker:
    config = current_app.config
    try:
        sender = ChannelRouter(sender_from_config(config), config)
        return OutboxWorker(sender, WorkerSettings.from_config(config))
    except (ConfigurationError, ValueError) as e:
        raise click.ClickException(str(e)) from e


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send one batch of due messages, then stop.")
@click.option("--limit", type=click.IntRange(min=1), help="Messages per batch.")
def work(once: bool, limit: int | None) -> None:
    """Send queued SMS until stopped (SIGTERM or Ctrl-C finish the current message first)."""
    worker = _outbox_worker()
    click.echo(
        f"outbox worker: sending with {worker.sender.channel} "
        "(and the SMS channels configured per commune)"
    )
    if once:
        click.echo(str(worker.run_once(limit)))
        return
    poll = float(current_app.config["OUTBOX_POLL_SECONDS"])
    worker.run(_stop_on_signals(), poll_seconds=poll, limit=limit)
    click.echo("outbox worker stopped")


@click.command("worker")
@click.option("--once", is_flag=True, help="Resolve waiting texts, send one batch, then stop.")
@click.option(
    "--processes",
    type=click.IntRange(min=1, max=32),
    help="Worker processes side by side (default: the WORKER_PROCESSES setting, 1).",
)
@click.option("--parent-pid", type=int, hidden=True)  # set for the siblings it starts
def worker_command(once: bool, processes: int | None, parent_pid: int | None) -> None:
    """Act on received texts and send queued SMS until stopped (SIGTERM or Ctrl-C)."""
    outbox = _outbox_worker()
    if once:
        click.echo(f"inbound: {process_inbound()}")
        click.echo(f"outbox: {outbox.run_once()}")
        return
    app = current_app._get_current_object()
    count = processes or int(app.config["WORKER_PROCESSES"])
    click.echo(
        f"worker: inbound texts, and the outbox sending with {outbox.sender.channel}"
        + (f" ({count} processes)" if count > 1 else "")
    )
    stop = _stop_on_signals()
    siblings = Siblings(count - 1).start() if count > 1 else None
    code = run_worker(
        app,
        stop,
        outbox,
        outbox_poll_seconds=float(app.config["OUTBOX_POLL_SECONDS"]),
        siblings=siblings,
        also_alive=parent_alive(parent_pid) if parent_pid else None,
    )
    click.echo("worker stopped")
    if code:
        raise SystemExit(code)
