"""The SMS gateway's Twilio views: the inbound-message webhook and the delivery-status callback.

Both carry Twilio's own signature instead of a CSRF token; a missing or wrong signature is
refused with 403, one log line, and nothing stored. A text is only verified, stored and
answered with an empty TwiML response: the worker acts on it and sends the reply through
the outbox (sms_gateway.pipeline).
"""

from __future__ import annotations

import logging

from flask import Response, request

from nghedan.services.sms.outbox import record_delivery_status
from sms_gateway import twilio_channel
from sms_gateway.inbound import store

log = logging.getLogger(__name__)


def _refuse(problem: str) -> Response:
    log.warning("refused %s from %s: %s", request.path, request.remote_addr, problem)
    return Response("forbidden\n", status=403, mimetype="text/plain")


def twilio_inbound():
    """A resident's text, delivered by Twilio: stored (once per MessageSid), answered empty."""
    problem = twilio_channel.signature_problem(request)
    if problem:
        return _refuse(problem)
    store(twilio_channel.inbound_from(request.form))
    return twilio_channel.empty_twiml()


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
