"""Public pages: the status of a tracking code, and the printable poster of a commune."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for

from kiosk import lookup_throttle, poster_content
from kiosk.wording import commune_title, lookup_problem, public_status, too_many_misses
from nghedan import qr
from nghedan.database import reads_only
from nghedan.models import Commune, Hamlet
from nghedan.phones import display
from nghedan.request_args import id_value
from nghedan.services.dialogues import plan as dialogues
from nghedan.services.people import kiosks, places
from nghedan.services.people.officers import active_officers

POSTER_DIALOGUES = 3  # the next dialogues a poster lists


@reads_only
def lookup_form():
    """The lookup page a poster's QR code opens; a typed code goes to its status page."""
    raw = request.args.get("code")
    if raw is None:
        return render_template("kiosk/public_lookup.html", typed="", problem=None)
    found = _lookup(raw)
    if found.item is not None:
        return redirect(url_for(".status_page", code=found.code))
    return _not_found(found)


@reads_only
def status_page(code: str):
    found = _lookup(code)
    if found.item is None:
        return _not_found(found)
    return render_template(
        "kiosk/public_status.html", status=public_status(found.item), commune=found.item.commune
    )


def _lookup(raw: str) -> kiosks.Lookup:
    """The item of a typed code; "try again later" (429) for an address that has typed too
    many codes that found nothing (kiosk/lookup_throttle.py)."""
    wait = lookup_throttle.seconds_blocked()
    if wait:
        page = render_template(
            "kiosk/public_lookup.html", typed=raw.strip()[:20], problem=too_many_misses(wait)
        )
        abort(Response(page, status=429, headers={"Retry-After": str(wait)}))
    found = kiosks.lookup(raw)
    if found.item is None and found.problem != "empty":
        lookup_throttle.record_miss()
    return found


def _not_found(found: kiosks.Lookup) -> tuple[str, int]:
    return render_template(
        "kiosk/public_lookup.html", typed=found.code, problem=lookup_problem(found.problem)
    ), 404


@reads_only
def poster(commune_code: str):
    """The A4 poster of a commune, or of one hamlet with `?hamlet=<id>`."""
    commune = places.commune_by_code(commune_code)
    if commune is None:
        abort(404)
    hamlet = None
    if request.args.get("hamlet"):
        hamlet = places.hamlet_of(commune.id, id_value(request.args.get("hamlet")) or 0)
        if hamlet is None:
            abort(404)
    return render_poster(commune, hamlet)


def render_poster(commune: Commune, hamlet: Hamlet | None, public_base: str | None = None) -> str:
    """A standalone HTML page (styles inline) to print on A4; also used by `nghedan poster`.

    The QR code only when residents' phones can open it (`qr.residents_base_url`)."""
    base = qr.residents_base_url(public_base)
    link = base + url_for("public.lookup_form") if base else None
    officers = active_officers(commune.id)
    return render_template(
        "kiosk/poster.html",
        commune=commune,
        hamlet=hamlet,
        place=commune_title(commune),
        sms_number=display(commune.sms_number) if commune.sms_number else None,
        qr_svg=qr.svg(link, link) if link else None,
        link=link,
        examples=poster_content.keyword_examples(commune, hamlet, officers),
        officers=[(o, poster_content.photo_data_uri(o)) for o in officers],
        dialogues=dialogues.next_for_residents(
            commune.id, hamlet.id if hamlet else None, limit=POSTER_DIALOGUES
        ),
    )
