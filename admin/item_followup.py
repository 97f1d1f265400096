"""An item's follow-up from its page: progress notes, resolving with evidence, the evidence."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import EDITORS, chosen_commune, load_item, require_role
from admin.item_page import refused_form
from nghedan.models import ItemAttachment
from nghedan.refusals import on_refusal
from nghedan.services.dialogues import followup
from nghedan.services.items.evidence import Evidence, attachment_of


@require_role(*EDITORS)
def progress(item_id: int):
    """Add a progress note to the item's history."""
    item = load_item(item_id)
    on_refusal(refused_form(item_id))
    followup.add_progress_note(item, request.form.get("progress", ""), user_id=current_user.id)
    flash(_("Đã ghi tiến độ."), "ok")
    return redirect(url_for("admin.item", item_id=item_id))


@require_role(*EDITORS)
def resolve(item_id: int):
    """Close the item as resolved: what was done, and optionally a photo or document."""
    item = load_item(item_id)
    upload = request.files.get("evidence")
    evidence = (
        Evidence(upload.filename or "", upload.read())
        if upload is not None and upload.filename
        else None
    )
    on_refusal(refused_form(item_id))
    sent = followup.resolve(
        item, request.form.get("resolution", ""), evidence=evidence, user_id=current_user.id
    )
    flash(
        _("Đã ghi giải quyết xong.") + (" " + _("Đã báo %(n)s người dân.", n=sent) if sent else ""),
        "ok",
    )
    return redirect(url_for("admin.item", item_id=item_id))


@require_role()
def per_officer():
    """Items per responsible officer: still open, overdue, resolved."""
    commune = chosen_commune()
    return render_template(
        "admin/followup_officers.html", commune=commune, loads=followup.per_officer([commune.id])
    )


@require_role()
def evidence(item_id: int, attachment_id: int):
    """One attached file, downloaded as it was checked (never shown inline as HTML)."""
    item = load_item(item_id)
    attachment = attachment_of(item, attachment_id)
    if attachment is None:
        abort(404)
    response = Response(attachment.data, mimetype=attachment.content_type)
    response.headers["Content-Disposition"] = _disposition(attachment)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(attachment: ItemAttachment) -> str:
    inline = attachment.content_type.startswith("image/")
    return (
        "inline" if inline else "attachment"
    ) + f"; filename*=UTF-8''{quote(attachment.file_name)}"
