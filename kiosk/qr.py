"""QR codes: inline SVG for pages (no image files, no external service) and text for terminals."""

from __future__ import annotations

import io
import re

import qrcode
from flask import current_app, has_request_context, request
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

_SIZE_ATTRIBUTES = re.compile(r'\s(width|height)="[^"]*"')
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def svg(data: str, label: str) -> Markup:
    """An inline <svg> of `data`, sized by CSS; `label` is read out by screen readers."""
    image = qrcode.make(data, image_factory=SvgPathImage, border=2)
    text = image.to_string(encoding="unicode")
    text = re.sub(r"^<\?xml[^>]*>\s*", "", text)
    opening_end = text.index(">")
    opening = _SIZE_ATTRIBUTES.sub("", text[:opening_end])
    opening += f' class="qr" role="img" aria-label="{Markup.escape(label)}"'
    # Our own generated markup (a URL of digits), never resident text.
    return Markup(opening + text[opening_end:])


def terminal(data: str) -> str:
    """The QR code drawn with block characters, for `nghedan kiosk add`."""
    code = qrcode.QRCode(border=1)
    code.add_data(data)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def public_base_url() -> str:
    """Where residents reach this service: PUBLIC_BASE_URL, else the address of the request."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        base = request.host_url
    return (base or DEFAULT_BASE_URL).rstrip("/")
