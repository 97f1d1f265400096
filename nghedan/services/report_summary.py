"""The summary paragraph communes paste into their quarterly and yearly reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from nghedan.extensions import db
from nghedan.formatting import fmt_date, fmt_number, fmt_percent
from nghedan.models import Commune
from nghedan.services import report_activity, reports

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
        return _("Quý %(q)s năm %(year)s", q=ROMAN[reports.quarter_number(period)],
                 year=period.start.year)
    return _("Từ ngày %(start)s đến ngày %(end)s", start=fmt_date(period.start),
             end=fmt_date(period.end))


def commune_label(commune: Commune) -> str:
    """`xã Tân Thạnh`, `phường Mỹ Hòa`, `đặc khu Côn Đảo`."""
    kind = {"xa": _("xã"), "phuong": _("phường"), "dac_khu": _("đặc khu")}.get(commune.kind, "")
    return f"{kind} {commune.name}".strip()


def _scope_label(commune_ids) -> str:
    communes = db.session.scalars(select(Commune).where(Commune.id.in_(list(commune_ids)))).all()
    if len(communes) == 1:
        return commune_label(communes[0])
    return _("%(n)s xã, phường", n=fmt_number(len(communes)))


def quarterly_summary(commune_ids, period: reports.Period, now: datetime | None = None,
                      rows: list[report_activity.CommuneActivity] | None = None) -> Summary:
    """The figures communes report upward, and the sentence that reports them.

    `rows` are the period's activity rows when the caller has them already.
    """
    if rows is None:
        rows = report_activity.activity(commune_ids, period, now)
    total = report_activity.activity_total(rows)
    answered = report_activity.answered_at_held_dialogues(commune_ids, period)
    levels = reports.total_levels(reports.satisfaction(commune_ids, period, group="commune"))
    text = " ".join(filter(None, (
        _dialogue_sentence(commune_ids, period, total, answered),
        _item_sentence(total.items),
        _satisfaction_sentence(levels),
    )))
    return Summary(period, total, answered, levels, text)


def _dialogue_sentence(commune_ids, period, total: report_activity.CommuneActivity,
                       answered: int) -> str:
    d = total.dialogues
    text = _("%(period)s, %(scope)s đã tổ chức %(held)s cuộc đối thoại, %(people)s lượt người "
             "tham dự, %(answered)s ý kiến được giải đáp.",
             period=period_label(period), scope=_scope_label(commune_ids),
             held=fmt_number(d.held), people=fmt_number(d.attendance),
             answered=fmt_number(answered))
    if d.without_notice:
        text += " " + _("Còn %(n)s cuộc chưa ban hành thông báo kết luận.",
                        n=fmt_number(d.without_notice))
    return text


def _item_sentence(items: report_activity.ItemFigures) -> str:
    if not items.received:
        return _("Trong kỳ không tiếp nhận ý kiến, kiến nghị nào.")
    text = _("Tiếp nhận %(received)s ý kiến, kiến nghị của người dân; đã trả lời %(answered)s "
             "ý kiến (đạt %(share)s), trong đó %(on_time)s ý kiến được trả lời đúng hạn.",
             received=fmt_number(items.received), answered=fmt_number(items.answered),
             share=fmt_percent(items.share(items.answered)), on_time=fmt_number(items.on_time))
    if items.escalated_open:
        text += " " + _("%(n)s ý kiến đã kiến nghị lên cấp trên, đang chờ trả lời.",
                        n=fmt_number(items.escalated_open))
    return text


def _satisfaction_sentence(levels: reports.Levels) -> str:
    if levels.index is None:
        return ""
    return _("Chỉ số hài lòng của người dân đối với cán bộ, công chức đạt %(index)s "
             "(%(n)s lượt đánh giá).", index=fmt_percent(levels.index),
             n=fmt_number(levels.total))
