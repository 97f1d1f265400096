"""A spoken opinion from the kiosk: the opinion form with its recording attached.

The page's script sends the same three-step form here, with the recording as a file, when
the resident chose "Nói ý kiến"; the receipt is the typed opinion's. A resend (double tap,
the offline retry) carries the same screen key and stores nothing more.
"""

from __future__ import annotations

from flask import redirect, request, url_for

from kiosk import views
from nghedan.services.items.recordings import create_spoken_item


def send_spoken_opinion():
    fields = views.opinion_fields(request.form)
    upload = request.files.get("recording")
    item = create_spoken_item(upload.read() if upload else b"", **fields)
    return redirect(url_for(".receipt", code=item.tracking_code))
