"""A spoken opinion from the kiosk: the opinion form with its recording attached.

The page's script sends the same three-step form here, with the recording as a file, when
the resident chose "Nói ý kiến"; the receipt is the typed opinion's. A resend (double tap,
the offline retry) carries the same screen key and stores nothing more.
"""

from __future__ import annotations

from flask import redirect, request, url_for

from kiosk import bp, views
from kiosk.device import client_key, current_kiosk
from kiosk.wording import domain_error, receipt_sms
from nghedan.errors import ValidationError
from nghedan.refusals import on_refusal
from nghedan.services.items.intake import create_item, item_by_client_key
from nghedan.services.items.recordings import attach_recording, check_recording
from nghedan.services.sms.outbox import queue_sms


@bp.post("/opinion/voice")
def send_spoken_opinion():
    form = request.form
    on_refusal(lambda e: _form_again(form, e))
    key = client_key(form.get("screen_key"))
    if item_by_client_key(key) is None:
        _store(form, key)
    return redirect(url_for(".receipt", code=item_by_client_key(key).tracking_code))


def _store(form, key: str) -> None:
    upload = request.files.get("recording")
    recording = check_recording(upload.read() if upload else b"")
    legal_type = form.get("legal_type") or "opinion"
    if legal_type not in views.KIOSK_LEGAL_TYPES:
        raise ValidationError("bad legal type", code="bad_legal_type")
    item = create_item(
        commune_id=current_kiosk().commune_id,
        text=form.get("text", ""),
        channel="kiosk",
        hamlet_id=form.get("hamlet", type=int),
        category_code=form.get("category") or None,
        legal_type=legal_type,
        contact_phone=form.get("phone"),
        contact_name=form.get("name"),
        kiosk_id=current_kiosk().id,
        client_key=key,
        spoken=True,
    )
    attach_recording(item, recording)
    if item.contact_phone:
        queue_sms(
            item.contact_phone,
            receipt_sms(item),
            kind="kiosk_receipt",
            commune_id=item.commune_id,
            item_id=item.id,
        )


def _form_again(form, error) -> str:
    step = views.STEP_OF_ERROR.get(error.code, "what")
    html, _status = views._write_page(form, domain_error(error), step=step)
    return html
