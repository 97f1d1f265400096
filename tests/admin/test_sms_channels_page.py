"""The "Kênh liên lạc" page: each channel's health for the user's communes; admins turn one off."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, SmsChannel, utcnow
from nghedan.services.sms.channels import note_failure
from tests.admin.conftest import page_csrf


def add_channels(app, world) -> dict[str, int]:
    with app.app_context():
        now = utcnow()
        phone = SmsChannel(
            kind="android",
            name="Viettel văn phòng",
            commune_id=world.commune_id,
            phone_number="+84868000115",
            carrier="viettel",
            active=True,
            settings={},
            last_ping_at=now - timedelta(minutes=3),
            ping_status="pass",
            ping_detail={"battery": 57},
            last_inbound_at=now - timedelta(minutes=20),
        )
        modem = SmsChannel(
            kind="gammu",
            name="Modem <VinaPhone>",
            commune_id=world.commune_id,
            carrier="vinaphone",
            active=True,
            settings={},
        )
        theirs = SmsChannel(
            kind="android",
            name="Mỹ Hòa MobiFone",
            commune_id=world.other_commune_id,
            active=True,
            settings={},
        )
        _db.session.add_all([phone, modem, theirs])
        _db.session.flush()
        for _ in range(3):
            note_failure(
                modem.id, "gammu-io", "cannot write to /var/spool/gammu/outbox", counts_down=True
            )
        _db.session.commit()
        return {"phone": phone.id, "modem": modem.id, "theirs": theirs.id}


def test_the_page_shows_each_channels_health(as_user, app, world):
    add_channels(app, world)
    response = as_user("officer1").get("/admin/sms-channels")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Viettel văn phòng" in page and "0868 000 115" in page and "Pin 57%" in page
    assert "Modem &lt;VinaPhone&gt;" in page  # escaped
    assert "Gặp sự cố (gửi lỗi liên tiếp)" in page
    assert "cannot write to /var/spool/gammu/outbox" in page
    assert "Mỹ Hòa MobiFone" not in page  # another commune's
    assert 'href="/admin/sms-channels"' in page  # in the main menu
    assert "Tắt</button>" not in page  # officers look, admins switch


def test_a_supervisor_sees_the_page_read_only(as_user, app, world):
    ids = add_channels(app, world)
    client = as_user("super1")
    assert client.get("/admin/sms-channels").status_code == 200
    token = page_csrf(client, "/admin/sms-channels")
    response = client.post(f"/admin/sms-channels/{ids['phone']}/toggle", data={"csrf_token": token})
    assert response.status_code == 403


def test_an_admin_turns_a_channel_off_and_on(as_user, app, world):
    ids = add_channels(app, world)
    client = as_user("admin1")
    token = page_csrf(client, "/admin/sms-channels")
    url = f"/admin/sms-channels/{ids['phone']}/toggle"
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    page = client.get("/admin/sms-channels").get_data(as_text=True)
    assert "Đã tắt kênh Viettel văn phòng." in page
    with app.app_context():
        assert _db.session.get(SmsChannel, ids["phone"]).active is False
        assert (
            _db.session.scalar(
                select(AuditEvent.action).where(AuditEvent.object_type == "sms_channel")
            )
            == "sms_channel.toggled"
        )
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    other = f"/admin/sms-channels/{ids['theirs']}/toggle"
    assert client.post(other, data={"csrf_token": token}).status_code == 404


def test_healthz_lists_each_channel(client, app, world):
    add_channels(app, world)
    channels = {c["name"]: c for c in client.get("/healthz").get_json()["sms"]["channels"]}
    assert channels["Modem <VinaPhone>"]["state"] == "down"
    assert channels["Modem <VinaPhone>"]["failed_sends_last_hour"] == 3
    assert channels["Viettel văn phòng"]["state"] == "ok"
    assert channels["Viettel văn phòng"]["last_ping"] is not None


def test_anonymous_users_go_to_the_login(client, world):
    response = client.get("/admin/sms-channels")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_the_page_in_english(as_user, app, world):
    add_channels(app, world)
    client = as_user("admin1")
    client.get("/lang/en")
    page = client.get("/admin/sms-channels").get_data(as_text=True)
    assert "Contact channels" in page and "Battery 57%" in page
    assert "Failed sends in the last hour" in page
    assert "In trouble (sends failing in a row)" in page
