"""The inbox: every item newest first, filters in the query string, bulk actions, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import EDITORS, require_role, shown_name, shown_phone, visible_commune_ids
from admin.forms import PostForm
from admin.labels import channel_label, legal_type_label
from nghedan.database import reads_only
from nghedan.extensions import db
from nghedan.formatting import fmt_date, fmt_datetime
from nghedan.models import Item, User
from nghedan.models.items import CHANNELS, LEGAL_TYPES, OPEN_STATUSES, STATUSES
from nghedan.request_args import day_value, id_value
from nghedan.safe_redirect import safe_next
from nghedan.services.items import search, triage
from nghedan.services.items.status import status_label
from nghedan.services.reports.exports import safe_cell

# Query parameters that make up a bookmarkable filter.
FILTER_PARAMS = (
    "commune",
    "status",
    "channel",
    "category",
    "legal_type",
    "hamlet",
    "from",
    "to",
    "overdue",
    "flagged",
    "q",
)
BULK_ACTIONS = triage.BULK_ACTIONS


def _int(name: str) -> int | None:
    return id_value(request.args.get(name))


def _day(name: str) -> date | None:
    return day_value(request.args.get(name))


def _choice(name: str, allowed) -> str | None:
    value = request.args.get(name)
    return value if value in allowed else None


def cursor_value(raw: str | None) -> search.Cursor | None:
    """A page cursor from the query string (`Cursor.encode`'s form), else None."""
    stamp, _, row_id = (raw or "").partition("-")
    try:
        at = datetime.strptime(stamp, "%Y%m%d%H%M%S%f").replace(tzinfo=UTC)
    except ValueError:
        return None
    found = id_value(row_id)
    return search.Cursor(at, found) if found is not None else None


def current_filter() -> search.ItemFilter:
    """The filter described by the query string, limited to the communes the user sees."""
    visible = visible_commune_ids(current_user)
    commune = _int("commune")
    communes = (commune,) if commune in visible else tuple(visible)
    return search.ItemFilter(
        commune_ids=communes,
        status=_choice("status", STATUSES),
        channel=_choice("channel", CHANNELS),
        category_id=_int("category"),
        legal_type=_choice("legal_type", LEGAL_TYPES),
        hamlet_id=_int("hamlet"),
        date_from=_day("from"),
        date_to=_day("to"),
        overdue=request.args.get("overdue") == "1",
        flagged=request.args.get("flagged") == "1",
        q=(request.args.get("q") or "").strip() or None,
    )


def filter_args(**changes) -> dict:
    """The current filter's query parameters, with some changed (None removes one)."""
    args = {k: request.args[k] for k in FILTER_PARAMS if request.args.get(k)}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return args


@reads_only
@require_role()
def items():
    """The inbox page; a tracking code typed into the search opens that item."""
    f = current_filter()
    found = search.item_for_code(f.q, f.commune_ids)
    if found is not None:
        return redirect(url_for("admin.item", item_id=found.id))
    size = int(current_app.config["ADMIN_PAGE_SIZE"])
    result = search.page(
        f,
        after=cursor_value(request.args.get("after")),
        before=cursor_value(request.args.get("before")),
        size=size,
    )
    counts = search.status_counts(f)
    return render_template(
        "admin/items.html",
        page=result,
        counts=counts,
        total=sum(counts.values()),
        f=f,
        cap=search.COUNT_CAP,
        statuses=STATUSES,
        channels=CHANNELS,
        legal_types=LEGAL_TYPES,
        form=PostForm(),
        filter_args=filter_args,
        bulk_actions=BULK_ACTIONS,
        today=search.local_today(),
        open_statuses=OPEN_STATUSES,
        **search.menu_choices(visible_commune_ids(current_user), f.commune_ids),
    )


@require_role(*EDITORS)
def bulk():
    """Apply one action to the selected items it can apply to; name those skipped and why."""
    back = safe_next(request.form.get("back"), default=url_for("admin.items"))
    if not back.startswith(url_for("admin.items")):
        back = url_for("admin.items")
    ids = [i for i in map(id_value, request.form.getlist("ids")) if i is not None]
    action = request.form.get("action")
    if not ids or action not in BULK_ACTIONS:
        flash(_("Chọn ít nhất một ý kiến và một thao tác."), "error")
        return redirect(back)
    selected = _selected_items(ids)
    value = request.form.get(action, "").strip()
    result = triage.bulk(
        selected, action, number=id_value(value), text=value, user_id=current_user.id
    )
    if result.done:
        flash(_("Đã cập nhật %(n)s ý kiến.", n=len(result.done)), "ok")
    if result.skipped:
        flash(_skipped_message(result.skipped), "error")
    return redirect(back)


SKIPPED_SHOWN = 20


def _skipped_message(skipped: list) -> str:
    """Which items a bulk action left alone, and why (the first ones, then how many more)."""
    lines = [f"{item.tracking_code}: {reason}" for item, reason in skipped[:SKIPPED_SHOWN]]
    more = len(skipped) - SKIPPED_SHOWN
    if more > 0:
        lines.append(_("và %(n)s ý kiến khác", n=more))
    return _("Bỏ qua %(n)s ý kiến: %(list)s", n=len(skipped), list="; ".join(lines))


def _selected_items(ids: list[int]) -> list[Item]:
    visible = visible_commune_ids(current_user)
    found = search.items_by_ids(ids)
    if len(found) != len(set(ids)) or any(i.commune_id not in visible for i in found):
        abort(404)
    return found


CSV_COLUMNS = (
    "code",
    "created",
    "channel",
    "commune",
    "hamlet",
    "category",
    "legal_type",
    "status",
    "text",
    "phone",
    "name",
    "responsible",
    "due_date",
)


@reads_only
@require_role()
def items_csv():
    """The current filter as CSV (UTF-8 with BOM, so Excel shows Vietnamese), streamed.

    The first batch is read before the response starts, so a filter the database refuses
    fails here with its error page instead of cutting a download that began as a 200.
    """
    f = current_filter()
    user = current_user._get_current_object()
    headers = [
        _("Mã"),
        _("Thời gian"),
        _("Kênh"),
        _("Xã, phường"),
        _("Ấp, khóm"),
        _("Lĩnh vực"),
        _("Loại đơn"),
        _("Trạng thái"),
        _("Nội dung"),
        _("Điện thoại"),
        _("Người gửi"),
        _("Người phụ trách"),
        _("Hạn xử lý"),
    ]
    batches = search.row_batches(f)
    first = "\ufeff" + _csv_line(headers) + _csv_chunk(next(batches), user)
    user_id = user.id

    def rest():
        # One short read per batch, ended before the batch is sent: a slow download then
        # holds no transaction (no PostgreSQL snapshot, no SQLite read that keeps the WAL
        # from being checkpointed, no write lock should the view ever lose reads_only).
        db.session.rollback()
        yield first
        # The view's session is gone once streaming starts: load the user again.
        again = db.session.get(User, user_id)
        for items in batches:
            chunk = _csv_chunk(items, again)
            db.session.rollback()
            yield chunk

    response = Response(stream_with_context(rest()), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="y-kien.csv"'
    return response


def _csv_chunk(items: list[Item], user) -> str:
    return "".join(_csv_line(_csv_row(item, user)) for item in items)


def _csv_line(values) -> str:
    """One CSV line; every cell through exports.safe_cell (no formula, no control character)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(v) for v in values])
    return buffer.getvalue()


def _csv_row(item: Item, user) -> list[str]:
    return [
        item.tracking_code,
        fmt_datetime(item.created_at),
        channel_label(item.channel),
        item.commune.name,
        item.hamlet.name if item.hamlet else "",
        item.category.name if item.category else "",
        legal_type_label(item.legal_type),
        status_label(item.status),
        item.text,
        # A denunciation's sender never leaves in an export: views of it must be audited.
        "" if item.is_denunciation else shown_phone(user, item.contact_phone, item=item),
        "" if item.is_denunciation else shown_name(user, item.contact_name, item=item),
        item.responsible or "",
        fmt_date(item.due_date),
    ]
