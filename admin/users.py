"""The users page: admins create users of their commune, change roles, reset, deactivate."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from admin.access import own_or_404, require_role
from admin.forms import NewUserForm, PasswordForm, PostForm, RoleForm
from admin.labels import role_label
from nghedan.errors import DomainError
from nghedan.models import User
from nghedan.refusals import on_refusal
from nghedan.services.items.history import audit
from nghedan.services.people.users import commune_users, create_user, set_active, set_password

# Admins manage the users of their own commune; supervisors are created by operators (CLI).
COMMUNE_ROLES = ("officer", "admin")  # officer first: the safer default


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, role_label(role)) for role in COMMUNE_ROLES]


def _user(user_id: int) -> User:
    user = own_or_404(User, user_id)
    if user.role not in COMMUNE_ROLES:
        abort(404)
    return user


def _audit(action: str, user: User, **detail) -> None:
    audit(
        action,
        user_id=current_user.id,
        commune_id=current_user.commune_id,
        object_type="user",
        object_id=user.id,
        remote_addr=request.remote_addr,
        detail=detail or None,
    )


@require_role("admin")
def index():
    """List the commune's users; POST creates one."""
    form = NewUserForm()
    form.role.choices = _role_choices()
    if form.validate_on_submit():
        on_refusal(lambda error: _page(form, error))
        user = create_user(
            username=form.username.data,
            password=form.password.data,
            role=form.role.data,
            commune_id=current_user.commune_id,
            full_name=(form.full_name.data or "").strip(),
        )
        _audit("user.created", user, role=user.role)
        flash(_("Đã tạo người dùng %(name)s.", name=user.username), "ok")
        return redirect(url_for("admin.users"))
    return _page(form)


def _page(form: NewUserForm, error: DomainError | None = None) -> str:
    """The commune's users and the form to add one (a refused one as typed, saying why)."""
    if error is not None:
        flash(error.message, "error")
    users = commune_users(current_user.commune_id, COMMUNE_ROLES)
    role_form = RoleForm()
    role_form.role.choices = _role_choices()
    return render_template(
        "admin/users.html",
        form=form,
        users=users,
        role_form=role_form,
        password_form=PasswordForm(),
        post_form=PostForm(),
    )


@require_role("admin")
def change_role(user_id: int):
    user = _user(user_id)
    form = RoleForm()
    form.role.choices = _role_choices()
    if form.validate_on_submit() and user.id != current_user.id and form.role.data != user.role:
        before, user.role = user.role, form.role.data
        _audit("user.role_changed", user, before=before, after=user.role)
        flash(_("Đã đổi vai trò của %(name)s.", name=user.username), "ok")
    elif user.id == current_user.id:
        flash(_("Không thể tự đổi vai trò của mình."), "error")
    return redirect(url_for("admin.users"))


@require_role("admin")
def reset_password(user_id: int):
    """Set a new password; every session of that user ends."""
    user = _user(user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        flash(_("Mật khẩu cần ít nhất 8 ký tự."), "error")
        return redirect(url_for("admin.users"))
    set_password(user, form.password.data)  # a refusal goes back to the list, saying why
    _audit("user.password_reset", user)
    flash(_("Đã đặt lại mật khẩu của %(name)s.", name=user.username), "ok")
    if user.id == current_user.id:
        return redirect(url_for("admin.login"))
    return redirect(url_for("admin.users"))


@require_role("admin")
def toggle_active(user_id: int):
    """Deactivate (or reactivate) a user; a deactivated user's sessions end at once."""
    user = _user(user_id)
    PostForm().validate_on_submit()
    if user.id == current_user.id:
        flash(_("Không thể tự khóa tài khoản của mình."), "error")
        return redirect(url_for("admin.users"))
    set_active(user, not user.active)
    _audit("user.activated" if user.active else "user.deactivated", user)
    flash(_("Đã cập nhật %(name)s.", name=user.username), "ok")
    return redirect(url_for("admin.users"))
