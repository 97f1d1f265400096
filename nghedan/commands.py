"""The core's commands: `nghedan db …`, `user …`, `commune …`, `seed-demo`, `backup`,
`restore`, `purge`. Each runs in a unit of work (nghedan/cli.py); a refusal ends it with its
message."""

from __future__ import annotations

import sys

import click
from sqlalchemy import func, select

from nghedan.cli import CommandGroup, command, commune_option, resolve_commune
from nghedan.database import upgrade
from nghedan.extensions import db
from nghedan.models import Commune

db_cli = CommandGroup("db", help="Database schema.")
user_cli = CommandGroup("user", help="Admin-panel users.")
commune_cli = CommandGroup("commune", help="The communes this deployment serves.")


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


@command("seed-demo")
def seed_demo() -> None:
    """Load the demo commune (does nothing when it is already there)."""
    from nghedan.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, load_demo

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


@command("backup")
@click.option("--output", type=click.Path(dir_okay=False), help="Backup file to write.")
def backup_command(output: str | None) -> None:
    """Back up the database and the recordings in one bundle (a tar file)."""
    from datetime import datetime
    from pathlib import Path

    from flask import current_app

    from nghedan.ops import backup

    if output is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        output = str(Path(current_app.instance_path) / "backups" / f"nghedan-{stamp}.tar")
    click.echo(f"backup written to {backup(Path(output))}")


@command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
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


@command("purge")
@click.option("--personal-data-older-than", "days", type=int, required=True, metavar="DAYS")
def purge_command(days: int) -> None:
    """Remove phones and names from finished items and old messages (retention policy)."""
    from nghedan.ops import OperationError, purge_personal_data
    from nghedan.services.items.history import audit

    try:
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
    create_user(
        username=username,
        password=password,
        role=role,
        commune_id=commune_id,
        full_name=full_name,
        supervised_commune_ids=supervised,
    )
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
    set_password(user, _read_password(password_stdin))
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
    click.echo(f"commune {commune.code} added with {len(commune.hamlets)} hamlets")
