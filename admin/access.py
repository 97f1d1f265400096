"""Who may see what in the admin panel: login sessions, roles, commune scope, masking.

Roles:
- `admin`: everything in their commune, users included; sees residents' phones and names,
  and is the only role that sees who sent a denunciation (each such view is audited).
- `officer`: triage and dialogues in their commune; sees phones and names, except a
  denunciation's sender.
- `supervisor`: read-only over the communes assigned to them; sees phones and names masked.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from nghedan import phones
from nghedan.extensions import db, login_manager
from nghedan.models import Commune, Dialogue, Item, Officer, User
from nghedan.models.people import ROLES

ANY_ROLE = ROLES  # every logged-in user: admin, officer, supervisor
EDITORS = ("admin", "officer")  # who changes items and dialogues of their commune
READ_ONLY_ROLES = ("supervisor",)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def init_login(app: Flask) -> None:
    """Bind Flask-Login to the app: admin login page, user loader, session protection."""
    login_manager.init_app(app)
    login_manager.login_view = "admin.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def load_user(session_id: str) -> User | None:
    """The user of a session id `"<id>:<epoch>"`; an old epoch (password changed) is no one."""
    user_id, _, epoch = (session_id or "").partition(":")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return user


def login_url() -> str:
    """The login page, coming back to the current page afterwards."""
    target = request.full_path.rstrip("?") if request.query_string else request.path
    return url_for("admin.login", next=target)


def require_role(*roles: str):
    """Decorator: login required (else redirect to login), role in `roles` (else 403).

    No roles means any logged-in user. Read-only roles (supervisor) get 403 on any
    request that would change something.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(login_url())
            if roles and current_user.role not in roles:
                abort(403)
            if current_user.role in READ_ONLY_ROLES and request.method not in SAFE_METHODS:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_commune_ids(user: User) -> list[int]:
    """The communes whose rows this user may see."""
    if user.role == "supervisor":
        return sorted(c.id for c in user.supervised_communes)
    return [user.commune_id] if user.commune_id is not None else []


def ensure_visible(commune_id: int | None) -> None:
    """404 (not 403: don't confirm it exists) when the current user can't see this commune."""
    if commune_id is None or commune_id not in visible_commune_ids(current_user):
        abort(404)


def visible_or_404(model, object_id: int):
    """The object of a commune-owned model (item, dialogue, officer…) by id, or 404 when it
    doesn't exist or belongs to a commune the current user can't see."""
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    ensure_visible(found.commune_id)
    return found


def own_or_404(model, object_id: int | None, **equal):
    """The object of a commune-owned model by id when it belongs to the user's own commune
    (not one they supervise) and has the attribute values given, else 404."""
    found = db.session.get(model, object_id) if object_id is not None else None
    if found is None or found.commune_id != current_user.commune_id:
        abort(404)
    if any(getattr(found, name) != value for name, value in equal.items()):
        abort(404)
    return found


def commune_or_404(commune_id: int | None) -> Commune:
    """A commune the current user may see, by id, or 404."""
    ensure_visible(commune_id)
    commune = db.session.get(Commune, commune_id)
    if commune is None:
        abort(404)
    return commune


def own_commune() -> Commune:
    """The user's own commune (what admins edit), or 404 for a user without one."""
    return commune_or_404(current_user.commune_id)


def officer_among(officer_id: int | None, commune_ids: list[int]) -> Officer | None:
    """The officer of one of these communes with this id (a report's filter), else None."""
    officer = db.session.get(Officer, officer_id) if officer_id else None
    return officer if officer is not None and officer.commune_id in commune_ids else None


def load_item(item_id: int) -> Item:
    """The item, or 404 when it doesn't exist or belongs to a commune the user can't see."""
    return visible_or_404(Item, item_id)


def load_dialogue(dialogue_id: int) -> Dialogue:
    """The dialogue, or 404 when it doesn't exist or belongs to a commune the user can't see."""
    return visible_or_404(Dialogue, dialogue_id)


def chosen_commune() -> Commune:
    """The commune the page is about: `?commune=<id>` among the visible ones, else the first."""
    ids = visible_commune_ids(current_user)
    if not ids:
        abort(404)
    wanted = request.values.get("commune", type=int)
    commune = db.session.get(Commune, wanted if wanted in ids else ids[0])
    if commune is None:
        abort(404)
    return commune


def is_deployment_admin(user: User) -> bool:
    """An admin named in DEPLOYMENT_ADMINS: may add communes to the deployment."""
    names = current_app.config.get("DEPLOYMENT_ADMINS") or ()
    if isinstance(names, str):
        names = names.split(",")
    return (
        user.is_authenticated
        and user.role == "admin"
        and user.username in {str(n).strip().lower() for n in names}
    )


def can_edit(user: User) -> bool:
    return user.role not in READ_ONLY_ROLES


def sees_contacts(user: User) -> bool:
    """Whether residents' phones and names are shown whole to this role."""
    return user.role in EDITORS


def sees_denunciation_sender(user: User) -> bool:
    return user.role == "admin"


def may_link_phone(user: User, item: Item | None, *, audited: bool = False) -> bool:
    """The one rule: may this viewer see a resident's phone beside this item (or beside a
    text tied to it)? Yes for any item but a denunciation; a denunciation's sender only for
    an admin, and only on that denunciation's sender page, where each view is audited."""
    if item is None or not item.is_denunciation:
        return True
    return audited and sees_denunciation_sender(user)


def may_link_message(user: User, tied: list[Item], *, audited_for: Item | None = None) -> bool:
    """`may_link_phone` for a text tied to these denunciations (see services.confidential)."""
    return all(
        may_link_phone(user, item, audited=audited_for is not None and item.id == audited_for.id)
        for item in tied
    )


def shown_phone(user: User, phone: str | None, *, item: Item | None = None) -> str:
    """A resident's phone as this user may see it beside `item`: whole, masked, or hidden."""
    if not phone:
        return ""
    if not may_link_phone(user, item):
        return "•••"
    return phones.display(phone) if sees_contacts(user) else phones.masked(phone)


def shown_name(user: User, name: str | None, *, item: Item | None = None) -> str:
    """A resident's name as this user may see it beside `item`: whole, initials, or hidden."""
    if not name:
        return ""
    if not may_link_phone(user, item):
        return "•••"
    if sees_contacts(user):
        return name
    return " ".join(word[:1] + "." for word in name.split())
