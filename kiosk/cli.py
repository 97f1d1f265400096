"""`nghedan kiosk …` (enroll, renew, revoke, list screens) and `nghedan poster`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from nghedan import qr
from nghedan.cli import CommandGroup, command, commune_option, resolve_commune
from nghedan.extensions import db
from nghedan.models import Commune, Hamlet
from nghedan.services.people import kiosks

kiosk_cli = CommandGroup("kiosk", help="Touchscreen kiosks: enroll, renew, revoke, list.")
DEMO_KIOSK_NAME = "Màn hình demo"
base_url_option = click.option(
    "--base-url",
    help="Address the kiosk's browser uses (default: PUBLIC_BASE_URL, else http://127.0.0.1:5000).",
)


def enrollment_url(token: str, base_url: str | None = None) -> str:
    base = base_url or current_app.config.get("PUBLIC_BASE_URL") or qr.DEFAULT_BASE_URL
    return f"{base.rstrip('/')}/kiosk/enroll/{token}"


def _show_enrollment(enrollment: kiosks.Enrollment, base_url: str | None) -> None:
    url = enrollment_url(enrollment.token, base_url)
    click.echo(
        f"kiosk {enrollment.kiosk.id} «{enrollment.kiosk.name}»: open this URL once "
        "on the screen (it works one time only):"
    )
    click.echo(url)
    click.echo(qr.terminal(url))


@kiosk_cli.command("add")
@click.argument("name")
@commune_option
@base_url_option
def kiosk_add(name, commune_code, base_url):
    """Register a screen and print its one-time enrollment URL and QR code."""
    commune = resolve_commune(commune_code)
    enrollment = kiosks.add_kiosk(commune_id=commune.id, name=name)
    _show_enrollment(enrollment, base_url)


@kiosk_cli.command("renew")
@click.argument("kiosk_ref", metavar="NAME|ID")
@commune_option
@base_url_option
def kiosk_renew(kiosk_ref, commune_code, base_url):
    """A new enrollment URL for a screen (a replaced or revoked one); the old URL stops."""
    enrollment = kiosks.renew_enrollment(_find(kiosk_ref, commune_code))
    _show_enrollment(enrollment, base_url)


@kiosk_cli.command("revoke")
@click.argument("kiosk_ref", metavar="NAME|ID")
@commune_option
def kiosk_revoke(kiosk_ref, commune_code):
    """Stop a screen at once: its browser sees "not set up" on the next touch."""
    kiosk = _find(kiosk_ref, commune_code)
    kiosks.revoke(kiosk)
    click.echo(f"kiosk {kiosk.id} «{kiosk.name}» revoked")


@kiosk_cli.command("list")
@click.option("--commune", "commune_code", help="Only this commune.")
def kiosk_list(commune_code):
    """Every screen with its state, last contact and ignored repeat ratings."""
    commune_id = resolve_commune(commune_code).id if commune_code else None
    rows = kiosks.list_kiosks(commune_id)
    if not rows:
        click.echo("no kiosks")
    for k in rows:
        state = "revoked" if k.revoked_at else ("enrolled" if k.enrolled_at else "waiting")
        seen = k.last_seen_at.isoformat(timespec="seconds") if k.last_seen_at else "-"
        click.echo(
            f"{k.id}\t{k.commune.code}\t{k.name}\t{state}\tlast seen {seen}\t"
            f"ignored ratings {k.ignored_ratings}"
        )


@kiosk_cli.command("demo-url")
@commune_option
@base_url_option
def kiosk_demo_url(commune_code, base_url):
    """Print a fresh enrollment URL of the demo commune's screen (used by `make run`)."""
    from nghedan.demo import DEMO_COMMUNE_CODE

    commune = resolve_commune(commune_code or DEMO_COMMUNE_CODE)
    found = [k for k in kiosks.list_kiosks(commune.id) if k.name == DEMO_KIOSK_NAME]
    enrollment = (
        kiosks.renew_enrollment(found[0])
        if found
        else kiosks.add_kiosk(commune_id=commune.id, name=DEMO_KIOSK_NAME)
    )
    click.echo(enrollment_url(enrollment.token, base_url))


@kiosk_cli.command("qr-check")
def kiosk_qr_check():
    """Say where receipt and poster QR codes point, or why there are none (used by `make run`)."""
    why = qr.why_no_qr()
    if why:
        click.echo(f"QR: {why}")
    else:
        click.echo(f"QR: {qr.residents_base_url()}/t/…")


def _find(kiosk_ref: str, commune_code: str | None):
    commune_id = resolve_commune(commune_code).id if commune_code else None
    return kiosks.find_kiosk(kiosk_ref, commune_id)


@command("poster")
@commune_option
@click.option("--hamlet", "hamlet_name", help="A hamlet's name: its own poster.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@base_url_option
def poster(commune_code, hamlet_name, output, base_url):
    """Write the printable A4 poster (HTML) with the SMS number, keywords and lookup QR."""
    from kiosk.public import render_poster

    commune: Commune = resolve_commune(commune_code)
    hamlet = None
    if hamlet_name:
        hamlet = db.session.scalar(
            select(Hamlet).where(Hamlet.commune_id == commune.id, Hamlet.name == hamlet_name)
        )
        if hamlet is None:
            raise click.UsageError(f"no hamlet {hamlet_name!r} in {commune.code}")
    public = base_url or current_app.config.get("PUBLIC_BASE_URL")
    with current_app.test_request_context(base_url=public or qr.DEFAULT_BASE_URL):
        html = render_poster(commune, hamlet, public)
        why = qr.why_no_qr(public)
    output.write_text(html, encoding="utf-8")
    click.echo(f"poster written to {output}")
    if why:
        click.echo(why, err=True)
