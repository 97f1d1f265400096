"""The "Kênh liên lạc" page: each SMS channel of the user's communes and how it is doing."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from admin.access import ANY_ROLE, require_role, visible_commune_ids
from admin.forms import PostForm
from nghedan.extensions import db
from nghedan.models import SmsChannel, SmsChannelFailure, utcnow
from nghedan.phones import display
from nghedan.services.items.history import audit
from nghedan.services.people import places
from nghedan.services.sms.channels import channels_health, set_active, zalo_token_states

KIND_LABELS = {
    "android": _l("Điện thoại Android"),
    "gammu": _l("Modem GSM (Gammu)"),
    "twilio": _l("Twilio"),
    "zalo": _l("Zalo OA (Chính quyền điện tử)"),
    "console": _l("Chỉ ghi nhật ký (thử nghiệm)"),
}
STATE_LABELS = {"ok": _l("Hoạt động"), "down": _l("Gặp sự cố"), "inactive": _l("Đã tắt")}
REASON_LABELS = {
    "failures": _l("gửi lỗi liên tiếp"),
    "no_ping": _l("lâu không nhận tín hiệu"),
    "ping_fail": _l("điện thoại báo lỗi"),
}
CARRIER_LABELS = {
    "viettel": "Viettel",
    "vinaphone": "VinaPhone",
    "mobifone": "MobiFone",
    "vietnamobile": "Vietnamobile",
    "gmobile": "Gmobile",
}


@require_role(*ANY_ROLE)
def index():
    """Channels of the user's communes (and the shared ones), with recent failed sends."""
    commune_ids = visible_commune_ids(current_user)
    rows = channels_health(commune_ids)
    communes = places.commune_names(commune_ids)
    return render_template(
        "admin/channels.html",
        rows=rows,
        communes=communes,
        recent=_recent_failures(rows),
        channel_names={row.id: row.name for row in rows},
        kind_labels=KIND_LABELS,
        zalo_tokens=zalo_token_states([row.id for row in rows]),
        state_labels=STATE_LABELS,
        reason_labels=REASON_LABELS,
        carrier_labels=CARRIER_LABELS,
        display_number=display,
        form=PostForm(),
        can_toggle=current_user.role == "admin",
    )


def _recent_failures(rows) -> list[SmsChannelFailure]:
    ids = [row.id for row in rows]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(SmsChannelFailure)
            .where(
                SmsChannelFailure.channel_id.in_(ids),
                SmsChannelFailure.at >= utcnow() - timedelta(days=1),
            )
            .order_by(SmsChannelFailure.at.desc())
            .limit(20)
        )
    )


@require_role("admin")
def toggle(channel_id: int):
    """Turn a channel of the admin's commune off (the router stops using it) or on again."""
    channel = db.session.get(SmsChannel, channel_id)
    if channel is None or channel.commune_id != current_user.commune_id:
        abort(404)
    if not PostForm().validate_on_submit():
        abort(400)
    set_active(channel, not channel.active)
    audit(
        "sms_channel.toggled",
        user_id=current_user.id,
        commune_id=channel.commune_id,
        object_type="sms_channel",
        object_id=channel.id,
        detail={"active": channel.active},
    )
    flash(
        _("Đã bật kênh %(name)s.", name=channel.name)
        if channel.active
        else _("Đã tắt kênh %(name)s.", name=channel.name),
        "ok",
    )
    return redirect(url_for("admin.sms_channels"))
