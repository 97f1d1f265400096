"""Reports pages: satisfaction with officers, dialogue activity, and their exports."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from admin import activity_tables
from admin.access import officer_among, require_role, visible_commune_ids
from admin.labels import channel_label, legal_type_label
from nghedan.database import reads_only
from nghedan.formatting import local
from nghedan.models import Officer, utcnow
from nghedan.request_args import day_value, id_value
from nghedan.services.people import places
from nghedan.services.reports import activity as report_activity
from nghedan.services.reports import alerts as report_alerts
from nghedan.services.reports import dialogues as report_dialogues
from nghedan.services.reports import exports
from nghedan.services.reports import satisfaction as reports
from nghedan.services.reports import summary as report_summary
from nghedan.services.reports.exports import Column, Table

RATING_CHANNELS = ("kiosk", "sms", "zalo")


def score_labels() -> dict[int, str]:
    return {1: _("Rất hài lòng"), 2: _("Hài lòng"), 3: _("Bình thường"), 4: _("Không hài lòng")}


def reason_labels() -> dict[str, str]:
    return {
        "attitude": _("Thái độ chưa tốt"),
        "slow": _("Chậm trễ"),
        "unclear_guidance": _("Hướng dẫn chưa rõ"),
        "extra_papers": _("Yêu cầu giấy tờ ngoài quy định"),
        "harassment": _("Gây phiền hà"),
    }


# --- what the query string asks for ------------------------------------------------------


def _day(name: str) -> date | None:
    return day_value(request.args.get(name))


def chosen_period() -> reports.Period:
    """`from`/`to` (ISO days), else `quarter=2026-Q4`, else the current quarter."""
    start, end = _day("from"), _day("to")
    if start and end and start <= end and (end - start).days <= 3660:
        return reports.Period(start, end)
    year, _sep, q = request.args.get("quarter", "").partition("-Q")
    if (
        year.isascii()
        and year.isdigit()
        and q in ("1", "2", "3", "4")
        and 2000 <= int(year) <= 2100
    ):
        return reports.quarter_of(date(int(year), 3 * int(q) - 2, 1))
    return reports.quarter_of(local(utcnow()).date())


def chosen_communes() -> list[int]:
    """The communes the report covers: one chosen, or all the user may see."""
    visible = visible_commune_ids(current_user)
    wanted = id_value(request.args.get("commune"))
    return [wanted] if wanted in visible else visible


def _choice(name: str, allowed, default=None):
    value = request.args.get(name)
    return value if value in allowed else default


def chosen_officer(commune_ids: list[int]) -> Officer | None:
    return officer_among(id_value(request.args.get("officer")), commune_ids)


def quarter_choices(today: date | None = None, count: int = 8) -> list[tuple[str, str]]:
    """The last `count` quarters, newest first, as (value, label)."""
    today = today or local(utcnow()).date()
    year, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(count):
        period = reports.quarter_of(date(year, 3 * q - 2, 1))
        out.append((f"{year}-Q{q}", report_summary.period_label(period)))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out


def _base_args() -> dict:
    keys = ("from", "to", "quarter", "commune", "channel", "group", "unit", "officer")
    return {k: request.args[k] for k in keys if request.args.get(k)}


def _page_context(commune_ids: list[int]) -> dict:
    communes = places.communes_by_name(visible_commune_ids(current_user))
    return dict(
        period=chosen_period(),
        communes=communes,
        quarters=quarter_choices(),
        base_args=_base_args(),
        many=len(commune_ids) > 1,
        all_officers_args={k: v for k, v in _base_args().items() if k != "officer"},
        period_label=report_summary.period_label(chosen_period()),
    )


# --- satisfaction ------------------------------------------------------------------------


@reads_only
@require_role()
def index():
    return redirect(url_for("admin.reports_satisfaction"))


@reads_only
@require_role()
def satisfaction():
    """Counts per level, index, trend, reasons and comments over a period."""
    ids = chosen_communes()
    period = chosen_period()
    channel = _choice("channel", RATING_CHANNELS)
    group = _choice("group", reports.GROUPS, "officer")
    unit = _choice("unit", reports.TREND_UNITS, "month")
    officer = chosen_officer(ids)
    rows = reports.satisfaction(ids, period, group=group, channel=channel)
    scope = dict(officer_id=officer.id if officer else None, channel=channel)
    trend = reports.rating_trend(ids, period, unit=unit, **scope)
    return render_template(
        "admin/reports/satisfaction.html",
        rows=rows,
        total=reports.total_levels(rows),
        group=group,
        unit=unit,
        channel=channel,
        officer=officer,
        trend=trend,
        trend_chart=_trend_chart(trend, unit),
        reasons=reports.reason_counts(ids, period, **scope),
        comments=reports.rating_comments(ids, period, **scope),
        score_labels=score_labels(),
        reason_labels=reason_labels(),
        alerts=report_alerts.satisfaction_alerts(ids),
        minimum=reports.MIN_RATINGS,
        **_page_context(ids),
    )


def _trend_chart(trend: list[reports.TrendPoint], unit: str) -> dict:
    """What charts.js draws: stacked counts per level and the index line."""
    labels = score_labels()
    fmt = "%d/%m" if unit == "week" else "%m/%Y"
    return {
        "kind": "trend",
        "labels": [p.bucket.strftime(fmt) for p in trend],
        "levels": [
            {"label": labels[s], "data": [p.levels.counts[s - 1] for p in trend]}
            for s in (1, 2, 3, 4)
        ],
        "index": {
            "label": _("Chỉ số hài lòng (%)"),
            "data": [
                None if p.levels.index is None else round(p.levels.index * 100, 1) for p in trend
            ],
        },
    }


def alerts_for_current_user() -> list[report_alerts.Alert]:
    """Satisfaction alerts for the communes the user sees (a template global for the home)."""
    if not current_user.is_authenticated:
        return []
    return report_alerts.satisfaction_alerts(visible_commune_ids(current_user))


# --- activity ----------------------------------------------------------------------------


@reads_only
@require_role()
def activity():
    """Dialogues, attendance, notices, items and the summary paragraph, per commune."""
    ids = chosen_communes()
    period = chosen_period()
    tally = report_activity.item_tally(ids, period)
    rows = report_activity.activity(ids, period, tally=tally)
    breakdowns = {by: _labelled_breakdown(tally, by) for by in report_activity.BREAKDOWNS}
    return render_template(
        "admin/reports/activity.html",
        rows=rows,
        total=report_activity.activity_total(rows),
        breakdowns=breakdowns,
        summary=report_summary.quarterly_summary(ids, period, rows=rows),
        charts={
            by: {"kind": "bars", "labels": [k for k, _n in pairs], "data": [n for _k, n in pairs]}
            for by, pairs in breakdowns.items()
        },
        register_columns=activity_tables.register_columns(),
        register_cells=activity_tables.register_cells,
        deadline_days=report_dialogues.notice_deadline_days(),
        **_page_context(ids),
    )


def _labelled_breakdown(tally: report_activity.ItemTally, by: str) -> list[tuple[str, int]]:
    pairs = tally.breakdown(by)
    if by == "channel":
        return [(channel_label(k), n) for k, n in pairs]
    if by == "legal_type":
        return [(legal_type_label(k), n) for k, n in pairs]
    unknown = _("Chưa rõ ấp, khóm") if by == "hamlet" else _("Chưa phân loại")
    return [(k or unknown, n) for k, n in pairs]


# --- exports -----------------------------------------------------------------------------


@reads_only
@require_role()
def satisfaction_export(fmt: str):
    ids, period = chosen_communes(), chosen_period()
    channel = _choice("channel", RATING_CHANNELS)
    officer = chosen_officer(ids)
    scope = dict(officer_id=officer.id if officer else None, channel=channel)
    name = request.args.get("table", "officer")
    if name in reports.GROUPS:
        table = _satisfaction_table(
            reports.satisfaction(ids, period, group=name, channel=channel), name, period
        )
    elif name == "trend":
        unit = _choice("unit", reports.TREND_UNITS, "month")
        table = _trend_table(reports.rating_trend(ids, period, unit=unit, **scope), period)
    elif name == "reasons":
        table = _reasons_table(reports.reason_counts(ids, period, **scope), period)
    elif name == "comments":
        table = _comments_table(
            reports.rating_comments(ids, period, limit=100_000, **scope), period
        )
    else:
        abort(404)
    return stream(table, fmt)


@reads_only
@require_role()
def activity_export(fmt: str):
    ids, period = chosen_communes(), chosen_period()
    name = request.args.get("table", "communes")
    if name == "communes":
        table = activity_tables.activity_table(report_activity.activity(ids, period), _stem(period))
    elif name in report_activity.BREAKDOWNS:
        table = Table(
            f"hoat-dong-{name}-{_stem(period)}",
            _("Ý kiến theo nhóm"),
            (Column(_("Nhóm")), Column(_("Số ý kiến"), "int")),
            _labelled_breakdown(report_activity.item_tally(ids, period), name),
        )
    elif name in ("register", "voters"):
        table = activity_tables.register_table(
            report_dialogues.register(ids, period), name, _stem(period)
        )
    elif name == "hamlets":
        missing = report_activity.hamlets_without_dialogue(ids, period)
        communes = places.commune_names()
        table = Table(
            f"ap-chua-doi-thoai-{_stem(period)}",
            _("Ấp chưa đối thoại"),
            (Column(_("Xã, phường")), Column(_("Ấp, khóm"))),
            [(communes[c], h) for c, names in missing.items() for h in names],
        )
    else:
        abort(404)
    return stream(table, fmt)


def stream(table: Table, fmt: str) -> Response:
    """Send a table as it is produced (a long export never waits to be complete)."""
    if fmt not in exports.FORMATS:
        abort(404)
    response = Response(
        stream_with_context(exports.chunks(table, fmt)), content_type=exports.CONTENT_TYPES[fmt]
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(table, fmt)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _stem(period: reports.Period) -> str:
    if reports.is_quarter(period):
        return f"{period.start.year}-q{reports.quarter_number(period)}"
    return f"{period.start.isoformat()}-{period.end.isoformat()}"


def _level_columns() -> tuple[Column, ...]:
    return tuple(Column(label, "int") for label in score_labels().values()) + (
        Column(_("Tổng số"), "int"),
        Column(_("Chỉ số hài lòng"), "percent"),
    )


def _levels_cells(levels: reports.Levels) -> tuple:
    index = levels.index if levels.index is not None else _("Chưa đủ đánh giá")
    return (*levels.counts, levels.total, index)


def _satisfaction_table(rows, group: str, period) -> Table:
    first = {"officer": _("Cán bộ"), "desk": _("Quầy"), "commune": _("Xã, phường")}[group]
    return Table(
        f"hai-long-{group}-{_stem(period)}",
        _("Mức độ hài lòng"),
        (Column(first), Column(_("Chức vụ, quầy")), Column(_("Xã, phường"))) + _level_columns(),
        [(r.label, r.detail, r.commune, *_levels_cells(r.levels)) for r in rows],
    )


def _trend_table(trend, period) -> Table:
    return Table(
        f"hai-long-xu-huong-{_stem(period)}",
        _("Xu hướng hài lòng"),
        (Column(_("Từ ngày"), "date"),) + _level_columns(),
        [(p.bucket, *_levels_cells(p.levels)) for p in trend],
    )


def _reasons_table(pairs, period) -> Table:
    labels = reason_labels()
    return Table(
        f"hai-long-ly-do-{_stem(period)}",
        _("Lý do chưa hài lòng"),
        (Column(_("Lý do")), Column(_("Số lần"), "int")),
        [(labels.get(k, k), n) for k, n in pairs],
    )


def _comments_table(comments, period) -> Table:
    labels = score_labels()
    return Table(
        f"hai-long-gop-y-{_stem(period)}",
        _("Góp ý kèm đánh giá"),
        (
            Column(_("Thời gian"), "datetime"),
            Column(_("Cán bộ")),
            Column(_("Mức")),
            Column(_("Kênh")),
            Column(_("Góp ý")),
        ),
        [(c.at, c.officer, labels[c.score], channel_label(c.channel), c.comment) for c in comments],
    )


def export_url(endpoint: str, fmt: str, table: str) -> str:
    """The export link of a table, keeping the page's filters."""
    return url_for(endpoint, fmt=fmt, table=table, **_base_args())
