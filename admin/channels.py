"""The "Kênh liên lạc" page: each SMS channel of the user's communes and how it is doing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin.access import ANY_ROLE, ensure_visible, require_role, visible_commune_ids
from admin.channel_forms import ZaloConnectForm, ZaloSettingsForm
from admin.forms import PostForm
from nghedan.errors import DomainError
from nghedan.models import ZaloAccount
from nghedan.phones import display
from nghedan.refusals import on_refusal
from nghedan.services.items.history import audit
from nghedan.services.people import places
from nghedan.services.sms import zalo_accounts
from nghedan.services.sms.channels import (
    channel_of,
    channels_health,
    recent_failures,
    set_active,
    zalo_token_states,
)
from nghedan.services.sms.zalo_accounts import ZaloAccountRefused, ZaloTokens

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
        recent=recent_failures([row.id for row in rows]),
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


@require_role("admin")
def toggle(channel_id: int):
    """Turn a channel of the admin's commune off (the router stops using it) or on again."""
    channel = channel_of(channel_id)
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


@require_role("admin")
def zalo_new():
    """Connect the commune's Zalo OA; a refused form comes back as typed, secrets excepted."""
    form = ZaloConnectForm()
    form.commune.choices = list(places.commune_names(visible_commune_ids(current_user)).items())
    if request.method == "GET":
        return _zalo_new_page(form)
    if not form.validate_on_submit():
        return _zalo_new_page(form), 422
    ensure_visible(form.commune.data)
    on_refusal(lambda error: _zalo_new_page(form, error))
    account = zalo_accounts.connect(
        commune_id=form.commune.data,
        name=form.name.data or "",
        app_id=form.app_id.data or "",
        oa_id=form.oa_id.data or "",
        secret_key=form.secret_key.data or "",
        tokens=form.tokens() or ZaloTokens(refresh_token=""),
        user_id=current_user.id,
        remote_addr=request.remote_addr,
    )
    flash(_("Đã kết nối “%(name)s”.", name=account.channel.name), "ok")
    return redirect(url_for("admin.sms_channels"))


def _zalo_new_page(form: ZaloConnectForm, error: DomainError | None = None) -> str:
    _show_refusal(form, error)
    return render_template("admin/channel_zalo_new.html", form=form)


@require_role("admin")
def zalo_edit(channel_id: int):
    """Change a Zalo channel of the admin's commune: its name, app id, secret or tokens."""
    account = _own_zalo_account(channel_id)
    form = ZaloSettingsForm(data={"name": account.channel.name, "app_id": account.app_id})
    if request.method == "GET":
        return _zalo_edit_page(channel_id, form)
    if not form.validate_on_submit():
        return _zalo_edit_page(channel_id, form), 422
    on_refusal(lambda error: _zalo_edit_page(channel_id, form, error))
    changed = zalo_accounts.update(
        account,
        name=form.name.data or "",
        app_id=form.app_id.data or "",
        secret_key=form.secret_key.data,
        tokens=form.tokens(),
        user_id=current_user.id,
        remote_addr=request.remote_addr,
    )
    if changed:
        flash(_("Đã lưu thay đổi của kênh %(name)s.", name=account.channel.name), "ok")
    else:
        flash(_("Không có gì thay đổi."), "info")
    return redirect(url_for("admin.sms_channel_zalo", channel_id=channel_id))


def _zalo_edit_page(channel_id: int, form, error: DomainError | None = None) -> str:
    _show_refusal(form, error)
    account = _own_zalo_account(channel_id)
    return render_template(
        "admin/channel_zalo_edit.html",
        form=form,
        oa=zalo_accounts.state_of(account),
        communes=places.commune_names([account.channel.commune_id]),
    )


def _own_zalo_account(channel_id: int) -> ZaloAccount:
    """The OA behind a channel of the admin's own commune (404 otherwise)."""
    account = zalo_accounts.account_of_channel(channel_id)
    if account is None or account.channel.commune_id != current_user.commune_id:
        abort(404)
    return account


def _show_refusal(form, error: DomainError | None) -> None:
    if isinstance(error, ZaloAccountRefused):
        form.show_refusal(error.errors)
    elif error is not None:
        flash(error.message, "error")
