"""Every error under /open311/v2 is the spec's error list, in the format the path asks for.

Views refuse with `refuse(status, description)`; a service's refusal (`DomainError`) is rolled
back and answered as a 400 with its message; anything else that goes wrong (an unknown
address or method, a NUL byte in a field, a crash) is caught here and answered the same way,
never with an HTML page.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, MethodNotAllowed, default_exceptions

from nghedan.errors import DomainError
from nghedan.extensions import db
from open311 import formats


def requested_format() -> str:
    """`json` or `xml`, from the path's ending (`requests.xml`); JSON when it names neither."""
    fmt = (request.view_args or {}).get("fmt") or request.path.rpartition(".")[2]
    return fmt if fmt in formats.FORMATS else "json"


def refuse(status: int, description: str):
    """Stop the request with the spec's error list (raises)."""
    abort(formats.error(requested_format(), status, description))


def _description(status: int) -> str:
    return {
        400: _("Yêu cầu không hợp lệ."),
        403: _("Không có quyền thực hiện yêu cầu này."),
        404: _("Không có địa chỉ này trong Open311 GeoReport v2."),
        405: _("Phương thức này không dùng được ở địa chỉ này."),
        413: _("Dữ liệu gửi lên quá lớn."),
    }.get(status) or (
        _("Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.")
        if status >= 500
        else _("Yêu cầu không thực hiện được.")
    )


def answer(error: HTTPException) -> Response:
    """The error list for an HTTP error (its status kept; `Allow` kept for a 405)."""
    response = formats.error(requested_format(), error.code, _description(error.code))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def refused(error: DomainError) -> Response:
    """A service refused the request (the intake's checks): nothing written, the spec's 400."""
    db.session.rollback()
    return formats.error(requested_format(), 400, error.message)


def register(bp: Blueprint) -> None:
    """Errors of our views, and of addresses under our prefix that match no view."""
    prefixes: set[str] = set()

    @bp.record_once
    def _remember_prefix(state) -> None:
        prefixes.add((state.url_prefix or "").rstrip("/") + "/")

    # Flask prefers an app handler for the exact status to a blueprint handler for a class,
    # so ours is registered for each status the app's HTML pages could take.
    for status in default_exceptions:
        bp.register_error_handler(status, answer)
    bp.register_error_handler(DomainError, refused)  # preferred to the app's HTML answer

    @bp.before_app_request
    def _unrouted():
        # No view matched, so neither our error handler nor the request's blueprint applies;
        # Flask raises this routing error right after the before_request functions.
        error = request.routing_exception
        if (
            isinstance(error, HTTPException)
            and (error.code or 0) >= 400
            and (request.path + "/").startswith(tuple(prefixes))
        ):
            return answer(error)
        return None
