"""The SMS log: every text in and out of the user's communes, newest first.

Filters are query parameters (bookmarkable); pages are keyset-paginated on the message id
(`after=` older, `before=` newer). A failed outgoing text can be sent again: a copy is
queued through the outbox, and the resend is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from admin.access import (
    ANY_ROLE,
    EDITORS,
    may_link_message,
    require_role,
    shown_phone,
    visible_commune_ids,
)
from admin.forms import PostForm
from nghedan.extensions import db
from nghedan.models import Message
from nghedan.models.messages import IN_STATUSES, OUT_STATUSES
from nghedan.request_args import day_value, id_value
from nghedan.services.items.confidential import tied_denunciations
from nghedan.services.items.history import audit
from nghedan.services.items.search import local_day_start
from nghedan.services.sms.outbox import queue_sms

PAGE_SIZE = 50
FAILED_STATUSES = ("failed", "undelivered")
FILTER_NAMES = ("direction", "status", "flagged", "failed", "channel", "from", "to")


@dataclass(frozen=True)
class LogPage:
    messages: list[Message]
    newer: int | None  # cursor for the newer page (`before=`), None on the first page
    older: int | None  # cursor for the older page (`after=`), None on the last page


def _day(name: str) -> date | None:
    return day_value(request.args.get(name))


def _cursor(name: str) -> int | None:
    return id_value(request.args.get(name))


def filter_args() -> dict:
    """The current filters, to carry into the pager's links."""
    return {k: request.args[k] for k in FILTER_NAMES if request.args.get(k)}


def _filtered(commune_ids: list[int]) -> Select:
    query = select(Message).where(Message.commune_id.in_(commune_ids))
    args = request.args
    if args.get("direction") in ("in", "out"):
        query = query.where(Message.direction == args["direction"])
    if args.get("status") in OUT_STATUSES + IN_STATUSES:
        query = query.where(Message.status == args["status"])
    if args.get("channel"):
        query = query.where(Message.channel == args["channel"][:20])
    if args.get("flagged") == "1":
        query = query.where(Message.flagged.is_(True))
    if args.get("failed") == "1":
        query = query.where(Message.direction == "out", Message.status.in_(FAILED_STATUSES))
    if (start := _day("from")) is not None:
        query = query.where(Message.created_at >= local_day_start(start))
    if (end := _day("to")) is not None:
        query = query.where(Message.created_at < local_day_start(end + timedelta(days=1)))
    return query


def log_page(commune_ids: list[int], after: int | None, before: int | None) -> LogPage:
    """One page of the filtered log, newest first, by keyset on the id."""
    query = _filtered(commune_ids).options(selectinload(Message.item))
    if before is not None:
        rows = list(
            db.session.scalars(
                query.where(Message.id > before).order_by(Message.id.asc()).limit(PAGE_SIZE + 1)
            )
        )
        has_newer = len(rows) > PAGE_SIZE
        rows = list(reversed(rows[:PAGE_SIZE]))
        return LogPage(
            rows, rows[0].id if rows and has_newer else None, rows[-1].id if rows else None
        )
    if after is not None:
        query = query.where(Message.id < after)
    rows = list(db.session.scalars(query.order_by(Message.id.desc()).limit(PAGE_SIZE + 1)))
    has_older = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return LogPage(
        rows,
        rows[0].id if rows and after is not None else None,
        rows[-1].id if rows and has_older else None,
    )


def _channels(commune_ids: list[int]) -> list[str]:
    return list(
        db.session.scalars(
            select(Message.channel)
            .distinct()
            .where(Message.commune_id.in_(commune_ids))
            .order_by(Message.channel)
        )
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
    page = log_page(commune_ids, _cursor("after"), _cursor("before"))
    return render_template(
        "admin/sms_log.html",
        page=page,
        phone_of=phone_shower(page.messages),
        filter_args=filter_args,
        channels=_channels(commune_ids),
        statuses=OUT_STATUSES + IN_STATUSES,
        failed_statuses=FAILED_STATUSES,
        form=PostForm(),
        can_resend=current_user.role in EDITORS,
    )


@require_role(*EDITORS)
def resend(message_id: int):
    """Queue a copy of a failed outgoing text (the original stays as it was)."""
    original = db.session.get(Message, message_id)
    if original is None or original.commune_id not in visible_commune_ids(current_user):
        abort(404)
    if not PostForm().validate_on_submit():
        abort(400)
    back = url_for("admin.sms_log", **filter_args())
    if original.direction != "out" or original.status not in FAILED_STATUSES:
        flash(_("Chỉ gửi lại được tin nhắn gửi đi bị lỗi."), "error")
        return redirect(back)
    copy = queue_sms(
        original.phone,
        original.body,
        kind=original.kind,
        commune_id=original.commune_id,
        item_id=original.item_id,
    )
    if copy is None:
        flash(_("Số điện thoại này đã từ chối nhận tin nhắn."), "error")
        return redirect(back)
    db.session.flush()
    audit(
        "sms.resent",
        user_id=current_user.id,
        commune_id=original.commune_id,
        object_type="message",
        object_id=original.id,
        remote_addr=request.remote_addr,
        detail={"copy_id": copy.id},
    )
    flash(_("Đã xếp tin nhắn vào hàng chờ gửi lại."), "ok")
    return redirect(back)
