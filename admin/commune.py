"""The commune page: its settings (name, SMS number, notice signing block) and its hamlets.

Everyone who sees the commune reads this page; only its admins change it.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from admin.access import ANY_ROLE, commune_or_404, own_commune, require_role, visible_commune_ids
from admin.forms import PostForm
from nghedan.errors import DomainError
from nghedan.models import Commune, Hamlet
from nghedan.phones import display
from nghedan.refusals import on_refusal
from nghedan.services.items.history import audit
from nghedan.services.people import places

COMMUNE_KIND_LABELS = {"xa": _l("Xã"), "phuong": _l("Phường"), "dac_khu": _l("Đặc khu")}
HAMLET_KIND_LABELS = {
    "ap": _l("Ấp"),
    "khom": _l("Khóm"),
    "thon": _l("Thôn"),
    "ban": _l("Bản"),
    "to_dan_pho": _l("Tổ dân phố"),
}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class CommuneForm(FlaskForm):
    name = StringField(_l("Tên xã, phường"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Loại đơn vị"), choices=_choices(COMMUNE_KIND_LABELS))
    sms_number = StringField(
        _l("Số điện thoại nhận tin nhắn"), validators=[Optional(), Length(max=32)]
    )
    chairman_name = StringField(_l("Chủ tịch UBND"), validators=[Optional(), Length(max=120)])
    notice_signing_authority = StringField(
        _l("Thẩm quyền ký khi Chủ tịch ký (thông báo, giấy mời)"),
        validators=[DataRequired(), Length(max=120)],
    )
    notice_signing_title = StringField(
        _l("Chức vụ khi Chủ tịch ký"), validators=[DataRequired(), Length(max=120)]
    )
    rotation_days = IntegerField(
        _l("Chu kỳ đối thoại mỗi ấp (ngày)"),
        validators=[DataRequired(), NumberRange(min=7, max=730)],
    )


# Which form field a settings error belongs to (by the error's code).
_ERROR_FIELDS = {
    "bad_phone": "sms_number",
    "bad_rotation": "rotation_days",
    "bad_kind": "kind",
    "empty_signing": "notice_signing_authority",
}


class HamletForm(FlaskForm):
    name = StringField(_l("Tên ấp, khóm"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Loại"), choices=_choices(HAMLET_KIND_LABELS))
    # The bases of the dialogues' attendance rate; empty means unknown.
    households = IntegerField(
        _l("Số hộ"), validators=[Optional(), NumberRange(min=1, max=places.MAX_POPULATION)]
    )
    adults = IntegerField(
        _l("Số người từ 18 tuổi"),
        validators=[Optional(), NumberRange(min=1, max=places.MAX_POPULATION)],
    )


def _shown_commune() -> Commune:
    """The user's commune, or the supervised one chosen with ?commune=<id>."""
    visible = visible_commune_ids(current_user)
    wanted = request.args.get("commune", type=int)
    if wanted is not None and wanted not in visible:
        abort(404)
    return commune_or_404(wanted if wanted is not None else (visible[0] if visible else None))


def _audit(action: str, object_type: str, object_id: int, **detail) -> None:
    audit(
        action,
        user_id=current_user.id,
        commune_id=current_user.commune_id,
        object_type=object_type,
        object_id=object_id,
        remote_addr=request.remote_addr,
        detail=detail or None,
    )


@require_role(*ANY_ROLE)
def index():
    """The commune's settings and hamlets; admins get the forms to change them."""
    commune = _shown_commune()
    return _page(commune, CommuneForm(obj=_form_values(commune)))


def _form_values(commune: Commune):
    return SimpleNamespace(
        name=commune.name,
        kind=commune.kind,
        sms_number=display(commune.sms_number) if commune.sms_number else "",
        chairman_name=commune.chairman_name or "",
        notice_signing_authority=commune.notice_signing_authority,
        notice_signing_title=commune.notice_signing_title,
        rotation_days=commune.rotation_days,
    )


def _page(
    commune: Commune, form: CommuneForm, status: int = 200, hamlet_form: HamletForm | None = None
):
    choices = []
    if current_user.role == "supervisor":
        choices = [
            (c.id, c.name) for c in places.communes_by_name(visible_commune_ids(current_user))
        ]
    can_edit = current_user.role == "admin" and commune.id == current_user.commune_id
    return render_template(
        "admin/commune.html",
        commune=commune,
        form=form,
        hamlet_form=hamlet_form or HamletForm(),
        hamlets=places.list_hamlets(commune.id),
        post_form=PostForm(),
        can_edit=can_edit,
        commune_choices=choices,
        commune_kind_labels=COMMUNE_KIND_LABELS,
        hamlet_kind_labels=HAMLET_KIND_LABELS,
        display_number=display,
    ), status


