"""The kiosks page: the commune's touchscreens, enrolling a new one, renewing, revoking.

The one-time enrollment URL (and its QR code) is shown once, in the answer to the POST
that made it: only its hash is stored.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from admin.access import ANY_ROLE, own_or_404, require_role, visible_commune_ids
from admin.forms import PostForm
from nghedan import qr
from nghedan.errors import DomainError
from nghedan.models import Kiosk
from nghedan.refusals import on_refusal
from nghedan.services.items.history import audit
from nghedan.services.people import kiosks, places


class KioskForm(FlaskForm):
    name = StringField(_l("Tên màn hình"), validators=[DataRequired(), Length(max=120)])


def kiosk_state(kiosk: Kiosk) -> str:
    """revoked, waiting (enrollment URL not used yet) or active."""
    if kiosk.revoked_at is not None:
        return "revoked"
    return "active" if kiosk.is_active else "waiting"


STATE_LABELS = {
    "active": _l("Đang hoạt động"),
    "waiting": _l("Chờ mở địa chỉ kích hoạt"),
    "revoked": _l("Đã thu hồi"),
}


def _audit(action: str, kiosk: Kiosk) -> None:
    audit(
        action,
        user_id=current_user.id,
        commune_id=kiosk.commune_id,
        object_type="kiosk",
        object_id=kiosk.id,
        remote_addr=request.remote_addr,
        detail={"name": kiosk.name},
    )


def _own_kiosk(kiosk_id: int) -> Kiosk:
    return own_or_404(Kiosk, kiosk_id)


@require_role(*ANY_ROLE)
def index():
    """The kiosks of the user's communes; POST (admins) registers a new one."""
    form = KioskForm()
    if request.method == "POST":
        if current_user.role != "admin":
            abort(403)
        if form.validate_on_submit():
            on_refusal(lambda error: _refused(form, error))
            enrollment = kiosks.add_kiosk(commune_id=current_user.commune_id, name=form.name.data)
            _audit("kiosk.created", enrollment.kiosk)
            return _page(KioskForm(formdata=None), enrollment)
        return _page(form, status=400)
    return _page(form)


def _refused(form: KioskForm, error: DomainError):
    form.name.errors = [error.message]
    return _page(form)


def _page(form: KioskForm, enrollment: kiosks.Enrollment | None = None, status: int = 200):
    commune_ids = visible_commune_ids(current_user)
    communes = places.communes_by_name(commune_ids)
    rows = kiosks.kiosks_of(commune_ids)
    enroll_url = None
    if enrollment is not None:
        enroll_url = qr.public_base_url() + url_for("kiosk.enroll", token=enrollment.token)
    response = make_response(
        render_template(
            "admin/kiosks.html",
            kiosks=rows,
            communes=communes,
            form=form,
            post_form=PostForm(),
            can_edit=current_user.role == "admin",
            kiosk_state=kiosk_state,
            state_labels=STATE_LABELS,
            enrollment=enrollment,
            enroll_url=enroll_url,
            enroll_qr=qr.svg(enroll_url, _("Mã QR kích hoạt màn hình")) if enroll_url else None,
            why_no_qr=qr.why_no_qr(),
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"  # the one-time URL must not linger
    return response


@require_role("admin")
def renew(kiosk_id: int):
    """A new one-time enrollment URL (shown once); a revoked kiosk is reinstated by it."""
    kiosk = _own_kiosk(kiosk_id)
    if not PostForm().validate_on_submit():
        abort(400)
    enrollment = kiosks.renew_enrollment(kiosk)
    _audit("kiosk.renewed", kiosk)
    return _page(KioskForm(formdata=None), enrollment)


@require_role("admin")
def revoke(kiosk_id: int):
    """The kiosk's browser stops working at once."""
    kiosk = _own_kiosk(kiosk_id)
    if not PostForm().validate_on_submit():
        abort(400)
    kiosks.revoke(kiosk)
    _audit("kiosk.revoked", kiosk)
    flash(_("Đã thu hồi màn hình %(name)s.", name=kiosk.name), "ok")
    return redirect(url_for("admin.kiosks"))
