"""The request boundary owns a refusal: a `DomainError` escaping a view rolls the request's
transaction back and is answered in one place, so views don't catch, roll back or commit.

How it is answered, first match wins:
- the view said how to show it again (`on_refusal(render)`: its form with the message,
  status 422), as a page that keeps what the user typed;
- a request that wants JSON (meeting mode's fetch) gets `{"error": …, "code": …}`, 422;
- otherwise the message is flashed and the browser goes back where it came from (our own
  pages only); with nowhere to go back to, the message is shown on a page of its own, 422.
A blueprint with its own format (Open311) registers its own `DomainError` handler, which
Flask prefers to this one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, flash, g, jsonify, redirect, render_template, request
from flask_babel import gettext as _

from nghedan.errors import DomainError
from nghedan.extensions import db
from nghedan.safe_redirect import safe_next

log = logging.getLogger(__name__)


def on_refusal(render: Callable[[DomainError], str]) -> None:
    """Within a view: how this request's form is shown again when the domain refuses it.

    `render(error)` returns the page (the form with what was typed and the message)."""
    g.on_refusal = render


def register_refusal_handler(app: Flask) -> None:
    app.register_error_handler(DomainError, answer_refusal)


def answer_refusal(error: DomainError):
    """Roll back, then answer the refusal as the request expects (see the module's doc)."""
    db.session.rollback()
    log.info("refused %s %s: %s", request.method, request.path, error.code)
    render = g.pop("on_refusal", None)
    if render is not None:
        return render(error), 422
    if _wants_json():
        return jsonify(error=error.message, code=error.code), 422
    back = _back()
    if back is None:  # nowhere to go back to: the message on a page of its own
        return render_template(
            "core/error.html", code=422, title=_("Không thực hiện được"), message=error.message
        ), 422
    flash(error.message, "error")
    return redirect(back)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json"


def _back() -> str | None:
    """Where the refused request came from: its referrer when that is another of our pages,
    else None (the message is shown on a page of its own: going to the same address again
    would loop for a GET, and is a 405 for a route that only takes a POST)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return None
    back = safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""), "")
    if not back or (request.method == "GET" and back == request.full_path.rstrip("?")):
        return None
    return back
