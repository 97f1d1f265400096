"""The users page: an admin creates, re-roles, resets and deactivates their commune's users."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, User
from tests.admin.conftest import login, page_csrf


def _user(app, username):
    with app.app_context():
        user = _db.session.scalar(select(User).where(User.username == username))
        _db.session.expunge(user)
        return user


def test_admin_lists_only_their_communes_users(as_user, world):
    page = as_user("admin1").get("/admin/users").get_data(as_text=True)
    assert "officer1" in page and "admin2" not in page and "super1" not in page


def test_admin_creates_a_user_who_can_log_in(as_user, app, world):
    client = as_user("admin1")
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": page_csrf(client, "/admin/users"),
            "username": "Lan",
            "full_name": "Nguyễn Thị Lan",
            "role": "officer",
            "password": "mat-khau-cua-lan",
        },
    )
    assert response.status_code == 302
    lan = _user(app, "lan")
    assert lan.role == "officer" and lan.commune_id == world.commune_id
    assert login(app.test_client(), "lan", "mat-khau-cua-lan").status_code == 302
    with app.app_context():
        assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))


def test_admin_can_not_create_a_supervisor_or_a_duplicate(as_user, app, world):
    client = as_user("admin1")
    token = page_csrf(client, "/admin/users")
    client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "sup",
            "role": "supervisor",
            "password": "mat-khau-dai-1",
        },
    )
    page = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "officer1",
            "role": "officer",
            "password": "mat-khau-dai-1",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Tên đăng nhập đã có." in page
    with app.app_context():
        assert _db.session.scalar(select(User).where(User.username == "sup")) is None


def test_role_change_password_reset_and_deactivation(as_user, app, world):
    officer_client = app.test_client()
    assert login(officer_client, "officer1").status_code == 302
    client = as_user("admin1")
    officer = _user(app, "officer1")
    token = page_csrf(client, "/admin/users")
    client.post(f"/admin/users/{officer.id}/role", data={"csrf_token": token, "role": "admin"})
    assert _user(app, "officer1").role == "admin"
    client.post(
        f"/admin/users/{officer.id}/password",
        data={"csrf_token": token, "password": "mat-khau-moi-99"},
    )
    assert officer_client.get("/admin/items").status_code == 302  # logged out everywhere
    assert login(officer_client, "officer1", "mat-khau-moi-99").status_code == 302
    client.post(f"/admin/users/{officer.id}/active", data={"csrf_token": token})
    assert _user(app, "officer1").active is False
    assert officer_client.get("/admin/items").status_code == 302
    with app.app_context():
        actions = set(_db.session.scalars(select(AuditEvent.action)))
    assert {"user.role_changed", "user.password_reset", "user.deactivated"} <= actions


def test_admin_can_not_lock_or_demote_themselves(as_user, app, world):
    client = as_user("admin1")
    me = _user(app, "admin1")
    token = page_csrf(client, "/admin/users")
    client.post(f"/admin/users/{me.id}/active", data={"csrf_token": token})
    client.post(f"/admin/users/{me.id}/role", data={"csrf_token": token, "role": "officer"})
    me = _user(app, "admin1")
    assert me.active and me.role == "admin"
