"""Admin-panel users: creation, passwords and roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from nghedan.collation import person_sort_key
from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import Commune, User
from nghedan.models.people import ROLES

MIN_PASSWORD_LENGTH = 8


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    commune_id: int | None = None,
    full_name: str = "",
    supervised_commune_ids: tuple[int, ...] = (),
) -> User:
    """A new user; supervisors get the communes they oversee, others one commune."""
    username = (username or "").strip().lower()
    if not username:
        raise ValidationError(_l("Tên đăng nhập đang trống."), code="empty_username")
    if role not in ROLES:
        raise ValidationError(_l("Vai trò không hợp lệ: %(role)s", role=role), code="bad_role")
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ValidationError(_l("Tên đăng nhập đã có."), code="username_taken")
    if role != "supervisor" and db.session.get(Commune, commune_id or 0) is None:
        raise ValidationError(_l("Cần chọn xã, phường cho người dùng."), code="unknown_commune")
    user = User(
        username=username,
        role=role,
        commune_id=commune_id,
        full_name=full_name,
        password_hash=_hash(password),
    )
    if supervised_commune_ids:
        user.supervised_communes = list(
            db.session.scalars(select(Commune).where(Commune.id.in_(supervised_commune_ids)))
        )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and end every other session of this user."""
    user.password_hash = _hash(password)
    user.session_epoch += 1


def end_sessions(user: User) -> None:
    """End every session of this user on the server's side: a copy of a session cookie (a
    shared computer, a stolen cookie) stops working, whichever device logs out."""
    user.session_epoch += 1


def set_active(user: User, active: bool) -> None:
    """Deactivate (or reactivate) a user; a deactivation ends their sessions at once."""
    user.active = active
    user.session_epoch += 1


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def _hash(password: str) -> str:
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _l("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH), code="weak_password"
        )
    return generate_password_hash(password)  # scrypt: a deliberately slow hash


def user_named(username: str) -> User | None:
    """The user who logs in with this name (names are stored in lower case)."""
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def commune_users(commune_id: int, roles: tuple[str, ...]) -> list[User]:
    """The commune's users of these roles, in Vietnamese name order."""
    users = db.session.scalars(
        select(User).where(User.commune_id == commune_id, User.role.in_(roles))
    )
    return sorted(users, key=lambda u: person_sort_key(u.full_name or u.username))
