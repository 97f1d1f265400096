"""The `nghedan` command: a Flask CLI group, with a sub-group per area."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import func, select

from nghedan.database import unit_of_work, upgrade
from nghedan.errors import DomainError
from nghedan.extensions import db
from nghedan.models import Commune

db_cli = AppGroup("db", help="Database schema.")
user_cli = AppGroup("user", help="Admin-panel users.")
commune_cli = AppGroup("commune", help="The communes this deployment serves.")


def resolve_commune(code: str | None) -> Commune:
    """The commune named by `--commune`, or the only one when the deployment has one."""
    if code:
        commune = db.session.scalar(select(Commune).where(Commune.code == code))
        if commune is None:
            raise click.UsageError(f"no commune with code {code!r}")
        return commune
    communes = db.session.scalars(select(Commune).limit(2)).all()
    if len(communes) == 1:
        return communes[0]
    raise click.UsageError("several communes exist (or none): give --commune CODE")


commune_option = click.option(
    "--commune", "commune_code", help="Commune code (default: the only one)."
)


@db_cli.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or upgrade the database schema."""
    from flask import current_app

    upgrade(current_app._get_current_object(), revision)
    click.echo("database is up to date")


@db_cli.command("is-empty")
def db_is_empty() -> None:
    """Exit 0 when no commune exists yet (used by `make run` to seed the demo)."""
    count = db.session.scalar(select(func.count(Commune.id)))
    sys.exit(0 if count == 0 else 1)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo commune (does nothing when it is already there)."""
    from nghedan.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, load_demo

    with unit_of_work():
        created = load_demo()
    click.echo("demo commune loaded" if created else "demo commune already present")
    click.echo(f"admin login: {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}")


@db_cli.command("copy")
@click.option("--from", "source", required=True, help="Source database URL (e.g. sqlite:///…).")
@click.option("--to", "target", help="Target database URL (default: DATABASE_URL).")
def db_copy(source: str, target: str | None) -> None:
    """Copy a commune's SQLite data into PostgreSQL (both migrated; the target empty)."""
    from flask import current_app

    from nghedan.ops import OperationError, copy_database

    try:
        counts = copy_database(source, target or current_app.config["SQLALCHEMY_DATABASE_URI"])
    except OperationError as e:
        raise click.ClickException(str(e)) from e
    click.echo(", ".join(f"{name}: {n}" for name, n in counts.items() if n))


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False), help="Backup file to write.")
@with_appcontext
def backup_command(output: str | None) -> None:
    """Back up the database (SQLite online backup, or pg_dump for PostgreSQL)."""
    from datetime import datetime
    from pathlib import Path

    from flask import current_app

    from nghedan.ops import backup

    if output is None:
        suffix = "db" if db.engine.url.get_backend_name() == "sqlite" else "dump"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        output = str(Path(current_app.instance_path) / "backups" / f"nghedan-{stamp}.{suffix}")
    click.echo(f"backup written to {backup(Path(output))}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: str, yes: bool) -> None:
    """Replace the database's contents with a backup (stop the app and workers first)."""
    from pathlib import Path

    from nghedan.ops import OperationError, restore

    if not yes:
        click.confirm("This replaces every row of the database. Continue?", abort=True)
    try:
        restore(Path(path))
    except OperationError as e:
        raise click.ClickException(str(e)) from e
    click.echo("database restored")


@click.command("purge")
@click.option("--personal-data-older-than", "days", type=int, required=True, metavar="DAYS")
@with_appcontext
def purge_command(days: int) -> None:
    """Remove phones and names from finished items and old messages (retention policy)."""
    from nghedan.ops import OperationError, purge_personal_data
    from nghedan.services.items.history import audit

    try:
        with unit_of_work():
            counts = purge_personal_data(days)
            audit("purge_personal_data", detail={"days": days, **counts})
    except OperationError as e:
        raise click.ClickException(str(e)) from e
    click.echo("purged: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice(["admin", "officer", "supervisor"]), required=True)
@commune_option
@click.option("--supervises", multiple=True, help="Commune code a supervisor oversees (repeat).")
@click.option("--full-name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_create(username, role, commune_code, supervises, full_name, password_stdin):
    """Create an admin-panel user."""
    from nghedan.services.people.users import create_user

    commune_id = None if role == "supervisor" else resolve_commune(commune_code).id
    supervised = tuple(resolve_commune(code).id for code in supervises)
    password = _read_password(password_stdin)
    try:
        with unit_of_work():
            create_user(
                username=username,
                password=password,
                role=role,
                commune_id=commune_id,
                full_name=full_name,
                supervised_commune_ids=supervised,
            )
    except DomainError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"user {username} created ({role})")


@user_cli.command("set-password")
@click.option("--username", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_set_password(username, password_stdin):
    """Change a user's password; their other sessions end."""
    from nghedan.models import User
    from nghedan.services.people.users import set_password

    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        with unit_of_work():
            set_password(user, _read_password(password_stdin))
    except DomainError as e:
        raise click.ClickException(e.message) from e
    click.echo(f"password of {username} changed")


@commune_cli.command("add")
@click.option("--code", required=True, help="Short code in URLs and posters, e.g. my-hoa.")
@click.option("--name", required=True, help="The name as residents write it, e.g. Mỹ Hòa.")
@click.option(
    "--kind", type=click.Choice(["xa", "phuong", "dac_khu"]), default="xa", show_default=True
)
@click.option("--province", default="")
@click.option("--sms-number", default="", help="The number residents text (optional).")
@click.option("--hamlet", "hamlets", multiple=True, help="A hamlet's name (repeat).")
@click.option(
    "--hamlet-kind",
    type=click.Choice(["ap", "khom", "thon", "ban", "to_dan_pho"]),
    default="ap",
    show_default=True,
)
def commune_add(code, name, kind, province, sms_number, hamlets, hamlet_kind):
    """Add a commune with its hamlets (then: nghedan user create --role admin --commune CODE)."""
    from nghedan.services.people.places import NewCommune, add_commune

    try:
        with unit_of_work():
            commune = add_commune(
                NewCommune(
                    code=code,
                    name=name,
                    kind=kind,
                    province=province,
                    sms_number=sms_number,
                    hamlets=tuple(hamlets),
                    hamlet_kind=hamlet_kind,
                )
            )
            summary = f"commune {commune.code} added with {len(commune.hamlets)} hamlets"
    except DomainError as e:
        raise click.ClickException(e.message) from e
    click.echo(summary)


def register(app: Flask) -> None:
    """Attach every command group to the app (each area adds its own here)."""
    app.cli.add_command(db_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(commune_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(purge_command)
    from nghedan.jobs import jobs_cli

    app.cli.add_command(jobs_cli)
    # Each area adds its own group here: app.cli.add_command(<area>.cli.<group>)
    from sms_gateway.cli import outbox_cli

    app.cli.add_command(outbox_cli)
    from sms_gateway.channels_cli import channel_cli, gammu_cli

    app.cli.add_command(channel_cli)
    app.cli.add_command(gammu_cli)
    from sms_gateway.catch_up import twilio_cli

    app.cli.add_command(twilio_cli)
    from sms_gateway.zalo_cli import zalo_cli

    app.cli.add_command(zalo_cli)
    from kiosk.cli import kiosk_cli, poster

    app.cli.add_command(kiosk_cli)
    app.cli.add_command(poster)
    from open311.cli import api_key_cli

    app.cli.add_command(api_key_cli)


def main() -> None:
    from nghedan import create_app

    FlaskGroup(create_app=create_app, add_default_commands=True, add_version_option=False)()
