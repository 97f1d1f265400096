"""Security headers on every response: CSP, frame denial, HSTS behind TLS."""

from __future__ import annotations

from flask import Flask, Response, abort, request

# Scripts only from our own static files (no inline <script>, no onclick=); styles may be
# inline attributes; images may be data: URLs (QR codes, avatars); sound may be a blob: URL
# (the kiosk plays back a recording before it is sent, the admin records a prompt).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


# Blueprints whose provider webhooks keep such texts (a NUL is replaced, the text is stored).
NUL_TOLERANT_BLUEPRINTS = {"sms"}


def _has_nul(pairs) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def refuse_nul_bytes() -> None:
    """A NUL in a query or form field is never something a person typed: 400, not a crash.

    PostgreSQL text cannot hold NUL, so without this a crafted URL reaches the database as a
    server error.
    """
    if request.blueprint in NUL_TOLERANT_BLUEPRINTS or request.routing_exception is not None:
        return  # an address no view answers is refused by routing (and Open311 answers it)
    if _has_nul(request.args.items(multi=True)) or (
        request.method in ("POST", "PUT", "PATCH") and _has_nul(request.form.items(multi=True))
    ):
        abort(400)


def register_security_headers(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
