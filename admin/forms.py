"""The admin panel's forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)])


class PostForm(FlaskForm):
    """A form with no fields of its own: buttons that only need the CSRF token."""


class NewUserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Vai trò"), choices=[])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(min=8, max=200)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Vai trò"), choices=[])


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("Mật khẩu mới"), validators=[DataRequired(), Length(min=8, max=200)]
    )


class OwnPasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        _l("Mật khẩu mới"), validators=[DataRequired(), Length(min=8, max=200)]
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"), validators=[DataRequired(), EqualTo("password")]
    )
