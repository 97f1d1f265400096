"""Logging in and out of the admin panel."""

from __future__ import annotations

import secrets
from functools import cache

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from admin import login_throttle
from admin.access import login_url, require_role
from admin.forms import LoginForm, OwnPasswordForm, PostForm
from admin.supervision import landing_url
from nghedan.models import User, utcnow
from nghedan.safe_redirect import safe_next
from nghedan.services.items.history import audit
from nghedan.services.people.users import (
    end_sessions,
    password_matches,
    set_password,
    user_named,
)


@cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so both cases take the same slow time."""
    return generate_password_hash(secrets.token_hex(16))


def login():
    """The login page; a failure is recorded, too many failures block further tries."""
    target = safe_next(request.args.get("next"), default=url_for("admin.items"))
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("admin/login.html", form=form)
    username = form.username.data.strip().lower()
    user = user_named(username)
    address = request.remote_addr
    if login_throttle.is_blocked(user, address):
        error = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.")
        return render_template("admin/login.html", form=form, error=error), 429
    if not _credentials_ok(user, form.password.data):
        login_throttle.record_failure(user, username, address)
        error = _("Tên đăng nhập hoặc mật khẩu không đúng.")
        return render_template("admin/login.html", form=form, error=error)
    session.clear()  # a fresh session: nothing from before the login carries over
    login_user(user)
    user.last_login_at = utcnow()
    audit(
        "login",
        user_id=user.id,
        commune_id=user.commune_id,
        object_type="user",
        object_id=user.id,
        remote_addr=address,
    )
    return redirect(target if request.args.get("next") else landing_url(user))


def _credentials_ok(user: User | None, password: str) -> bool:
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return password_matches(user, password) and user.active


def logout():
    """End this session (POST only, with CSRF, so no page can log someone out).

    The session cookie is signed, not stored, so clearing it is not enough: a copy of it
    would still open the panel. Logging out moves the user's session epoch on, as a password
    change does, which ends every session of this user on every device.
    Not behind require_role: read-only supervisors must be able to log out too.
    """
    if not current_user.is_authenticated:
        return redirect(login_url())
    form = PostForm()
    if form.validate_on_submit():
        audit(
            "logout",
            user_id=current_user.id,
            commune_id=current_user.commune_id,
            object_type="user",
            object_id=current_user.id,
            remote_addr=request.remote_addr,
        )
        end_sessions(current_user._get_current_object())
        logout_user()
        session.clear()
    return redirect(url_for("admin.login"))


@require_role()
def home():
    """Supervisors land on their communes, with problems first; officials on the inbox."""
    return redirect(landing_url(current_user))


def own_password():
    """Any logged-in user changes their own password; their other sessions end.

    Not behind require_role: read-only supervisors change their own password too.
    """
    if not current_user.is_authenticated:
        return redirect(login_url())
    form = OwnPasswordForm()
    if not form.validate_on_submit():
        return render_template("admin/password.html", form=form)
    user = current_user._get_current_object()
    if not password_matches(user, form.current.data):
        return render_template(
            "admin/password.html", form=form, error=_("Mật khẩu hiện tại không đúng.")
        )
    set_password(user, form.password.data)
    audit(
        "user.password_changed",
        user_id=user.id,
        commune_id=user.commune_id,
        object_type="user",
        object_id=user.id,
        remote_addr=request.remote_addr,
    )
    login_user(user)  # this session continues with the new epoch; every other one ends
    flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."), "ok")
    return redirect(url_for("admin.items"))
