"""`POST /sms/android`: the webhooks of SMS Gateway for Android (received texts, delivery
reports, pings). Signed by the phone instead of a CSRF token: unsigned 401, wrongly signed or
stale 403, and nothing stored either way. A received text is stored for the worker, which
sends the reply through the outbox."""

from __future__ import annotations

import logging

from flask import current_app, jsonify, request

from sms_gateway import android

log = logging.getLogger(__name__)


def android_webhook():
    """One event from an Android phone gateway."""
    raw = request.get_data(cache=False)
    verdict = android.verify(raw, request.headers, current_app.config)
    if verdict.channel is None:
        log.warning("refused %s from %s: %s", request.path, request.remote_addr, verdict.problem)
        return jsonify(error=verdict.problem), verdict.status
    try:
        event, payload = android.parse_event(raw)
        return jsonify(android.handle_event(verdict.channel, event, payload, current_app.config))
    except android.BadEvent as e:
        log.warning("unusable webhook from Android channel %s: %s", verdict.channel.name, e)
        return jsonify(error=str(e)), 400
