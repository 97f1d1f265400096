"""`nghedan twilio catch-up`: texts Twilio received while the webhook could not store them.

A webhook that cannot store a text answers 5xx, and Twilio tries again, but for 15 seconds
at most (its connection overrides, `#rc=5&rp=all&tt=15000`). A longer outage (the database
restarting, the server down) leaves texts only in Twilio's message log; this command reads
the log and stores each text not stored yet (by MessageSid, as the webhook would); the worker
answers it as any other. Run it after an outage, or from a timer: texts already stored are
left alone.
"""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from nghedan.database import unit_of_work
from nghedan.models import utcnow
from sms_gateway.inbound import store
from sms_gateway.senders import SendError
from sms_gateway.twilio_channel import received_since

twilio_cli = AppGroup("twilio", help="Twilio: recover texts an outage kept from the webhook.")


@twilio_cli.command("catch-up")
@click.option(
    "--hours",
    type=click.FloatRange(min=0.01),
    default=24.0,
    show_default=True,
    help="How far back to read Twilio's message log.",
)
def catch_up(hours: float) -> None:
    """Store and answer the texts in Twilio's log that the webhook never stored."""
    if not (
        current_app.config.get("TWILIO_ACCOUNT_SID") and current_app.config.get("TWILIO_AUTH_TOKEN")
    ):
        raise click.ClickException("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set.")
    try:
        texts = received_since(current_app.config, utcnow() - timedelta(hours=hours))
    except SendError as e:
        raise click.ClickException(f"Twilio's message log could not be read: {e.message}") from e
    recovered = sum(_recover(sms) for sms in texts)
    click.echo(
        f"{len(texts)} texts received by Twilio, {recovered} were missing and are now stored"
    )


def _recover(sms) -> bool:
    """Store one text if it is new (the worker answers it); whether it was new."""
    with unit_of_work():
        return store(sms) is not None
