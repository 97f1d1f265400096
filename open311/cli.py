"""`nghedan api-key …`: keys for systems that push items through the Open311 API."""

from __future__ import annotations

import click
from sqlalchemy import select

from nghedan.cli import CommandGroup, resolve_commune
from nghedan.extensions import db
from nghedan.models import ApiClient

api_key_cli = CommandGroup("api-key", help="Open311 API keys of integrating systems.")


@api_key_cli.command("create")
@click.option("--name", required=True, help="Who uses the key, e.g. the province's portal.")
@click.option(
    "--commune",
    "commune_code",
    help="Bind the key to one commune (default: any; requests name jurisdiction_id).",
)
def create(name: str, commune_code: str | None) -> None:
    """Create a key and print it once (only its hash is kept)."""
    from open311.keys import create_client

    commune_id = resolve_commune(commune_code).id if commune_code else None
    client, key = create_client(name, commune_id)
    click.echo(f"API key for {client.name} (shown once, keep it safe):")
    click.echo(key)


@api_key_cli.command("list")
def list_keys() -> None:
    """The clients, their key prefixes and when they were last used."""
    for client in db.session.scalars(select(ApiClient).order_by(ApiClient.name)):
        scope = client.commune.code if client.commune else "*"
        used = client.last_used_at.isoformat(timespec="seconds") if client.last_used_at else "-"
        state = "active" if client.active else "revoked"
        click.echo(f"{client.name}\t{client.key_prefix}…\t{scope}\t{state}\tlast used {used}")


@api_key_cli.command("revoke")
@click.option("--name", required=True)
def revoke(name: str) -> None:
    """Stop a key from working."""
    client = db.session.scalar(select(ApiClient).where(ApiClient.name == name))
    if client is None:
        raise click.ClickException(f"no API client named {name!r}")
    client.active = False
    click.echo(f"key of {name} revoked")
