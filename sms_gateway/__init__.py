"""SMS: provider webhooks, the message parser, the outbox worker (blueprint at /sms)."""

from flask import Blueprint

bp = Blueprint("sms", __name__)

from sms_gateway import views  # noqa: E402,F401  (registers the routes on bp)
