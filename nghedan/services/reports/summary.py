"""The summary paragraph communes paste into their quarterly and yearly reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from nghedan.extensions import db
from nghedan.formatting import fmt_date, fmt_number, fmt_percent
from nghedan.models import Commune
from nghedan.services.people import places
from nghedan.services.reports import activity as report_activity
from nghedan.services.reports import dialogues as report_dialogues
from nghedan.services.reports import satisfaction as reports

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Summary:
    period: reports.Period
    activity: report_activity.CommuneActivity
    answered_at_dialogues: int
    satisfaction: reports.Levels
    text: str


def period_label(period: reports.Period) -> str:
    """`Quý IV năm 2026`, or `Từ ngày 01/10/2026 đến ngày 23/11/2026`."""
    if reports.is_quarter(period):
        return _(
            "Quý %(q)s năm %(year)s",
            q=ROMAN[reports.quarter_number(period)],
            year=period.start.year,
        )
    return _(
        "Từ ngày %(start)s đến ngày %(end)s", start=fmt_date(period.start), end=fmt_date(period.end)
    )


def commune_label(commune: Commune) -> str:
    """`xã Tân Thạnh`, `phường Mỹ Hòa`, `đặc khu Côn Đảo`."""
    return f"{places.kind_label(commune)} {commune.name}"


def _scope_label(commune_ids) -> str:
    communes = db.session.scalars(select(Commune).where(Commune.id.in_(list(commune_ids)))).all()
    if len(communes) == 1:
        return commune_label(communes[0])
    return _("%(n)s xã, phường", n=fmt_number(len(communes)))


def quarterly_summary(
    commune_ids,
    period: reports.Period,
    now: datetime | None = None,
    rows: list[report_activity.CommuneActivity] | None = None,
) -> Summary:
    """The figures communes report upward, and the sentence that reports them.

    `rows` are the period's activity rows when the caller has them already.
    """
    if rows is None:
        rows = report_activity.activity(commune_ids, period, now)
    total = report_activity.activity_total(rows)
    levels = reports.total_levels(reports.satisfaction(commune_ids, period, group="commune"))
    text = " ".join(
        filter(
            None,
            (
                _dialogue_sentence(commune_ids, period, total.dialogues),
                _opinion_sentence(total.dialogues),
                _notice_sentence(total.dialogues),
                _voters_sentence(total.voters),
                _item_sentence(total.items),
                _satisfaction_sentence(levels),
            ),
        )
    )
    return Summary(period, total, total.dialogues.answered, levels, text)


def _dialogue_sentence(commune_ids, period, d: report_dialogues.DialogueFigures) -> str:
    if not d.planned:
        return _(
            "%(period)s, %(scope)s không có cuộc đối thoại nào trong kế hoạch.",
            period=period_label(period),
            scope=_scope_label(commune_ids),
        )
    text = _(
        "%(period)s, %(scope)s đã tổ chức %(held)s trong %(planned)s cuộc đối thoại theo "
        "kế hoạch, %(people)s lượt người tham dự.",
        period=period_label(period),
        scope=_scope_label(commune_ids),
        held=fmt_number(d.held),
        planned=fmt_number(d.planned),
        people=fmt_number(d.attendance),
    )
    parts = []
    if d.overdue:
        parts.append(_("%(n)s cuộc đã quá ngày nhưng chưa tổ chức", n=fmt_number(d.overdue)))
    if d.cancelled:
        parts.append(_("%(n)s cuộc đã hủy", n=fmt_number(d.cancelled)))
    if d.pending:
        parts.append(_("%(n)s cuộc chưa đến ngày", n=fmt_number(d.pending)))
    if parts:
        text += " " + _("Trong đó: %(parts)s.", parts="; ".join(parts))
    return text


def _opinion_sentence(d: report_dialogues.DialogueFigures) -> str:
    if not d.held:
        return ""
    return _(
        "Tại các buổi đối thoại có %(opinions)s ý kiến được nêu: %(spot)s ý kiến được trả "
        "lời ngay tại buổi đối thoại, %(resolve)s ý kiến xã tiếp tục giải quyết, "
        "%(escalated)s ý kiến kiến nghị cấp trên.",
        opinions=fmt_number(d.opinions),
        spot=fmt_number(d.on_the_spot),
        resolve=fmt_number(d.to_resolve),
        escalated=fmt_number(d.escalated),
    )


def _notice_sentence(d: report_dialogues.DialogueFigures) -> str:
    if not d.held:
        return ""
    text = _(
        "Thông báo kết luận: %(on_time)s ban hành đúng hạn, %(late)s ban hành trễ hạn, "
        "%(missing)s quá hạn chưa ban hành.",
        on_time=fmt_number(d.notices_on_time),
        late=fmt_number(d.notices_late),
        missing=fmt_number(d.notices_missing),
    )
    if d.notices_not_due:
        text += " " + _(
            "%(n)s cuộc còn trong thời hạn ban hành thông báo.", n=fmt_number(d.notices_not_due)
        )
    return text


def _voters_sentence(v: report_dialogues.DialogueFigures) -> str:
    if not v.planned:
        return ""
    return _(
        "Ngoài ra có %(held)s buổi tiếp xúc cử tri (%(people)s lượt người), không tính vào "
        "số liệu đối thoại.",
        held=fmt_number(v.held),
        people=fmt_number(v.attendance),
    )


def _item_sentence(items: report_activity.ItemFigures) -> str:
    if not items.received:
        return _("Trong kỳ không tiếp nhận ý kiến, kiến nghị nào.")
    text = _(
        "Tiếp nhận %(received)s ý kiến, kiến nghị của người dân; đã trả lời %(answered)s "
        "ý kiến (đạt %(share)s), trong đó %(on_time)s ý kiến được trả lời đúng hạn.",
        received=fmt_number(items.received),
        answered=fmt_number(items.answered),
        share=fmt_percent(items.share(items.answered)),
        on_time=fmt_number(items.on_time),
    )
    if items.escalated_open:
        text += " " + _(
            "%(n)s ý kiến đã kiến nghị lên cấp trên, đang chờ trả lời.",
            n=fmt_number(items.escalated_open),
        )
    return text


def _satisfaction_sentence(levels: reports.Levels) -> str:
    if levels.index is None:
        return ""
    return _(
        "Chỉ số hài lòng của người dân đối với cán bộ, công chức đạt %(index)s "
        "(%(n)s lượt đánh giá).",
        index=fmt_percent(levels.index),
        n=fmt_number(levels.total),
    )
