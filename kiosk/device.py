"""Which kiosk a browser is: the long-lived device cookie, and per-screen idempotency keys."""

from __future__ import annotations

import re
import secrets

from flask import current_app, g, render_template, request, session
from werkzeug.exceptions import BadRequest

from nghedan.models import Kiosk
from nghedan.services.people.kiosks import kiosk_for_device, mark_seen

DEVICE_COOKIE = "nghedan_kiosk"
COOKIE_MAX_AGE = 10 * 365 * 24 * 3600  # a kiosk stays enrolled until it is revoked
# Endpoints an unenrolled browser may reach.
OPEN_ENDPOINTS = {"kiosk.enroll", "kiosk.static"}
_SCREEN_KEY = re.compile(r"^[0-9a-f]{32}$")


def current_kiosk() -> Kiosk:
    return g.kiosk


def require_enrolled_kiosk():
    """Before every kiosk request: only an enrolled, unrevoked browser gets past here."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    kiosk = kiosk_for_device(request.cookies.get(DEVICE_COOKIE))
    if kiosk is None:
        return render_template("kiosk/not_set_up.html"), 403
    g.kiosk = kiosk
    mark_seen(kiosk)
    # The CSRF token lives in the session: keep it for weeks, renewed on every request, so a
    # screen left open never meets "session expired".
    session.permanent = True
    return None


def set_device_cookie(response, device_token: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        device_token,
        max_age=COOKIE_MAX_AGE,
        path="/kiosk",
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


def new_screen_key() -> str:
    """A fresh idempotency key for one rendering of a screen."""
    return secrets.token_hex(16)


def client_key(raw: str | None) -> str:
    """The key stored with a rating or item: this kiosk's, so kiosks can never collide."""
    if not raw or not _SCREEN_KEY.match(raw):
        raise BadRequest("missing or malformed screen key")
    return f"kiosk{current_kiosk().id}-{raw}"
