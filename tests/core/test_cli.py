"""The CLI's boundary: a command runs in one unit of work; a refusal ends it with its message,
exit status 1 and nothing written. Core registers every area's commands and imports no surface
elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import click
from sqlalchemy import func, select

from nghedan.cli import CommandGroup
from nghedan.errors import DomainError
from nghedan.extensions import db
from nghedan.models import Commune


def _commune_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Commune.id)))


def _probe_group() -> CommandGroup:
    group = CommandGroup("probe")

    @group.command("add")
    @click.option("--refuse", is_flag=True)
    def add(refuse: bool) -> None:
        db.session.add(Commune(code="thu-nghiem", name="Thử nghiệm", kind="xa"))
        db.session.flush()
        if refuse:
            raise DomainError("Không được.", code="refused")
        click.echo("added")

    return group


def test_a_command_commits_when_it_ends(app, runner):
    app.cli.add_command(_probe_group())
    before = _commune_count(app)
    result = runner.invoke(args=["probe", "add"])
    assert result.exit_code == 0 and result.output == "added\n"
    assert _commune_count(app) == before + 1


def test_a_refused_command_says_why_and_writes_nothing(app, runner):
    app.cli.add_command(_probe_group())
    before = _commune_count(app)
    result = runner.invoke(args=["probe", "add", "--refuse"])
    assert result.exit_code == 1 and "Error: Không được." in result.output
    assert _commune_count(app) == before


def test_a_refusal_of_a_real_command_is_its_message(runner):
    first = runner.invoke(args=["commune", "add", "--code", "an-phu", "--name", "An Phú"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["commune", "add", "--code", "an-phu", "--name", "An Phú"])
    assert again.exit_code == 1 and again.output.startswith("Error: ")


def test_every_area_has_its_commands(app):
    names = set(app.cli.list_commands(None))
    assert {"db", "user", "commune", "seed-demo", "backup", "jobs", "outbox"} <= names
    assert {"kiosk", "poster", "api-key", "sms-channel", "gammu", "twilio"} <= names


def test_core_imports_no_surface_outside_the_factory():
    core = Path(__file__).resolve().parents[2] / "nghedan"
    surface = re.compile(r"^\s*(from|import) (admin|kiosk|sms_gateway|open311)\b", re.M)
    offenders = [
        str(path.relative_to(core))
        for path in core.rglob("*.py")
        if path.name != "__init__.py" or path.parent != core
        if surface.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
