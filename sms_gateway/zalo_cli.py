"""`nghedan zalo …`: connect a commune's Zalo Official Account and see its tokens' health."""

from __future__ import annotations

import click
from sqlalchemy import select

from nghedan.cli import CommandGroup, commune_option, resolve_commune
from nghedan.extensions import db
from nghedan.models import SmsChannel, ZaloAccount
from nghedan.services.sms import zalo_accounts
from nghedan.services.sms.zalo_accounts import ZaloTokens

zalo_cli = CommandGroup("zalo", help="The commune's Zalo Official Account (Chính quyền điện tử).")


@zalo_cli.command("add")
@click.option("--name", required=True, help="A name officials recognise, e.g. 'Zalo OA xã'.")
@commune_option
@click.option("--app-id", required=True, help="The Zalo app's id (developers.zalo.me).")
@click.option("--oa-id", required=True, help="The Official Account's id.")
@click.option(
    "--secret-key",
    envvar="ZALO_SECRET_KEY",
    prompt=True,
    hide_input=True,
    help="The app's secret key (asked for when not given; or ZALO_SECRET_KEY).",
)
@click.option(
    "--refresh-token",
    envvar="ZALO_REFRESH_TOKEN",
    prompt=True,
    hide_input=True,
    help="The OA's refresh token from authorising the app (or ZALO_REFRESH_TOKEN).",
)
@click.option("--access-token", envvar="ZALO_ACCESS_TOKEN", help="Its access token, if fresh.")
@click.option(
    "--access-expires-in",
    type=click.IntRange(min=0),
    default=0,
    help="Seconds the access token is still valid (0: renew it before the first send).",
)
def add(name, commune_code, app_id, oa_id, secret_key, refresh_token, access_token, **rest):
    """Add the OA as a channel of the commune (the secret and tokens are never shown back)."""
    commune = resolve_commune(commune_code)
    tokens = ZaloTokens(refresh_token, access_token, rest["access_expires_in"])
    zalo_accounts.connect(
        commune_id=commune.id,
        name=name,
        app_id=app_id,
        oa_id=oa_id,
        secret_key=secret_key,
        tokens=tokens,
    )
    click.echo(f"added Zalo OA {oa_id} as channel {name!r} for {commune.name}")
    click.echo("webhook URL to set at developers.zalo.me: <PUBLIC_BASE_URL>/zalo/webhook")


@zalo_cli.command("status")
def status() -> None:
    """Each OA, when its access token expires and whether renewing it last failed."""
    rows = db.session.execute(
        select(SmsChannel.name, ZaloAccount).join(ZaloAccount.channel).order_by(SmsChannel.name)
    ).all()
    if not rows:
        click.echo("no Zalo OA connected (nghedan zalo add)")
    for name, account in rows:
        expires = account.access_expires_at
        state = f"token valid until {expires:%Y-%m-%d %H:%M} UTC" if expires else "no token yet"
        if account.refresh_error:
            state = f"RENEWAL FAILED {account.refresh_failed_at:%Y-%m-%d %H:%M}: "
            state += account.refresh_error
        click.echo(f"{name}\tOA {account.oa_id}\t{state}")


@zalo_cli.command("tokens")
@click.argument("name")
@click.option("--refresh-token", envvar="ZALO_REFRESH_TOKEN", prompt=True, hide_input=True)
@click.option("--access-token", envvar="ZALO_ACCESS_TOKEN", help="Its access token, if fresh.")
@click.option("--access-expires-in", type=click.IntRange(min=0), default=0)
def tokens(name, refresh_token, access_token, access_expires_in) -> None:
    """Give the OA new tokens after authorising the app again (clears a failed renewal)."""
    account = zalo_accounts.account_named(name)
    if account is None:
        raise click.UsageError(f"no Zalo channel named {name!r}")
    zalo_accounts.update(account, tokens=ZaloTokens(refresh_token, access_token, access_expires_in))
    click.echo(f"{name}: new tokens kept")
