"""Routes of the core: health check, language switch, the front door; error pages.

The routing table is `_routes()` at the end; the views are plain functions above it."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError

from nghedan.database import database_answers
from nghedan.extensions import db
from nghedan.i18n import LANG_COOKIE
from nghedan.refusals import register_refusal_handler
from nghedan.safe_redirect import safe_next
from nghedan.services.health import sms_health

log = logging.getLogger(__name__)
bp = Blueprint("core", __name__)

ONE_YEAR = 365 * 24 * 3600


def healthz():
    """200 with JSON when the app and its database answer, 503 otherwise; with SMS detail."""
    ok = database_answers()
    body = {"status": "ok" if ok else "error", "database": "ok" if ok else "unavailable"}
    if ok:
        body["sms"] = sms_health()
    return jsonify(body), 200 if ok else 503


def set_language(code: str):
    """Switch the language and go back where the user was."""
    from flask import current_app

    target = safe_next(request.args.get("next"), default=url_for("core.index"))
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, code, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


def index():
    """The front door: links to the kiosk and the admin panel."""
    return render_template("core/index.html")


def register_error_handlers(app: Flask) -> None:
    register_refusal_handler(app)

    def page(code: int, title: str, message: str):
        return render_template("core/error.html", code=code, title=title, message=message), code

    @app.errorhandler(404)
    def not_found(_e):
        return page(404, _("Không tìm thấy trang"), _("Địa chỉ này không có trên hệ thống."))

    @app.errorhandler(400)
    def bad_request(_e):
        return page(
            400,
            _("Yêu cầu không hợp lệ"),
            _("Dữ liệu gửi lên không đọc được. Vui lòng kiểm tra lại rồi thử lại."),
        )

    @app.errorhandler(CSRFError)
    def csrf_failed(_e):
        return page(
            400,
            _("Phiên làm việc đã hết hạn"),
            _("Vui lòng tải lại trang rồi thử lại. Dữ liệu chưa được gửi."),
        )

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def value_out_of_range(e):
        # A number or date beyond what the database or a date computation holds, in a filter
        # or a form no route checked: the request's fault, never a 500. Views check theirs
        # (nghedan/request_args.py); this is the backstop, logged so it gets fixed there.
        db.session.rollback()
        log.warning("refused %s %s: %s", request.method, request.path, type(e).__name__)
        return page(
            400,
            _("Yêu cầu không hợp lệ"),
            _(
                "Có giá trị nằm ngoài phạm vi cho phép (số hoặc ngày quá lớn). "
                "Vui lòng kiểm tra lại."
            ),
        )

    @app.errorhandler(500)
    def server_error(_e):
        return page(
            500, _("Có lỗi xảy ra"), _("Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.")
        )


def _routes() -> None:
    rule = bp.add_url_rule
    rule("/healthz", "healthz", healthz)
    rule("/lang/<code>", "set_language", set_language)
    rule("/", "index", index)


_routes()
