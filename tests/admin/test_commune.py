"""The commune page: settings (SMS number as E.164, signing block) and hamlets; admins only."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Commune, Hamlet
from tests.admin.conftest import login, page_csrf

SETTINGS = {
    "name": "Tân Thạnh",
    "kind": "xa",
    "sms_number": "0912 345 678",
    "chairman_name": "Nguyễn Quốc Việt",
    "notice_signing_authority": "TM. ỦY BAN NHÂN DÂN",
    "notice_signing_title": "KT. CHỦ TỊCH",
    "rotation_days": "60",
}


def _as(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_admin_saves_settings_with_the_sms_number_in_e164(as_user, app, world):
    client = as_user("admin1")
    token = page_csrf(client, "/admin/commune")
    bad = client.post(
        "/admin/commune/settings", data={**SETTINGS, "csrf_token": token, "sms_number": "12345"}
    )
    assert bad.status_code == 422 and "không hợp lệ" in bad.get_data(as_text=True)
    response = client.post("/admin/commune/settings", data={**SETTINGS, "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        assert commune.sms_number == "+84912345678"
        assert (commune.chairman_name, commune.notice_signing_title, commune.rotation_days) == (
            "Nguyễn Quốc Việt",
            "KT. CHỦ TỊCH",
            60,
        )
        entry = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "commune.updated"))
        assert entry.detail["changes"]["sms_number"] == [None, "+84912345678"]
    assert 'value="0912 345 678"' in client.get("/admin/commune").get_data(as_text=True)


def test_hamlets_add_rename_deactivate(as_user, app, world):
    client = as_user("admin1")
    token = page_csrf(client, "/admin/commune")
    client.post(
        "/admin/commune/hamlets", data={"csrf_token": token, "name": "Khóm 3", "kind": "khom"}
    )
    dup = client.post(
        "/admin/commune/hamlets",
        data={"csrf_token": token, "name": "khóm 3", "kind": "khom"},
        follow_redirects=True,
    )
    assert "đã có ấp, khóm tên này" in dup.get_data(as_text=True)
    with app.app_context():
        hamlet = _db.session.scalar(select(Hamlet).where(Hamlet.name == "Khóm 3"))
        assert hamlet.commune_id == world.commune_id and hamlet.kind == "khom"
        hamlet_id = hamlet.id
    client.post(
        f"/admin/commune/hamlets/{hamlet_id}",
        data={"csrf_token": token, "name": "Tổ dân phố 3", "kind": "to_dan_pho"},
    )
    client.post(f"/admin/commune/hamlets/{hamlet_id}/active", data={"csrf_token": token})
    with app.app_context():
        hamlet = _db.session.get(Hamlet, hamlet_id)
        assert (hamlet.name, hamlet.kind, hamlet.active) == ("Tổ dân phố 3", "to_dan_pho", False)
        actions = set(_db.session.scalars(select(AuditEvent.action)))
        assert {"hamlet.created", "hamlet.updated", "hamlet.deactivated"} <= actions
    page = client.get("/admin/commune").get_data(as_text=True)
    page = page[page.index('id="hamlet-list"') :]
    assert page.index("Ấp Tân Phú") < page.index("Tổ dân phố 3")  # inactive last


def test_others_read_and_only_the_admin_writes(app, world):
    with app.app_context():
        their_hamlet = _db.session.scalar(
            select(Hamlet.id).where(Hamlet.commune_id == world.other_commune_id)
        )
        our_hamlet = _db.session.scalar(
            select(Hamlet.id).where(Hamlet.commune_id == world.commune_id)
        )
    for username in ("officer1", "super1"):
        client = _as(app, username)
        page = client.get("/admin/commune").get_data(as_text=True)
        assert "Ấp Tân Phú" in page and 'id="commune-settings"' not in page
        token = page_csrf(client, "/admin/commune")
        assert (
            client.post(
                "/admin/commune/settings", data={**SETTINGS, "csrf_token": token}
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/admin/commune/hamlets/{our_hamlet}/active", data={"csrf_token": token}
            ).status_code
            == 403
        )
    other = _as(app, "admin2")
    token = page_csrf(other, "/admin/commune")
    assert "Ấp Tân Phú" not in other.get("/admin/commune").get_data(as_text=True)
    assert other.get(f"/admin/commune?commune={world.commune_id}").status_code == 404
    assert (
        other.post(
            f"/admin/commune/hamlets/{our_hamlet}/active", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        other.post(
            f"/admin/commune/hamlets/{their_hamlet}/active", data={"csrf_token": token}
        ).status_code
        == 302
    )
