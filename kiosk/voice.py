"""A spoken opinion from the kiosk: the opinion form with its recording attached.

The page's script sends the same three-step form here, with the recording as a file, when
the resident chose "Nói ý kiến"; the receipt is the typed opinion's. A resend (double tap,
the offline retry) carries the same screen key and stores nothing more.
"""

from __future__ import annotations

from flask import redirect, request, url_for

from kiosk import views
from kiosk.device import client_key, current_kiosk
from kiosk.wording import domain_error
from nghedan.errors import ValidationError
from nghedan.refusals import on_refusal
from nghedan.services.items.recordings import create_spoken_item


def send_spoken_opinion():
    form = request.form
    on_refusal(
        lambda e: views.write_page(
            form, domain_error(e), step=views.STEP_OF_ERROR.get(e.code, "what")
        )
    )
    legal_type = form.get("legal_type") or "opinion"
    if legal_type not in views.KIOSK_LEGAL_TYPES:
        raise ValidationError("bad legal type", code="bad_legal_type")
    upload = request.files.get("recording")
    item = create_spoken_item(
        upload.read() if upload else b"",
        commune_id=current_kiosk().commune_id,
        text=form.get("text", ""),
        channel="kiosk",
        hamlet_id=form.get("hamlet", type=int),
        category_code=form.get("category") or None,
        legal_type=legal_type,
        contact_phone=form.get("phone"),
        contact_name=form.get("name"),
        kiosk_id=current_kiosk().id,
        client_key=client_key(form.get("screen_key")),
    )
    return redirect(url_for(".receipt", code=item.tracking_code))
