"""Queueing outgoing SMS: a row in the outbox, written in the caller's transaction."""

from __future__ import annotations

from nghedan.extensions import db
from nghedan.models import Message, utcnow
from nghedan.services.contacts import is_opted_out
from nghedan.sms_text import count_segments, fit_for_sms
from nghedan.text import nfc

# The one text an opted-out phone still gets: the acknowledgement of its HUY / STOP, for
# channels that answer through the outbox instead of in the provider's response.
OPT_OUT_ACK = "opt_out_ack"


def queue_sms(
    phone: str,
    body: str,
    *,
    kind: str,
    commune_id: int | None = None,
    item_id: int | None = None,
    channel: str = "auto",
) -> Message | None:
    """Queue one SMS for the outbox worker; None when the phone has opted out."""
    if kind != OPT_OUT_ACK and is_opted_out(phone):
        return None
    body = fit_for_sms(nfc(body))
    segments = count_segments(body)
    message = Message(
        direction="out",
        channel=channel,
        phone=phone,
        body=body,
        parts=segments.parts,
        encoding=segments.encoding,
        status="queued",
        kind=kind,
        commune_id=commune_id,
        item_id=item_id,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message
