"""The SMS log: every text in and out of the user's communes, newest first
(nghedan.services.sms.log).

Filters are query parameters (bookmarkable); pages are keyset-paginated on the message id
(`after=` older, `before=` newer). A failed outgoing text can be sent again: a copy is
queued through the outbox, and the resend is audited.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import (
    ANY_ROLE,
    EDITORS,
    may_link_message,
    require_role,
    shown_phone,
    visible_commune_ids,
    visible_or_404,
)
from admin.forms import PostForm
from nghedan.models import Message
from nghedan.request_args import day_value, id_value
from nghedan.services.items.confidential import tied_denunciations
from nghedan.services.sms import log as sms_log

FILTER_NAMES = ("direction", "status", "flagged", "failed", "channel", "from", "to")


def _cursor(name: str) -> int | None:
    return id_value(request.args.get(name))


def filter_args() -> dict:
    """The current filters, to carry into the pager's links."""
    return {k: request.args[k] for k in FILTER_NAMES if request.args.get(k)}


def _wanted() -> sms_log.LogFilter:
    args = request.args
    return sms_log.LogFilter(
        direction=args.get("direction"),
        status=args.get("status"),
        channel=args.get("channel"),
        flagged=args.get("flagged") == "1",
        failed=args.get("failed") == "1",
        start=day_value(args.get("from")),
        end=day_value(args.get("to")),
    )


def phone_shower(messages: list[Message]):
    """The residents' phones of these texts as the current user may see them in the log.

    A text tied to a denunciation (its own texts, replies about it, a later `TT <its code>`)
    shows no phone to any role here: admins see the sender on the item's audited page.
    """
    user = current_user._get_current_object()
    tied = tied_denunciations(messages)

    def phone_of(message: Message) -> str:
        if not may_link_message(user, tied.get(message.id, [])):
            return "•••"
        return shown_phone(user, message.phone)

    return phone_of


@require_role(*ANY_ROLE)
def index():
    commune_ids = visible_commune_ids(current_user)
    page = sms_log.log_page(commune_ids, _wanted(), _cursor("after"), _cursor("before"))
    return render_template(
        "admin/sms_log.html",
        page=page,
        phone_of=phone_shower(page.messages),
        filter_args=filter_args,
        channels=sms_log.channels_used(commune_ids),
        statuses=sms_log.STATUSES,
        failed_statuses=sms_log.FAILED_STATUSES,
        form=PostForm(),
        can_resend=current_user.role in EDITORS,
    )


@require_role(*EDITORS)
def resend(message_id: int):
    """Queue a copy of a failed outgoing text (the original stays as it was)."""
    original = visible_or_404(Message, message_id)
    if not PostForm().validate_on_submit():
        abort(400)
    back = url_for("admin.sms_log", **filter_args())
    if not sms_log.may_resend(original):
        flash(_("Chỉ gửi lại được tin nhắn gửi đi bị lỗi."), "error")
        return redirect(back)
    if sms_log.resend(original, user_id=current_user.id, remote_addr=request.remote_addr) is None:
        flash(_("Số điện thoại này đã từ chối nhận tin nhắn."), "error")
        return redirect(back)
    flash(_("Đã xếp tin nhắn vào hàng chờ gửi lại."), "ok")
    return redirect(back)
