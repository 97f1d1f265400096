"""The officers page: the commune's cán bộ, công chức, their desk codes and photos.

Admins add, edit, upload photos and deactivate (never delete: ratings refer to officers);
officers read their commune's list; supervisors read the lists of their communes.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from admin.access import ANY_ROLE, require_role, visible_commune_ids, visible_or_404
from admin.forms import PostForm
from nghedan.errors import DomainError
from nghedan.models import Officer
from nghedan.refusals import on_refusal
from nghedan.services.items.history import audit
from nghedan.services.people import officers as people
from nghedan.services.people import places

DEFAULT_PHOTO_MAX_BYTES = 1024 * 1024


class OfficerForm(FlaskForm):
    name = StringField(_l("Họ và tên"), validators=[DataRequired(), Length(max=120)])
    code = StringField(
        _l("Mã quầy"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{1,8}$", message=_l("Mã quầy gồm 1 đến 8 chữ số.")),
        ],
    )
    title = StringField(_l("Chức danh"), validators=[Length(max=120)])
    desk = StringField(_l("Quầy, bộ phận"), validators=[Length(max=120)])
    active = BooleanField(_l("Đang làm việc"), default=True)


class PhotoForm(FlaskForm):
    photo = FileField(_l("Ảnh (JPEG hoặc PNG)"))


def _fields(form: OfficerForm, *, active: bool | None = None) -> people.OfficerFields:
    return people.OfficerFields(
        name=form.name.data or "",
        code=form.code.data or "",
        title=form.title.data or "",
        desk=form.desk.data or "",
        active=bool(form.active.data) if active is None else active,
    )


def _audit(action: str, officer: Officer, **detail) -> None:
    audit(
        action,
        user_id=current_user.id,
        commune_id=officer.commune_id,
        object_type="officer",
        object_id=officer.id,
        remote_addr=request.remote_addr,
        detail=detail or None,
    )


def _own_officer(officer_id: int) -> Officer:
    """An officer of the admin's own commune (404 otherwise)."""
    officer = people.officer_of(current_user.commune_id, officer_id)
    if officer is None:
        abort(404)
    return officer


@require_role(*ANY_ROLE)
def index():
    """The officers of the user's communes; POST (admins) adds one."""
    form = OfficerForm()
    if request.method == "POST":
        if current_user.role != "admin":
            abort(403)
        if form.validate_on_submit():
            on_refusal(lambda error: _list_page(form, error))
            # The list's form has no "active" box (a missing checkbox reads as unticked): a
            # new officer is at work.
            officer = people.add_officer(current_user.commune_id, _fields(form, active=True))
            _audit("officer.created", officer, code=officer.code)
            flash(_("Đã thêm cán bộ %(name)s.", name=officer.name), "ok")
            return redirect(url_for("admin.officer", officer_id=officer.id))
    return _list_page(form)


def _list_page(form: OfficerForm, error: DomainError | None = None) -> str:
    """The list with the form to add one (a refused one as typed, saying why)."""
    if error is not None:
        flash(error.message, "error")
    commune_ids = visible_commune_ids(current_user)
    return render_template(
        "admin/officers.html",
        officers=people.list_officers(commune_ids),
        communes=places.commune_names(commune_ids),
        form=form,
        post_form=PostForm(),
        can_edit=current_user.role == "admin",
    )


@require_role("admin")
def edit(officer_id: int):
    """An officer's details and photo; POST saves the details."""
    officer = _own_officer(officer_id)
    form = OfficerForm(obj=officer)
    if form.validate_on_submit():
        on_refusal(lambda error: _officer_page(officer_id, form, error))
        changes = people.update_officer(officer, _fields(form))
        if changes:
            _audit("officer.updated", officer, changes=changes)
        flash(_("Đã lưu."), "ok")
        return redirect(url_for("admin.officers"))
    return _officer_page(officer_id, form)


def _officer_page(
    officer_id: int, form: OfficerForm | None = None, error: DomainError | None = None
) -> str:
    """An officer's page; after a refusal, the form as typed and the message."""
    if error is not None:
        flash(error.message, "error")
    officer = _own_officer(officer_id)
    return render_template(
        "admin/officer.html",
        officer=officer,
        form=form or OfficerForm(obj=officer),
        photo_form=PhotoForm(),
        post_form=PostForm(),
        max_kb=_photo_max_bytes() // 1024,
    )


def _photo_max_bytes() -> int:
    return int(current_app.config.get("OFFICER_PHOTO_MAX_BYTES") or DEFAULT_PHOTO_MAX_BYTES)


@require_role("admin")
def upload_photo(officer_id: int):
    """Store an uploaded JPEG or PNG as the officer's photo (random file name)."""
    officer = _own_officer(officer_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        abort(400)
    upload = form.photo.data
    data = upload.read(_photo_max_bytes() + 1) if upload else b""
    on_refusal(lambda error: _officer_page(officer_id, error=error))
    people.save_photo(officer, data, people.photo_folder(), _photo_max_bytes())
    _audit("officer.photo_changed", officer)
    flash(_("Đã cập nhật ảnh."), "ok")
    return redirect(url_for("admin.officer", officer_id=officer_id))


@require_role("admin")
def deactivate(officer_id: int):
    """The officer stops appearing on the kiosk and in SMS rating; their ratings stay."""
    officer = _own_officer(officer_id)
    if not PostForm().validate_on_submit():
        abort(400)
    if officer.active:
        people.deactivate(officer)
        _audit("officer.deactivated", officer)
        flash(_("Đã cho cán bộ %(name)s nghỉ.", name=officer.name), "ok")
    return redirect(url_for("admin.officers"))


@require_role(*ANY_ROLE)
def photo(officer_id: int):
    """An officer's photo, for the users who may see that officer."""
    officer = visible_or_404(Officer, officer_id)
    if not officer.photo_path:
        abort(404)
    return send_from_directory(people.photo_folder(), officer.photo_path, max_age=3600)
