"""Zalo Official Account (the commune's "Chính quyền điện tử" page on Zalo) as a channel.

In: Zalo calls `POST /zalo/webhook` with one event as JSON. `X-ZEvent-Signature` is
`mac=` + hex SHA-256 of app id + raw body + the body's `timestamp` + the OA's secret key
(a plain hash, not an HMAC: that is Zalo's scheme). Ids are read as strings: some clients
overflow 64-bit integers on them. Out: consultation messages (`/v3.0/oa/message/cs`) with
an access token; tokens expire within about a day and are renewed with a single-use
refresh token (`/v4/oa/access_token`).

API errors come back as HTTP 200 with a negative `error`: the ones that decide what to do
are named below; anything else is treated as permanent for that message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

SIGNATURE_HEADER = "X-ZEvent-Signature"
API_BASE_URL = "https://openapi.zalo.me"
OAUTH_BASE_URL = "https://oauth.zaloapp.com"
SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"

# Zalo's error codes that decide what happens to a message.
TOKEN_INVALID, TOKEN_EXPIRED = -216, -124
NOT_FOLLOWING = -213  # the user doesn't follow the OA (or blocked it)
OUTSIDE_WINDOW = -230  # no interaction recently enough for a consultation message
RATE_LIMITED = -32

# What a failed send means for the outbox.
TOKEN, WINDOW, BLOCKED, TRANSIENT, PERMANENT = (
    "token",
    "window",
    "blocked",
    "transient",
    "permanent",
)
_KIND_OF_CODE = {
    TOKEN_INVALID: TOKEN,
    TOKEN_EXPIRED: TOKEN,
    NOT_FOLLOWING: BLOCKED,
    OUTSIDE_WINDOW: WINDOW,
    RATE_LIMITED: TRANSIENT,
}

# Events the pipeline acts on; others are stored and ignored.
TEXT, IMAGE, FOLLOW, UNFOLLOW = "user_send_text", "user_send_image", "follow", "unfollow"


class ZaloError(Exception):
    """A Zalo API call that failed; `kind` says what the outbox should do about it."""

    def __init__(self, kind: str, code: int | None, message: str):
        super().__init__(f"{kind} ({code}): {message}")
        self.kind, self.code, self.message = kind, code, message


@dataclass(frozen=True)
class Event:
    """One webhook event, as much of it as the pipeline needs (ids kept as strings)."""

    name: str  # event_name
    user_id: str | None  # the resident (sender of user_* events, follower)
    oa_id: str | None
    msg_id: str | None
    text: str
    image_urls: tuple[str, ...]
    at: datetime | None


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds


def expected_signature(app_id: str, raw_body: bytes, timestamp: str, secret_key: str) -> str:
    """The signature Zalo puts in `X-ZEvent-Signature` for this body."""
    material = app_id.encode() + raw_body + timestamp.encode() + secret_key.encode()
    return "mac=" + hashlib.sha256(material).hexdigest()


def read_body(raw_body: bytes) -> dict:
    """The event as a dict with every number kept as its text (ValueError when not JSON)."""
    payload = json.loads(raw_body, parse_int=str, parse_float=str)
    if not isinstance(payload, dict):
        raise ValueError("a Zalo event is a JSON object")
    return payload


def signature_problem(
    signature: str | None,
    raw_body: bytes,
    payload: dict,
    *,
    app_id: str,
    secret_key: str,
    now: datetime,
    max_age_seconds: int,
) -> str | None:
    """Why a webhook request must be refused, or None when it is Zalo's and fresh."""
    if not signature:
        return "no signature"
    timestamp = str(payload.get("timestamp") or "")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 15:
        return "no readable timestamp"
    wanted = expected_signature(app_id, raw_body, timestamp, secret_key)
    if not hmac.compare_digest(wanted.encode(), signature.strip().encode()):
        return "wrong signature"
    sent = datetime.fromtimestamp(int(timestamp) / 1000, UTC)
    if abs((now - sent).total_seconds()) > max_age_seconds:
        return "stale timestamp"
    return None


