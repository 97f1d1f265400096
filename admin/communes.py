"""The deployment's communes: the list, and adding one with its hamlets (deployment admins).

A commune's own admins then run it from its commune page; its first admin account is made
with `nghedan user create --role admin --commune CODE`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin.access import is_deployment_admin, require_role
from admin.commune import COMMUNE_KIND_LABELS, HAMLET_KIND_LABELS, _choices
from nghedan.errors import DomainError
from nghedan.models import Commune
from nghedan.phones import display
from nghedan.refusals import on_refusal
from nghedan.services.items.history import audit
from nghedan.services.people import places

MAX_HAMLETS = places.MAX_NEW_HAMLETS


class NewCommuneForm(FlaskForm):
    code = StringField(
        _l("Mã (trong địa chỉ trang và áp phích)"), validators=[DataRequired(), Length(max=40)]
    )
    name = StringField(_l("Tên xã, phường"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Loại đơn vị"), choices=_choices(COMMUNE_KIND_LABELS))
    province = StringField(_l("Tỉnh, thành phố"), validators=[Optional(), Length(max=120)])
    sms_number = StringField(
        _l("Số điện thoại nhận tin nhắn"), validators=[Optional(), Length(max=32)]
    )
    hamlets = TextAreaField(
        _l("Các ấp, khóm (mỗi dòng một tên)"),
        validators=[Optional(), Length(max=MAX_HAMLETS * 121)],
    )
    hamlet_kind = SelectField(_l("Loại ấp, khóm"), choices=_choices(HAMLET_KIND_LABELS))


def _deployment_admin_only() -> None:
    if not is_deployment_admin(current_user):
        abort(403)


@require_role("admin")
def index():
    """Every commune of the deployment, and the form to add one."""
    _deployment_admin_only()
    form = NewCommuneForm()
    if request.method == "POST" and form.validate_on_submit():
        on_refusal(lambda error: _refused(form, error))
        created = _add(form)
        flash(
            _(
                "Đã thêm %(name)s (mã %(code)s). Tạo tài khoản quản trị cho xã bằng lệnh: "
                "nghedan user create --role admin --commune %(code)s",
                name=created.name,
                code=created.code,
            ),
            "ok",
        )
        return redirect(url_for("admin.communes"))
    status = 400 if request.method == "POST" else 200
    return _page(form), status


def _refused(form: NewCommuneForm, error: DomainError) -> str:
    field = form.hamlets if error.code == "too_many_hamlets" else form.code
    field.errors = list(field.errors) + [error.message]
    return _page(form)


def _add(form: NewCommuneForm) -> Commune:
    names = [line.strip() for line in (form.hamlets.data or "").splitlines() if line.strip()]
    commune = places.add_commune(
        places.NewCommune(
            code=form.code.data,
            name=form.name.data,
            kind=form.kind.data,
            province=form.province.data or "",
            sms_number=form.sms_number.data or "",
            hamlets=tuple(names),
            hamlet_kind=form.hamlet_kind.data,
        )
    )
    audit(
        "commune.added",
        user_id=current_user.id,
        commune_id=commune.id,
        object_type="commune",
        object_id=commune.id,
        remote_addr=request.remote_addr,
        detail={"code": commune.code, "hamlets": len(names)},
    )
    return commune


def _page(form: NewCommuneForm):
    hamlet_counts = places.hamlet_counts()
    communes = places.communes_by_name()
    return render_template(
        "admin/communes.html",
        form=form,
        communes=communes,
        hamlet_counts=hamlet_counts,
        kind_labels=COMMUNE_KIND_LABELS,
        display_number=display,
    )
