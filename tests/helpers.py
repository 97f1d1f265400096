"""Helpers for HTTP tests."""

from __future__ import annotations

import re

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a rendered page."""
    match = _CSRF.search(html)
    if not match:
        raise AssertionError("no csrf_token field in the page")
    return match.group(1) or match.group(2)
