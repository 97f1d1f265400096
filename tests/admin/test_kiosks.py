"""The kiosks page: add shows the one-time URL and QR once, renew, revoke, posters."""

from __future__ import annotations

import re

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Hamlet, Kiosk
from tests.admin.conftest import login, page_csrf

_ENROLL = re.compile(r'id="enroll-url">(http[^<]+/kiosk/enroll/[\w-]+)<')


def _as(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _add(client, name="Quầy một cửa"):
    return client.post(
        "/admin/kiosks", data={"csrf_token": page_csrf(client, "/admin/kiosks"), "name": name}
    )


def test_add_shows_the_enrollment_url_once_and_it_enrolls_a_browser(as_user, app, world):
    client = as_user("admin1")
    response = _add(client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    url = _ENROLL.search(page).group(1)
    assert "<svg" in page and 'class="qr"' in page
    token = url.rsplit("/", 1)[1]
    assert token not in client.get("/admin/kiosks").get_data(as_text=True)
    assert "Xã đã có màn hình tên này" in _add(client).get_data(as_text=True)
    screen = app.test_client()
    assert screen.get(f"/kiosk/enroll/{token}").status_code == 302
    listing = client.get("/admin/kiosks").get_data(as_text=True)
    assert "Quầy một cửa" in listing and "Đang hoạt động" in listing
    with app.app_context():
        kiosk = _db.session.scalar(select(Kiosk))
        assert kiosk.commune_id == world.commune_id and kiosk.is_active
        assert (
            _db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "kiosk"))
            == "kiosk.created"
        )


def test_renew_and_revoke(as_user, app, world):
    client = as_user("admin1")
    first = _ENROLL.search(_add(client).get_data(as_text=True)).group(1).rsplit("/", 1)[1]
    with app.app_context():
        kiosk_id = _db.session.scalar(select(Kiosk.id))
    token = page_csrf(client, "/admin/kiosks")
    assert (
        client.post(f"/admin/kiosks/{kiosk_id}/revoke", data={"csrf_token": token}).status_code
        == 302
    )
    assert "Đã thu hồi" in client.get("/admin/kiosks").get_data(as_text=True)
    assert app.test_client().get(f"/kiosk/enroll/{first}").status_code != 302
    renewed = client.post(f"/admin/kiosks/{kiosk_id}/renew", data={"csrf_token": token})
    second = _ENROLL.search(renewed.get_data(as_text=True)).group(1).rsplit("/", 1)[1]
    assert second != first
    assert app.test_client().get(f"/kiosk/enroll/{second}").status_code == 302
    with app.app_context():
        actions = set(_db.session.scalars(select(AuditEvent.action)))
        assert {"kiosk.revoked", "kiosk.renewed"} <= actions


def test_posters_are_linked_per_commune_and_hamlet(as_user, app, world):
    page = as_user("officer1").get("/admin/kiosks").get_data(as_text=True)
    with app.app_context():
        hamlet = _db.session.scalar(select(Hamlet).where(Hamlet.commune_id == world.commune_id))
    assert 'href="/poster/tan-thanh"' in page
    assert f'href="/poster/tan-thanh?hamlet={hamlet.id}"' in page
    assert 'id="new-kiosk"' not in page


def test_only_the_communes_admin_changes_kiosks(app, world):
    admin = _as(app, "admin1")
    _add(admin)
    with app.app_context():
        kiosk_id = _db.session.scalar(select(Kiosk.id))
    for username in ("officer1", "super1"):
        client = _as(app, username)
        assert "Quầy một cửa" in client.get("/admin/kiosks").get_data(as_text=True)
        token = page_csrf(client, "/admin/kiosks")
        assert (
            client.post("/admin/kiosks", data={"csrf_token": token, "name": "Khác"}).status_code
            == 403
        )
        assert (
            client.post(f"/admin/kiosks/{kiosk_id}/revoke", data={"csrf_token": token}).status_code
            == 403
        )
    other = _as(app, "admin2")
    assert "Quầy một cửa" not in other.get("/admin/kiosks").get_data(as_text=True)
    token = page_csrf(other, "/admin/kiosks")
    for action in ("renew", "revoke"):
        assert (
            other.post(f"/admin/kiosks/{kiosk_id}/{action}", data={"csrf_token": token}).status_code
            == 404
        )
