"""Entering an item at the commune: a letter, a phone call or a resident at the desk."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import EDITORS, require_role
from admin.forms import PostForm
from nghedan.errors import DomainError
from nghedan.models.items import INTAKE_METHODS, LEGAL_TYPES
from nghedan.refusals import on_refusal
from nghedan.request_args import id_value
from nghedan.services.items import search
from nghedan.services.items.intake import enter_at_commune


@require_role(*EDITORS)
def new_item():
    """The entry form; a refused form comes back with everything typed."""
    if request.method == "GET":
        return _form()
    form = request.form
    on_refusal(_refused)
    item = enter_at_commune(
        commune_id=current_user.commune_id,
        text=form.get("text", ""),
        method=form.get("method", ""),
        consent=form.get("consent") == "1",
        user_id=current_user.id,
        contact_phone=form.get("phone"),
        contact_name=form.get("name"),
        hamlet_id=id_value(form.get("hamlet", "")),
        category_code=search.category_code(id_value(form.get("category"))),
        legal_type=form.get("legal_type") or "opinion",
    )
    flash(_("Đã tiếp nhận ý kiến, mã tra cứu %(code)s.", code=item.tracking_code), "ok")
    return redirect(url_for("admin.item", item_id=item.id))


def _refused(error: DomainError) -> str:
    """The entry form again with everything typed, saying why it was not saved."""
    flash(_("Không lưu được: %(reason)s", reason=error.message), "error")
    return _form(request.form)


def _form(values=None) -> str:
    return render_template(
        "admin/new_item.html",
        values=values or {},
        form=PostForm(),
        methods=INTAKE_METHODS,
        legal_types=LEGAL_TYPES,
        **search.menu_choices([current_user.commune_id]),
    )
