"""The activity report's tables: the per-dialogue register and the per-commune figures.

The same columns and cells serve the page and its CSV/XLSX exports.
"""

from __future__ import annotations

from flask_babel import gettext as _

from nghedan.services.reports import activity as report_activity
from nghedan.services.reports import dialogues as report_dialogues
from nghedan.services.reports.exports import Column, Table


def notice_state_labels() -> dict[str | None, str]:
    return {
        "on_time": _("Đúng hạn"),
        "late": _("Trễ hạn"),
        "missing": _("Quá hạn, chưa ban hành"),
        "not_due": _("Chưa đến hạn"),
        None: "",
    }


def entry_status_label(entry: report_dialogues.DialogueEntry) -> str:
    """Held, cancelled, overdue (its day passed, not held) or still to come."""
    if entry.overdue:
        return _("Quá ngày, chưa tổ chức")
    return {"held": _("Đã tổ chức"), "cancelled": _("Đã hủy"), "planned": _("Chưa đến ngày")}.get(
        entry.status, entry.status
    )


def _attendance_and_outcomes() -> tuple[Column, ...]:
    """Who came and what became of what was raised: shared by the register and the table."""
    return (
        Column(_("Lượt người tham dự"), "int"),
        Column(_("Tỷ lệ so với số hộ"), "percent"),
        Column(_("Tỷ lệ so với số người từ 18 tuổi"), "percent"),
        Column(_("Ý kiến được nêu"), "int"),
        Column(_("Trả lời tại buổi đối thoại"), "int"),
        Column(_("Xã tiếp tục giải quyết"), "int"),
        Column(_("Kiến nghị cấp trên"), "int"),
    )


def register_columns() -> tuple[Column, ...]:
    """The per-dialogue register's columns, on the page and in its exports."""
    return (
        Column(_("Ngày"), "date"),
        Column(_("Xã, phường")),
        Column(_("Ấp, khóm")),
        Column(_("Người chủ trì")),
        Column(_("Tình trạng")),
        *_attendance_and_outcomes(),
        Column(_("Số thông báo kết luận"), "text"),
        Column(_("Ngày ban hành"), "date"),
        Column(_("Thông báo"), "text"),
    )


def register_cells(entry: report_dialogues.DialogueEntry, states: dict | None = None) -> tuple:
    """One register row, in `register_columns()` order."""
    states = states or notice_state_labels()
    held = entry.status == "held"
    return (
        entry.starts_at,
        entry.commune,
        ", ".join(entry.hamlets),
        entry.chair,
        entry_status_label(entry),
        entry.attendance if held else None,
        entry.household_rate,
        entry.adult_rate,
        entry.opinions if held else None,
        entry.on_the_spot if held else None,
        entry.to_resolve if held else None,
        entry.escalated if held else None,
        entry.notice_number or "",
        entry.notice_published_at,
        states[entry.notice_state],
    )


def register_table(entries, name: str, stem: str) -> Table:
    """The per-dialogue register (or the meetings with voters, kept apart), every commune."""
    entries = [e for e in entries if e.is_voters == (name == "voters")]
    states = notice_state_labels()
    title = _("Tiếp xúc cử tri") if name == "voters" else _("Sổ theo dõi đối thoại")
    prefix = "tiep-xuc-cu-tri" if name == "voters" else "so-doi-thoai"
    return Table(
        f"{prefix}-{stem}", title, register_columns(), [register_cells(e, states) for e in entries]
    )


def activity_table(rows, stem: str) -> Table:
    """One row per commune: the figures communes report upward."""
    columns = (
        Column(_("Xã, phường")),
        Column(_("Kế hoạch"), "int"),
        Column(_("Đã tổ chức"), "int"),
        Column(_("Đã hủy"), "int"),
        Column(_("Quá ngày, chưa tổ chức"), "int"),
        Column(_("Chưa đến ngày"), "int"),
        *_attendance_and_outcomes(),
        Column(_("Thông báo đúng hạn"), "int"),
        Column(_("Thông báo trễ hạn"), "int"),
        Column(_("Thông báo quá hạn, chưa ban hành"), "int"),
        Column(_("Số ngày đến khi có thông báo (trung bình)"), "float"),
        Column(_("Tiếp xúc cử tri"), "int"),
        Column(_("Lượt người dự tiếp xúc cử tri"), "int"),
        Column(_("Ý kiến tiếp nhận"), "int"),
        Column(_("Đã trả lời"), "int"),
        Column(_("Đúng hạn"), "int"),
        Column(_("Quá hạn"), "int"),
        Column(_("Kiến nghị cấp trên, chưa có trả lời"), "int"),
        Column(_("Ấp chưa đối thoại"), "int"),
    )
    return Table(
        f"hoat-dong-{stem}", _("Hoạt động đối thoại"), columns, [_activity_cells(r) for r in rows]
    )


def _activity_cells(r: report_activity.CommuneActivity) -> tuple:
    d, i = r.dialogues, r.items
    return (
        r.commune,
        d.planned,
        d.held,
        d.cancelled,
        d.overdue,
        d.pending,
        d.attendance,
        d.household_rate,
        d.adult_rate,
        d.opinions,
        d.on_the_spot,
        d.to_resolve,
        d.escalated,
        d.notices_on_time,
        d.notices_late,
        d.notices_missing,
        d.notice_delay_days,
        r.voters.held,
        r.voters.attendance,
        i.received,
        i.answered,
        i.on_time,
        i.overdue,
        i.escalated_open,
        len(r.hamlets_without_dialogue),
    )
