"""SMS: provider webhooks, the message parser, the outbox worker (blueprint at /sms)."""

from flask import Blueprint

bp = Blueprint("sms", __name__)

# Register the routes on bp: Twilio's webhooks (views), the Android phone gateway's.
from sms_gateway import android_webhook, views  # noqa: E402,F401
