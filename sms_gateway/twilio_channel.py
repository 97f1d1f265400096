"""Twilio as an SMS channel: signed webhooks in, the REST client out (replies included)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import contextmanager
from datetime import datetime

import requests
from flask import Request, Response, current_app
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from nghedan.config import ConfigurationError
from sms_gateway.inbound import InboundSms
from sms_gateway.senders import SendError, may_have_arrived

log = logging.getLogger(__name__)

CHANNEL = "twilio"
STATUS_PATH = "/sms/twilio/status"
# Error codes that no retry can fix: an invalid or unreachable number, an opted-out phone…
# (21610 unsubscribed, 21211 invalid To, 21614 not a mobile number); other 4xx are too.
UNSUBSCRIBED = 21610
PERMANENT_CODES = frozenset({21211, 21408, 21610, 21612, 21614, 30003, 30004, 30005, 30006})


def public_url(request: Request) -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL plus path and query, else the request's own.

    Behind a reverse proxy the request URL is only right when PROXY_FIX_HOPS trusts the
    proxy's forwarded headers; PUBLIC_BASE_URL avoids depending on them.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return base.rstrip("/") + request.path + (f"?{query}" if query else "")


def signature_problem(request: Request) -> str | None:
    """Why the request is not Twilio's (None when its signature is right)."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    if not token:
        return "TWILIO_AUTH_TOKEN is not configured"
    signature = request.headers.get("X-Twilio-Signature")
    if not signature:
        return "missing X-Twilio-Signature"
    if not RequestValidator(token).validate(public_url(request), request.form, signature):
        return "wrong X-Twilio-Signature"
    return None


def inbound_from(form: Mapping[str, str]) -> InboundSms:
    """Twilio's inbound-message webhook fields as the channel-independent record."""
    return InboundSms(
        channel=CHANNEL,
        sender=form.get("From", ""),
        body=form.get("Body", ""),
        provider_id=form.get("MessageSid") or form.get("SmsSid") or None,
        recipient=form.get("To") or None,
    )


_EMPTY_TWIML = str(MessagingResponse())


def empty_twiml() -> Response:
    """The webhook's answer: an empty TwiML response (the reply goes through the outbox)."""
    return Response(_EMPTY_TWIML, mimetype="text/xml")


class TwilioSender:
    """Sends through Twilio's Messages API (or a Twilio-compatible one at TWILIO_API_BASE_URL)."""

    channel = CHANNEL

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        api_base_url: str | None = None,
        status_callback: str | None = None,
        timeout: float = 10,
    ):
        if not (from_number or messaging_service_sid):
            raise ConfigurationError(
                "Twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID to send SMS."
            )
        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
        if api_base_url:
            self.client.api.base_url = api_base_url.rstrip("/")
        self.origin = (
            {"messaging_service_sid": messaging_service_sid}
            if messaging_service_sid
            else {"from_": from_number}
        )
        if status_callback:
            self.origin["status_callback"] = status_callback

    @classmethod
    def from_config(cls, config: Mapping) -> TwilioSender:
        if not (config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN")):
            raise ConfigurationError(
                "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."
            )
        base = config.get("PUBLIC_BASE_URL")
        return cls(
            account_sid=config["TWILIO_ACCOUNT_SID"],
            auth_token=config["TWILIO_AUTH_TOKEN"],
            from_number=config.get("TWILIO_FROM_NUMBER"),
            messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID"),
            api_base_url=config.get("TWILIO_API_BASE_URL"),
            status_callback=base.rstrip("/") + STATUS_PATH if base else None,
            timeout=float(config.get("TWILIO_TIMEOUT_SECONDS") or 10),
        )

    def send(self, phone: str, body: str) -> str | None:
        with _send_errors():
            message = self.client.messages.create(to=phone, body=body, **self.origin)
        return message.sid

    def find_sent(self, phone: str, body: str, since: datetime) -> str | None:
        """The sid of a message with this body to this phone that Twilio accepted since
        `since` (the newest 50 to the phone are read); None when there is none."""
        with _send_errors():
            for message in self.client.messages.list(to=phone, limit=50):
                created = message.date_created
                if message.body == body and (created is None or created >= since):
                    return message.sid
        return None


def received_since(config: Mapping, since: datetime) -> list[InboundSms]:
    """Texts Twilio received for this account since `since`, oldest first, from its message
    log: what an outage longer than Twilio's webhook retries (15 s at most) left unstored."""
    client = Client(
        config["TWILIO_ACCOUNT_SID"],
        config["TWILIO_AUTH_TOKEN"],
        http_client=TwilioHttpClient(timeout=float(config.get("TWILIO_TIMEOUT_SECONDS") or 10)),
    )
    if config.get("TWILIO_API_BASE_URL"):
        client.api.base_url = config["TWILIO_API_BASE_URL"].rstrip("/")
    with _send_errors():
        records = client.messages.list(date_sent_after=since)
    return [
        InboundSms(
            channel=CHANNEL,
            sender=m.from_ or "",
            body=m.body or "",
            provider_id=m.sid,
            recipient=m.to,
        )
        for m in reversed(records)
        if m.direction == "inbound" and (m.date_sent is None or m.date_sent >= since)
    ]


@contextmanager
def _send_errors():
    """Twilio's and the network's exceptions as SendError (transient or permanent)."""
    try:
        yield
    except TwilioRestException as e:
        raise SendError(
            e.msg or f"HTTP {e.status}",
            code=str(e.code or e.status),
            transient=_is_transient(e),
            opted_out=e.code == UNSUBSCRIBED,
        ) from e
    except requests.Timeout as e:
        raise SendError(
            f"no answer from Twilio: {e}",
            code="timeout",
            transient=True,
            maybe_accepted=may_have_arrived(e),
        ) from e
    except requests.RequestException as e:  # e.g. the connection dropped before the answer
        raise SendError(
            f"network error: {e}",
            code="network",
            transient=True,
            maybe_accepted=may_have_arrived(e),
        ) from e
    except TwilioException as e:
        raise SendError(str(e), code="twilio", transient=False) from e


def _is_transient(error: TwilioRestException) -> bool:
    if error.code in PERMANENT_CODES:
        return False
    return error.status == 429 or error.status >= 500
