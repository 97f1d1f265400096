"""`nghedan outbox …`: the worker that sends queued SMS."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from nghedan.config import ConfigurationError
from sms_gateway.outbox_worker import OutboxWorker, WorkerSettings
from sms_gateway.routing import ChannelRouter
from sms_gateway.senders import sender_from_config

outbox_cli = AppGroup("outbox", help="Outgoing SMS.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send one batch of due messages, then stop.")
@click.option("--limit", type=click.IntRange(min=1), help="Messages per batch.")
def work(once: bool, limit: int | None) -> None:
    """Send queued SMS until stopped (SIGTERM or Ctrl-C finish the current message first)."""
    config = current_app.config
    try:
        sender = ChannelRouter(sender_from_config(config), config)
        worker = OutboxWorker(sender, WorkerSettings.from_config(config))
    except (ConfigurationError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        f"outbox worker: sending with {worker.sender.channel} "
        "(and the SMS channels configured per commune)"
    )
    if once:
        click.echo(str(worker.run_once(limit)))
        return
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.run(stop, poll_seconds=float(config["OUTBOX_POLL_SECONDS"]), limit=limit)
    click.echo("outbox worker stopped")
