"""What every area's commands share: the `nghedan` entry point, a command group whose commands
run in a unit of work, and the `--commune` option.

Each area defines its own commands (nghedan/commands.py, kiosk/cli.py, open311/cli.py,
sms_gateway/…); the app factory's `register_commands` attaches them all.
"""

from __future__ import annotations

import functools

import click
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import select

from nghedan.database import unit_of_work
from nghedan.errors import DomainError
from nghedan.extensions import db
from nghedan.models import Commune


def in_unit_of_work(f):
    """Run a command in one transaction: committed when it ends, rolled back when it fails;
    a refusal of the domain (`DomainError`) ends it with its message and exit status 1."""

    @functools.wraps(f)
    def run(*args, **kwargs):
        try:
            with unit_of_work():
                return f(*args, **kwargs)
        except DomainError as e:
            raise click.ClickException(e.message) from e

    return run


class CommandGroup(AppGroup):
    """A sub-group of `nghedan` (`nghedan kiosk …`) whose commands run in a unit of work.

    A command that commits along the way (a loop of jobs) opens its own `unit_of_work()`s
    inside; the outer one then has nothing left to commit."""

    def command(self, *args, **kwargs):
        define = super().command

        def decorator(f):
            return define(*args, **kwargs)(in_unit_of_work(f))

        return decorator


def command(*args, **kwargs):
    """A top-level `nghedan` command (`nghedan backup`), in a unit of work as CommandGroup's."""

    def decorator(f):
        return click.command(*args, **kwargs)(with_appcontext(in_unit_of_work(f)))

    return decorator


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


def main() -> None:
    """The `nghedan` console script."""
    from nghedan import create_app

    FlaskGroup(create_app=create_app, add_default_commands=True, add_version_option=False)()
