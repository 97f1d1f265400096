"""The public page of an issued conclusion notice and its signed scan (no login).

The routing table is `_routes()` at the end; the views are plain functions above it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from nghedan.models import ConclusionNotice
from nghedan.services.dialogues import notice_issue as office

bp = Blueprint("notices", __name__)


def notice_lookup() -> dict:
    """`issued_notice_for(code)` in every template: an item's public page links its notice."""
    return {"issued_notice_for": office.issued_for_code}


def public_notice(notice_id: int):
    """An issued notice as residents read it, with the signed scan; drafts are not shown."""
    notice = office.issued_notice(notice_id)
    if notice is None:
        abort(404)
    return render_template(
        "core/notice.html",
        current=notice,
        notice=office.document(notice),
        replaced_by=office.replaced_by(notice),
    )


def public_scan(notice_id: int):
    """The signed and sealed scan, shown in the browser."""
    notice = office.issued_notice(notice_id)
    if notice is None or not notice.scan:
        abort(404)
    return scan_response(notice)


def scan_response(notice: ConclusionNotice) -> Response:
    """The scan as the browser shows it (inline), under a safe name, never sniffed."""
    ext = "pdf" if notice.scan_type == "application/pdf" else "jpg"
    return Response(
        notice.scan,
        headers={
            "Content-Type": notice.scan_type,
            "Content-Disposition": f'inline; filename="thong-bao-{notice.id}.{ext}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


def _routes() -> None:
    bp.app_context_processor(notice_lookup)
    rule = bp.add_url_rule
    rule("/thong-bao/<int:notice_id>", "public_notice", public_notice)
    rule("/thong-bao/<int:notice_id>/ban-ky", "public_scan", public_scan)


_routes()
