"""Officials listen to a spoken item and write what it says.

The recording is served only to a logged-in official who may see the item's commune; a
denunciation's recording is as confidential as its sender (`access.may_link_phone`): only
an admin hears it, and each time is audited, as the sender page is.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import EDITORS, load_item, may_link_phone, require_role, visible_or_404
from admin.item_page import page
from nghedan.models import Item
from nghedan.refusals import on_refusal
from nghedan.services.items.history import audit
from nghedan.services.items.recordings import (
    file_path,
    voice_attachment,
    write_summary,
)


def may_hear(item: Item) -> bool:
    """Whether the current official may play this item's recording."""
    return may_link_phone(current_user, item, audited=True)


@require_role()
def play(item_id: int):
    """The item's recording (ranges allowed, so the player can seek)."""
    item = visible_or_404(Item, item_id)
    recording = voice_attachment(item)
    if recording is None:
        abort(404)
    if not may_hear(item):
        abort(403)
    # One audit row per listening: the player's first request, not each later range of it.
    if item.is_denunciation and request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        audit(
            "item.denunciation_recording_played",
            user_id=current_user.id,
            commune_id=item.commune_id,
            object_type="item",
            object_id=item.id,
            remote_addr=request.remote_addr,
        )
    try:
        path = file_path(recording.storage_path)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=recording.content_type, conditional=True, etag=recording.sha256
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@require_role(*EDITORS)
def summarise(item_id: int):
    """Save the official's written summary of what the resident said."""
    item = visible_or_404(Item, item_id)
    on_refusal(lambda error: _page_again(item_id, error))
    write_summary(item, request.form.get("summary", ""), user_id=current_user.id)
    flash(_("Đã lưu tóm tắt ý kiến nói."), "ok")
    return redirect(url_for("admin.item", item_id=item.id) + "#spoken")


def _page_again(item_id: int, error) -> str:
    """The item page again with the refusal, the typed summary kept in its box."""
    flash(_("Không lưu được: %(reason)s", reason=error.message), "error")
    return page(load_item(item_id), values=request.form)
