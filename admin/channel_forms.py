"""Forms of the "Kênh liên lạc" pages: a Zalo OA connected, or its settings changed.

The rules (digits only, names unique, one OA once) are the service's
(`nghedan.services.sms.zalo_accounts`), shared with `nghedan zalo add`; these forms only carry
the fields and the CSRF token. Secrets are password inputs, which never echo a value back.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import Regexp

from nghedan.services.sms.zalo_accounts import ZaloTokens

SECRET_INPUT = {"autocomplete": "off", "spellcheck": "false"}


class ZaloSettingsForm(FlaskForm):
    """What an admin may change on a connected OA (empty secrets: unchanged)."""

    name = StringField(_l("Tên kênh"))
    app_id = StringField(_l("Mã ứng dụng (App ID)"))
    secret_key = PasswordField(_l("Khóa bí mật (Secret Key)"), render_kw=SECRET_INPUT)
    refresh_token = PasswordField(_l("Mã làm mới (Refresh Token)"), render_kw=SECRET_INPUT)
    access_token = PasswordField(
        _l("Mã truy cập (Access Token), nếu vừa cấp"), render_kw=SECRET_INPUT
    )
    access_expires_in = StringField(
        _l("Mã truy cập còn dùng được (giây)"),
        validators=[Regexp(r"^\d{0,9}$", message=_l("Nhập số giây, chỉ gồm chữ số."))],
    )

    def tokens(self) -> ZaloTokens | None:
        """The new tokens typed in, or None when the token fields were left empty."""
        if not (self.refresh_token.data or self.access_token.data):
            return None
        return ZaloTokens(
            refresh_token=self.refresh_token.data or "",
            access_token=self.access_token.data or None,
            access_expires_in=int(self.access_expires_in.data or 0),
        )

    def show_refusal(self, errors: dict) -> None:
        """Put the service's reasons next to the fields they are about."""
        for name, reason in errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, str(reason)]


class ZaloConnectForm(ZaloSettingsForm):
    """A new OA: its commune and OA id as well (both fixed once connected)."""

    commune = SelectField(_l("Xã, phường"), coerce=int, validate_choice=False)
    oa_id = StringField(_l("Mã OA (OA ID)"))
