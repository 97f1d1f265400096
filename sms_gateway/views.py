"""The SMS gateway's routes: Twilio's inbound-message webhook and its delivery-status callback.

Both carry Twilio's own signature instead of a CSRF token; a missing or wrong signature is
refused with 403, one log line, and nothing stored.
"""

from __future__ import annotations

import logging

from flask import Response, request

from nghedan.extensions import csrf, db
from nghedan.services.sms.outbox import record_delivery_status
from sms_gateway import bp, twilio_channel
from sms_gateway.inbound import handle_inbound

log = logging.getLogger(__name__)


def _refuse(problem: str) -> Response:
    log.warning("refused %s from %s: %s", request.path, request.remote_addr, problem)
    return Response("forbidden\n", status=403, mimetype="text/plain")


@csrf.exempt
@bp.post("/twilio")
def twilio_inbound():
    """A resident's text, delivered by Twilio; the reply goes back as TwiML."""
    problem = twilio_channel.signature_problem(request)
    if problem:
        return _refuse(problem)
    reply = handle_inbound(twilio_channel.inbound_from(request.form))
    # Committed before the reply is rendered: on SQLite the one write lock is held no longer
    # than the text's own work (the request's usual commit then has nothing left to do).
    db.session.commit()
    return twilio_channel.twiml(reply)


@csrf.exempt
@bp.post("/twilio/status")
def twilio_status():
    """Twilio's report on a message we sent (statuses only ever move forward)."""
    problem = twilio_channel.signature_problem(request)
    if problem:
        return _refuse(problem)
    sid = _field("MessageSid") or _field("SmsSid")
    status = (_field("MessageStatus") or _field("SmsStatus")).lower()
    if sid and status:
        record_delivery_status(twilio_channel.CHANNEL, sid, status, _field("ErrorCode") or None)
    return Response(status=204)


def _field(name: str) -> str:
    """A form field without NUL characters, which PostgreSQL refuses in any query."""
    return (request.form.get(name) or "").replace("\x00", "")
