"""The public page of an issued conclusion notice and its signed scan (no login)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from nghedan.models import ConclusionNotice
from nghedan.services.dialogues import notice_issue as office

bp = Blueprint("notices", __name__)


@bp.app_context_processor
def _notice_lookup() -> dict:
    """`issued_notice_for(code)` in every template: an item's public page links its notice."""
    return {"issued_notice_for": office.issued_for_code}


@bp.get("/thong-bao/<int:notice_id>")
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


@bp.get("/thong-bao/<int:notice_id>/ban-ky")
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
