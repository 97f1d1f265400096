"""QR codes: inline SVG for pages (no image files, no external service) and text for terminals."""

from __future__ import annotations

import io
import ipaddress
import re
from urllib.parse import urlsplit

import qrcode
from flask import current_app, has_request_context, request
from flask_babel import gettext as _
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


def residents_base_url(base: str | None = None) -> str | None:
    """Where residents' phones open a link (the receipt's and the poster's QR codes):
    PUBLIC_BASE_URL, or None when it is unset or a loopback address no phone can reach."""
    base = base if base is not None else current_app.config.get("PUBLIC_BASE_URL")
    return None if why_no_qr(base) else base.rstrip("/")


def why_no_qr(base: str | None = None) -> str | None:
    """Why receipts and posters show no QR code (for the admin panel and `make run`), or None."""
    base = base if base is not None else current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return _(
            "Phiếu và áp phích không in mã QR vì chưa đặt PUBLIC_BASE_URL (địa chỉ công "
            "khai của hệ thống, ví dụ https://xa.example.vn): người dân tra cứu bằng "
            "tin nhắn."
        )
    if _is_loopback(urlsplit(base).hostname or ""):
        return _(
            "Phiếu và áp phích không in mã QR vì PUBLIC_BASE_URL (%(base)s) là địa chỉ của "
            "chính máy chủ, điện thoại của người dân không mở được: người dân tra cứu bằng "
            "tin nhắn.",
            base=base,
        )
    return None


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
