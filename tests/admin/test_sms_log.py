"""The SMS log: scoped to the user's communes, filters, keyset pages, masking, send again."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Message, utcnow
from nghedan.services.sms import log as sms_log
from nghedan.services.sms.contacts import set_opt_out
from tests.admin.conftest import login, page_csrf


def _as(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _message(commune_id, body, **kw):
    kw.setdefault("direction", "out")
    kw.setdefault("status", "sent")
    message = Message(
        channel=kw.pop("channel", "twilio"),
        phone=kw.pop("phone", "+84912345678"),
        body=body,
        commune_id=commune_id,
        **kw,
    )
    _db.session.add(message)
    _db.session.flush()
    return message.id


def _log(app, world):
    """A few texts of ours and one of the other commune."""
    with app.app_context():
        ids = {
            "in": _message(
                world.commune_id,
                "Đường ngập nước",
                direction="in",
                status="processed",
                channel="android",
            ),
            "flood": _message(
                world.commune_id,
                "spam spam",
                direction="in",
                status="flagged",
                flagged=True,
                flag_reason="Quá nhiều tin từ một số",
            ),
            "failed": _message(
                world.commune_id,
                "Mã tra cứu của bạn: 12345678",
                status="failed",
                error_code="30003",
                error_message="Unreachable destination",
                kind="receipt",
                item_id=world.item_id,
            ),
            "secret": _message(
                world.commune_id, "Đã nhận đơn", phone="+84901234567", item_id=world.denunciation_id
            ),
            "theirs": _message(world.other_commune_id, "Tin của xã khác", phone="+84987654321"),
            "old": _message(
                world.commune_id, "Tin cũ tháng trước", created_at=utcnow() - timedelta(days=40)
            ),
        }
        _db.session.commit()
        return ids


def test_newest_first_with_flag_reasons_and_error_codes_in_our_communes_only(app, world):
    _log(app, world)
    page = _as(app, "officer1").get("/admin/sms").get_data(as_text=True)
    assert page.index("Mã tra cứu của bạn") < page.index("spam spam") < page.index("Đường ngập")
    assert "Quá nhiều tin từ một số" in page and "30003" in page
    assert "Unreachable destination" in page and "Tin của xã khác" not in page
    assert "0912 345 678" in page
    for username in ("officer1", "admin1"):  # a denunciation's sender: never in the log
        page = _as(app, username).get("/admin/sms").get_data(as_text=True)
        assert "Đã nhận đơn" in page and "901234567" not in page
        # Not even masked ("0901 *** *67"); a tracking code may hold the digits 0901 by chance.
        assert re.search(r"(?<!\d)0901(?!\d)", page) is None
    supervised = _as(app, "super1").get("/admin/sms").get_data(as_text=True)
    assert "0912 345 678" not in supervised and "0912 *** *78" in supervised
    assert "Gửi lại" not in supervised
    theirs = _as(app, "admin2").get("/admin/sms").get_data(as_text=True)
    assert "Tin của xã khác" in theirs and "Đường ngập" not in theirs


def test_filters(as_user, app, world):
    _log(app, world)
    client = as_user("officer1")

    def bodies(query):
        return client.get("/admin/sms?" + query).get_data(as_text=True)

    assert "Đường ngập" in bodies("direction=in") and "Mã tra cứu" not in bodies("direction=in")
    flagged = bodies("flagged=1")
    assert "spam spam" in flagged and "Đường ngập" not in flagged
    failed = bodies("failed=1")
    assert "Mã tra cứu" in failed and "Tin cũ" not in failed and "spam" not in failed
    assert "Tin cũ" not in bodies("status=processed")
    android = bodies("channel=android")
    assert "Đường ngập" in android and "spam spam" not in android
    day = (utcnow() - timedelta(days=40)).date()
    dated = bodies(f"from={day - timedelta(days=1)}&to={day + timedelta(days=1)}")
    assert "Tin cũ tháng trước" in dated and "Đường ngập" not in dated


def test_keyset_pages_have_no_gaps_or_repeats(as_user, app, world, monkeypatch):
    monkeypatch.setattr(sms_log, "PAGE_SIZE", 2)
    with app.app_context():
        for n in range(5):
            _message(world.commune_id, f"Tin số {n}")
        _db.session.commit()
    client = as_user("officer1")

    def shown(page):
        return sorted(
            (n for n in range(5) if f"Tin số {n}" in page), key=lambda n: page.index(f"Tin số {n}")
        )

    def link(page, which):
        parts = page.split(f'id="page-{which}" href="')
        return parts[1].split('"')[0].replace("&amp;", "&") if len(parts) > 1 else None

    pages, url = [], "/admin/sms"
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(page)
        url = link(page, "older")
    assert [shown(p) for p in pages] == [[4, 3], [2, 1], [0]]
    assert link(pages[0], "newer") is None
    assert shown(client.get(link(pages[-1], "newer")).get_data(as_text=True)) == [2, 1]
    assert link(client.get(link(pages[1], "newer")).get_data(as_text=True), "newer") is None


def test_send_again_queues_a_copy_and_is_audited(as_user, app, world):
    ids = _log(app, world)
    client = as_user("officer1")
    token = page_csrf(client, "/admin/sms")
    response = client.post(f"/admin/sms/{ids['failed']}/resend", data={"csrf_token": token})
    assert response.status_code == 302
    refused = client.post(
        f"/admin/sms/{ids['in']}/resend", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Chỉ gửi lại được" in refused.get_data(as_text=True)
    with app.app_context():
        copy = _db.session.scalar(select(Message).where(Message.status == "queued"))
        assert (copy.direction, copy.phone, copy.kind, copy.item_id, copy.commune_id) == (
            "out",
            "+84912345678",
            "receipt",
            world.item_id,
            world.commune_id,
        )
        assert copy.body == "Mã tra cứu của bạn: 12345678"
        assert _db.session.get(Message, ids["failed"]).status == "failed"
        entry = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sms.resent"))
        assert entry.object_id == ids["failed"] and entry.detail == {"copy_id": copy.id}
        set_opt_out("+84912345678", True)
        _db.session.commit()
    opted_out = client.post(
        f"/admin/sms/{ids['failed']}/resend", data={"csrf_token": token}, follow_redirects=True
    )
    assert "từ chối nhận tin" in opted_out.get_data(as_text=True)


def test_send_again_is_not_for_supervisors_or_other_communes(app, world):
    ids = _log(app, world)
    supervisor = _as(app, "super1")
    assert (
        supervisor.post(
            f"/admin/sms/{ids['failed']}/resend",
            data={"csrf_token": page_csrf(supervisor, "/admin/sms")},
        ).status_code
        == 403
    )
    other = _as(app, "admin2")
    assert (
        other.post(
            f"/admin/sms/{ids['failed']}/resend",
            data={"csrf_token": page_csrf(other, "/admin/sms")},
        ).status_code
        == 404
    )
    with app.app_context():
        assert _db.session.scalar(select(Message.id).where(Message.status == "queued")) is None


def test_the_pipelines_flag_reasons_are_shown_in_the_officials_language(app, world):
    from sms_gateway.pipeline import FLOOD

    with app.app_context():
        _message(
            world.commune_id,
            "spam spam",
            direction="in",
            status="flagged",
            flagged=True,
            flag_reason=FLOOD,
        )  # stored in Vietnamese, as the pipeline does
        _db.session.commit()
    client = _as(app, "officer1")
    assert "quá nhiều tin nhắn từ một số" in client.get("/admin/sms").get_data(as_text=True)
    client.get("/lang/en")
    assert "too many texts from one number" in client.get("/admin/sms").get_data(as_text=True)
