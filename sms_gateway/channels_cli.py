"""`nghedan sms-channel …` (configure SMS channels) and `nghedan gammu import` (the modem's
received texts)."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from nghedan.cli import commune_option, resolve_commune
from nghedan.config import ConfigurationError
from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.models import SmsChannel
from nghedan.phones import to_e164
from nghedan.services.sms.channels import (
    active_channels,
    carrier_of,
    channel_by_name,
    channels_health,
    set_active,
)
from sms_gateway import gammu

channel_cli = AppGroup("sms-channel", help="SMS channels: Twilio, Android phones, GSM modems.")
gammu_cli = AppGroup("gammu", help="A GSM modem run by gammu-smsd.")


@channel_cli.command("add")
@click.option("--kind", type=click.Choice(["android", "gammu", "twilio", "console"]), required=True)
@click.option("--name", required=True, help="A name officials recognise, e.g. 'Viettel 1'.")
@commune_option
@click.option("--number", help="The SIM's phone number (texts to it belong to the commune).")
@click.option(
    "--carrier",
    type=click.Choice(["viettel", "vinaphone", "mobifone", "vietnamobile", "gmobile"]),
    help="The SIM's carrier (default: from the number's prefix).",
)
@click.option("--base-url", help="android: the app's API, e.g. http://192.168.1.20:8080")
@click.option("--login", help="android: the API user name shown in the app.")
@click.option("--password-env", help="android: the variable holding the API password.")
@click.option("--signing-key-env", help="android: the variable holding the webhook key.")
@click.option("--sim", "sim_number", type=click.IntRange(1, 3), help="android: SIM slot.")
@click.option("--inbox", help="gammu: gammu-smsd's InboxPath.")
@click.option("--outbox", help="gammu: gammu-smsd's OutboxPath.")
@click.option("--processed", help="gammu: where imported inbox files go.")
@click.option("--sent", help="gammu: gammu-smsd's SentSMSPath.")
@click.option("--error", help="gammu: gammu-smsd's ErrorSMSPath (texts it could not send).")
def add(kind, name, commune_code, number, carrier, **settings) -> None:
    """Add a channel (secrets stay in the environment; only their variable names are kept)."""
    commune = resolve_commune(commune_code)
    phone = to_e164(number) if number else None
    if number and phone is None:
        raise click.UsageError(f"{number!r} is not a phone number")
    if channel_by_name(name) is not None:
        raise click.UsageError(f"a channel named {name!r} exists already")
    _check_settings(kind, settings)
    with unit_of_work():
        db.session.add(
            SmsChannel(
                kind=kind,
                name=name,
                commune_id=commune.id,
                phone_number=phone,
                carrier=carrier or carrier_of(phone),
                active=True,
                settings={k: v for k, v in settings.items() if v is not None},
            )
        )
    click.echo(f"added {kind} channel {name!r} for {commune.name}")


def _check_settings(kind: str, settings: dict) -> None:
    needed = {
        "android": ("base_url", "password_env", "signing_key_env"),
        "gammu": ("inbox", "outbox"),
    }.get(kind, ())
    missing = [f"--{key.replace('_', '-')}" for key in needed if not settings.get(key)]
    if missing:
        raise click.UsageError(f"a {kind} channel needs {', '.join(missing)}")


@channel_cli.command("list")
def list_channels() -> None:
    """Every channel and its health."""
    for row in channels_health():
        click.echo(
            f"{row.name}\t{row.kind}\t{row.carrier or '-'}\t{row.state}"
            f"{' (' + row.down_reason + ')' if row.down_reason else ''}\t"
            f"failed last hour: {row.failures_last_hour}"
        )


@channel_cli.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Stop using a channel (its history stays)."""
    _set_active(name, False)


@channel_cli.command("enable")
@click.argument("name")
def enable(name: str) -> None:
    """Use a channel again."""
    _set_active(name, True)


def _set_active(name: str, active: bool) -> None:
    with unit_of_work():
        channel = channel_by_name(name)
        if channel is None:
            raise click.UsageError(f"no channel named {name!r}")
        set_active(channel, active)
    click.echo(f"{name}: {'enabled' if active else 'disabled'}")


@gammu_cli.command("import")
@click.option("--channel", "channel_name", help="The gammu channel (default: the only one).")
@click.option("--inbox", help="gammu-smsd's InboxPath (default: the channel's).")
@click.option("--processed", help="Where imported files go (default: <inbox>/processed).")
@click.option(
    "--watch",
    type=click.FloatRange(min=0.5),
    default=None,
    help="Keep importing every this many seconds until SIGTERM.",
)
def import_command(channel_name, inbox, processed, watch) -> None:
    """Import the texts gammu-smsd received: store, answer (through the outbox), move."""
    channel = _gammu_channel(channel_name)
    try:
        inbox_dir, processed_dir = gammu.channel_dirs(channel, inbox, processed)
    except ConfigurationError as e:
        raise click.ClickException(str(e)) from e
    if not inbox_dir.is_dir():
        raise click.ClickException(f"{inbox_dir} is not a directory")
    settle = gammu.settle_seconds(current_app.config)
    stop = threading.Event()
    if watch:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    stuck_after = float(current_app.config["GAMMU_OUTBOX_STUCK_SECONDS"])
    while True:
        report = gammu.import_inbox(
            inbox_dir, processed_dir, channel=channel, settle_seconds=settle
        )
        if channel is not None:
            with unit_of_work():
                modem = gammu.check_modem(channel, stuck_after=stuck_after)
        if not watch or report.imported or report.failed:
            click.echo(str(report) + (f"; modem {modem}" if channel is not None else ""))
        if not watch or stop.wait(watch):
            return


def _gammu_channel(name: str | None) -> SmsChannel | None:
    if name:
        channel = channel_by_name(name)
        if channel is None or channel.kind != "gammu":
            raise click.UsageError(f"no gammu channel named {name!r}")
        return channel
    channels = active_channels("gammu")
    return channels[0] if len(channels) == 1 else None
