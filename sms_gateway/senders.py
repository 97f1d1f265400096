"""The base of the SMS gateway's outgoing side: how the outbox worker hands a message to a
provider, whatever the provider. Imports nothing else of sms_gateway.

A sender sends one text and returns the provider's message id, or raises `SendError`,
saying whether trying again later can help (network trouble, rate limits, provider
outages) or not (an invalid or blocked number). The senders that need no provider live
here (`console`: development, the message is written to the log; `channels` without a
channel); each provider's module has its own, and routing.py knows them all.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from nghedan.phones import masked

log = logging.getLogger(__name__)


class SendError(Exception):
    """The provider did not take the message, or we don't know that it did."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        transient: bool,
        opted_out: bool = False,
        maybe_accepted: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.transient = transient
        self.opted_out = opted_out  # the provider says this phone unsubscribed
        # The request may have reached the provider (no answer in time, the connection cut
        # after it was sent): it may have been accepted, so ask before sending it again.
        self.maybe_accepted = maybe_accepted


def may_have_arrived(error: requests.RequestException) -> bool:
    """Whether a request that failed may still have reached the provider: yes unless no
    connection was ever made (refused, unreachable, connect timeout)."""
    if isinstance(error, requests.ConnectTimeout):
        return False
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return not isinstance(reason, NewConnectionError | ConnectTimeoutError)


class Sender(Protocol):
    channel: str  # recorded on the message, with the provider id the send returns

    def send(self, phone: str, body: str) -> str | None:
        """Send one text to an E.164 number; the provider's id for it (None if it has none)."""


class ConsoleSender:
    """Development: outgoing texts are written to the log instead of being sent."""

    channel = "console"

    @classmethod
    def from_config(cls, config: Mapping) -> ConsoleSender:
        return cls()

    def send(self, phone: str, body: str) -> str | None:
        log.warning("SMS (console backend, not sent) to %s: %s", masked(phone), body)
        return None


def sms_backend(config: Mapping) -> str:
    """The configured backend; unset means Twilio once its credentials are there."""
    chosen = config.get("SMS_BACKEND")
    if chosen:
        return str(chosen).strip().lower()
    if config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN"):
        return "twilio"
    return "console"


class NoChannelSender:
    """SMS_BACKEND=channels: texts go only through configured channels; one for a commune
    without any waits in the queue (and fails after the last attempt), visibly."""

    channel = "channels"

    @classmethod
    def from_config(cls, config: Mapping) -> NoChannelSender:
        return cls()

    def send(self, phone: str, body: str) -> str | None:
        raise SendError("no active SMS channel for this commune", code="no-channel", transient=True)
