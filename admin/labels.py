"""Words for the admin panel's codes (roles, channels, legal types), in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _


def role_label(role: str) -> str:
    return {"admin": _("Quản trị"), "officer": _("Cán bộ"), "supervisor": _("Giám sát")}.get(
        role, role
    )


def channel_label(channel: str) -> str:
    return {
        "sms": _("Tin nhắn SMS"),
        "zalo": _("Zalo"),
        "kiosk": _("Ki-ốt"),
        "admin": _("Nhập tại xã"),
        "api": _("Hệ thống khác"),
    }.get(channel, channel)


def legal_type_label(legal_type: str) -> str:
    return {
        "opinion": _("Ý kiến, kiến nghị"),
        "complaint": _("Khiếu nại"),
        "denunciation": _("Tố cáo"),
        "question": _("Câu hỏi"),
    }.get(legal_type, legal_type)


def message_status_label(status: str) -> str:
    return {
        "queued": _("Chờ gửi"),
        "sending": _("Đang gửi"),
        "sent": _("Đã gửi"),
        "delivered": _("Đã đến máy"),
        "undelivered": _("Không đến máy"),
        "failed": _("Lỗi"),
        "skipped": _("Bỏ qua (từ chối nhận tin)"),
        "received": _("Đã nhận"),
        "processed": _("Đã xử lý"),
        "flagged": _("Bị đánh dấu"),
    }.get(status, status)


def event_label(kind: str) -> str:
    """What an entry of an item's history did."""
    return {
        "created": _("Tiếp nhận"),
        "text_appended": _("Thêm nội dung"),
        "status": _("Đổi trạng thái"),
        "category": _("Đặt lĩnh vực"),
        "hamlet": _("Đặt ấp, khóm"),
        "legal_type": _("Đặt loại đơn"),
        "dialogue": _("Đưa vào buổi đối thoại"),
        "merged": _("Gộp vào ý kiến khác"),
        "rejected": _("Từ chối"),
        "follow_up": _("Giao người phụ trách, hạn xử lý"),
        "sms_reply": _("Trả lời bằng SMS"),
        "progress": _("Ghi tiến độ"),
        "responsible": _("Giao người phụ trách"),
        "due_date": _("Đặt hạn xử lý"),
        "due_extended": _("Gia hạn xử lý"),
        "due_changed": _("Đổi hạn xử lý"),
        "report_back": _("Đưa vào phần báo cáo lại tại buổi đối thoại"),
        "evidence": _("Đính kèm minh chứng"),
        "resident_picture": _("Người dân gửi ảnh"),
        "picture_failed": _("Không tải được ảnh người dân gửi"),
        "linked": _("Liên quan đến ý kiến khác"),
        "resident_asked": _("Người dân nhắn hỏi"),
        "recording": _("Người dân gửi bản ghi âm"),
        "spoken_summary": _("Ghi tóm tắt ý kiến nói"),
    }.get(kind, kind)


def intake_method_label(method: str) -> str:
    """How an item entered at the commune reached the office."""
    return {
        "letter": _("Thư, đơn gửi đến"),
        "phone": _("Gọi điện thoại"),
        "walk_in": _("Đến trực tiếp"),
    }.get(method, method)


def kind_label(kind: str) -> str:
    return {
        "dialogue": _("Đối thoại với Nhân dân"),
        "voters": _("Tiếp xúc cử tri"),
        "thematic": _("Đối thoại chuyên đề"),
    }.get(kind, kind)


def dialogue_status_label(status: str) -> str:
    return {"planned": _("Dự kiến"), "held": _("Đã tổ chức"), "cancelled": _("Đã hủy")}.get(
        status, status
    )


def outcome_label(outcome: str | None) -> str:
    return {
        "resolved": _("Đã giải quyết tại hội nghị"),
        "commune_will_resolve": _("Xã tiếp tục giải quyết"),
        "escalated": _("Kiến nghị cấp trên"),
        "explained": _("Đã giải thích, không cần xử lý"),
    }.get(outcome or "", "")


def has_endpoint(name: str) -> bool:
    """Whether a page exists (the nav links only to pages that do)."""
    from flask import current_app

    return name in current_app.view_functions


def jinja_helpers() -> dict:
    from admin.access import is_deployment_admin
    from nghedan.services.items.status import status_label

    return {
        "role_label": role_label,
        "channel_label": channel_label,
        "legal_type_label": legal_type_label,
        "status_label": status_label,
        "event_label": event_label,
        "has_endpoint": has_endpoint,
        "message_status_label": message_status_label,
        "is_deployment_admin": is_deployment_admin,
        "intake_method_label": intake_method_label,
        "kind_label": kind_label,
        "dialogue_status_label": dialogue_status_label,
        "outcome_label": outcome_label,
    }
