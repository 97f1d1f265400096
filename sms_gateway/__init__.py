"""SMS: provider webhooks, the message parser, the outbox worker (blueprint at /sms)."""

from flask import Blueprint

bp = Blueprint("sms", __name__)
