"""SMS: provider webhooks, the inbound pipeline and the outbox worker (blueprint at /sms).

This file is the blueprint's routing table. Every provider webhook carries its own
signature instead of a CSRF token, so each is exempt from CSRF protection here.
"""

from flask import Blueprint

from nghedan.extensions import csrf
from sms_gateway import android_webhook, views

bp = Blueprint("sms", __name__)
csrf.exempt(bp)  # every route here is a provider's webhook, verified by its own signature

bp.add_url_rule("/twilio", view_func=views.twilio_inbound, methods=["POST"])
bp.add_url_rule("/twilio/status", view_func=views.twilio_status, methods=["POST"])
bp.add_url_rule("/android", view_func=android_webhook.android_webhook, methods=["POST"])