def event_from(payload: dict) -> Event:
    """The parts of one event the pipeline reads (missing parts are empty, never an error)."""
    message = payload.get("message") if isinstance(payload.get("message"), dict) else {}
    name = str(payload.get("event_name") or "")
    user = _id_of(payload, "follower" if name in (FOLLOW, UNFOLLOW) else "sender")
    stamp = str(payload.get("timestamp") or "")
    at = datetime.fromtimestamp(int(stamp) / 1000, UTC) if stamp.isdigit() else None
    return Event(
        name=name,
        user_id=user,
        oa_id=_text(payload.get("oa_id")) or _id_of(payload, "recipient"),
        msg_id=_text(message.get("msg_id")),
        text=_text(message.get("text")) or "",
        image_urls=_image_urls(message),
        at=at,
    )


def _id_of(payload: dict, key: str) -> str | None:
    part = payload.get(key)
    return _text(part.get("id")) if isinstance(part, dict) else None


def _image_urls(message: dict) -> tuple[str, ...]:
    urls = []
    for attachment in message.get("attachments") or ():
        if isinstance(attachment, dict) and attachment.get("type") == "image":
            url = (attachment.get("payload") or {}).get("url")
            # kept as sent; the worker fetches only https links (zalo_media), and records others
            if isinstance(url, str) and url.startswith(("https://", "http://")):
                urls.append(url)
    return tuple(urls)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


class ZaloClient:
    """The OA API: consultation messages and token refresh, over `requests`."""

    def __init__(
        self,
        *,
        app_id: str,
        secret_key: str,
        api_base_url: str = API_BASE_URL,
        oauth_base_url: str = OAUTH_BASE_URL,
        timeout: float = 10,
    ):
        self.app_id, self.secret_key, self.timeout = app_id, secret_key, timeout
        self.api_base_url = api_base_url.rstrip("/")
        self.oauth_base_url = oauth_base_url.rstrip("/")

    def send_text(self, access_token: str, user_id: str, text: str) -> str:
        """Send one consultation message; Zalo's message id, or ZaloError."""
        body = self._call(
            "post",
            self.api_base_url + SEND_PATH,
            headers={"access_token": access_token},
            json={"recipient": {"user_id": user_id}, "message": {"text": text}},
        )
        return str((body.get("data") or {}).get("message_id") or "")

    def refresh(self, refresh_token: str) -> Tokens:
        """Spend the single-use refresh token for a new pair, or ZaloError."""
        body = self._call(
            "post",
            self.oauth_base_url + REFRESH_PATH,
            headers={"secret_key": self.secret_key},
            data={
                "refresh_token": refresh_token,
                "app_id": self.app_id,
                "grant_type": "refresh_token",
            },
        )
        try:
            return Tokens(
                access_token=str(body["access_token"]),
                refresh_token=str(body["refresh_token"]),
                expires_in=int(body.get("expires_in") or 3600),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ZaloError(PERMANENT, None, f"unreadable token answer: {e}") from e

    def _call(self, method: str, url: str, **kwargs) -> dict:
        try:
            response = requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as e:
            raise ZaloError(TRANSIENT, None, type(e).__name__) from e
        if response.status_code >= 500 or response.status_code == 429:
            raise ZaloError(TRANSIENT, None, f"HTTP {response.status_code}")
        try:
            body = response.json(parse_int=str)
        except ValueError as e:
            raise ZaloError(TRANSIENT, None, f"HTTP {response.status_code}, not JSON") from e
        if not isinstance(body, dict):
            raise ZaloError(PERMANENT, None, "unexpected answer")
        code = int(body.get("error") or 0)
        if code != 0 or response.status_code >= 400:
            kind = _KIND_OF_CODE.get(code, PERMANENT)
            raise ZaloError(kind, code, str(body.get("message") or body.get("error_name") or ""))
        return body