@require_role("admin")
def save_settings():
    """Save the commune's settings (the SMS number is stored as E.164)."""
    commune = own_commune()
    form = CommuneForm()
    if not form.validate_on_submit():
        return _page(commune, form, 400)
    on_refusal(lambda error: _refused_settings(form, error))
    changes = places.update_commune(
        commune,
        places.CommuneSettings(
            name=form.name.data,
            kind=form.kind.data,
            sms_number=form.sms_number.data or "",
            chairman_name=form.chairman_name.data or "",
            notice_signing_authority=form.notice_signing_authority.data,
            notice_signing_title=form.notice_signing_title.data,
            rotation_days=form.rotation_days.data,
        ),
    )
    if changes:
        _audit("commune.updated", "commune", commune.id, changes=changes)
    flash(_("Đã lưu thông tin xã, phường."), "ok")
    return redirect(url_for("admin.commune"))


def _refused_settings(form: CommuneForm, error: DomainError) -> str:
    """The settings form again, the message beside the field it is about."""
    getattr(form, _ERROR_FIELDS.get(error.code, "name")).errors = [error.message]
    return _page(own_commune(), form)[0]


@require_role("admin")
def add_hamlet():
    form = HamletForm()
    if form.validate_on_submit():
        on_refusal(lambda error: _refused_hamlet(error, HamletForm()))
        hamlet = places.add_hamlet(
            current_user.commune_id,
            form.name.data,
            form.kind.data,
            households=form.households.data,
            adults=form.adults.data,
        )
        _audit("hamlet.created", "hamlet", hamlet.id, name=hamlet.name)
        flash(_("Đã thêm %(name)s.", name=hamlet.name), "ok")
    else:
        _flash_form_errors(form)
    return redirect(url_for("admin.commune") + "#hamlets")


def _refused_hamlet(error: DomainError, hamlet_form: HamletForm) -> str:
    """The commune page again, saying why the hamlet was not saved (a new hamlet's fields
    as typed)."""
    flash(error.message, "error")
    commune = own_commune()
    form = CommuneForm(formdata=None, obj=_form_values(commune))
    return _page(commune, form, hamlet_form=hamlet_form)[0]


def _flash_form_errors(form: HamletForm) -> None:
    """Say which field was refused (an empty name, or a number of households that isn't one)."""
    for field in (form.name, form.households, form.adults):
        if field.errors:
            flash(f"{field.label.text}: {field.errors[0]}", "error")
            return
    flash(_("Tên ấp, khóm đang trống."), "error")


def _own_hamlet(hamlet_id: int) -> Hamlet:
    hamlet = places.hamlet_of(current_user.commune_id, hamlet_id)
    if hamlet is None:
        abort(404)
    return hamlet


@require_role("admin")
def edit_hamlet(hamlet_id: int):
    """Rename a hamlet or change its kind."""
    hamlet = _own_hamlet(hamlet_id)
    form = HamletForm()
    if form.validate_on_submit():
        on_refusal(lambda error: _refused_hamlet(error, HamletForm(formdata=None)))
        changes = places.update_hamlet(
            hamlet,
            form.name.data,
            form.kind.data,
            households=form.households.data,
            adults=form.adults.data,
        )
        if changes:
            _audit("hamlet.updated", "hamlet", hamlet.id, changes=changes)
        flash(_("Đã lưu."), "ok")
    else:
        _flash_form_errors(form)
    return redirect(url_for("admin.commune") + "#hamlets")


@require_role("admin")
def toggle_hamlet(hamlet_id: int):
    """Deactivate a hamlet (or reactivate it); never deleted, items refer to it."""
    hamlet = _own_hamlet(hamlet_id)
    if not PostForm().validate_on_submit():
        abort(400)
    places.set_hamlet_active(hamlet, not hamlet.active)
    _audit("hamlet.activated" if hamlet.active else "hamlet.deactivated", "hamlet", hamlet.id)
    flash(_("Đã cập nhật %(name)s.", name=hamlet.name), "ok")
    return redirect(url_for("admin.commune") + "#hamlets")
