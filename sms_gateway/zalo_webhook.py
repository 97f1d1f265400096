"""`POST /zalo/webhook`: the events of the commune's Zalo Official Account.

Zalo expects an answer within 2 seconds (else it retries for hours and then turns the
webhook off), so the request only verifies the signature, stores the event and answers
200; the worker does the rest. Unsigned, wrongly signed, stale or unknown-OA events: 403,
nothing stored; a body that is not a JSON event: 400.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request

from nghedan.extensions import csrf
from sms_gateway import zalo_inbound

log = logging.getLogger(__name__)
zalo_bp = Blueprint("zalo", __name__)


def webhook():
    """One event from Zalo."""
    raw = request.get_data(cache=False)
    account, payload, refusal = zalo_inbound.verify(raw, request.headers)
    if refusal is not None:
        log.warning("refused %s from %s: %s", request.path, request.remote_addr, refusal.problem)
        return jsonify(error=refusal.problem), refusal.status
    zalo_inbound.store_event(account, payload)
    return jsonify(ok=True)


zalo_bp.add_url_rule("/webhook", view_func=csrf.exempt(webhook), methods=["POST"])
