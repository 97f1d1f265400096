"""The item page: facts, history, SMS thread, masking, denunciations, triage, reply, merge."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.formatting import LOCAL_ZONE, fmt_date
from nghedan.models import AuditEvent, Commune, Item, Message, utcnow
from nghedan.services.sms.contacts import set_opt_out
from tests.admin.conftest import page_csrf
from tests.factories import make_item


def _thread(app, world):
    with app.app_context():
        _db.session.add_all(
            [
                Message(
                    direction="in",
                    channel="twilio",
                    phone="+84912345678",
                    body="Duong ngap",
                    status="processed",
                    item_id=world.item_id,
                    commune_id=world.commune_id,
                ),
                Message(
                    direction="out",
                    channel="twilio",
                    phone="+84912345678",
                    status="delivered",
                    body="Da nhan y kien",
                    item_id=world.item_id,
                    commune_id=world.commune_id,
                    created_at=utcnow(),
                ),
            ]
        )
        _db.session.commit()


def test_item_page_shows_text_facts_history_and_thread(as_user, app, world):
    _thread(app, world)
    client = as_user("officer1")
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    for expected in (
        "Đường ấp Tân Phú bị ngập nước",
        "Tin nhắn SMS",
        "Ấp Tân Hòa",
        "0912 345 678",
        "Nguyễn Văn An",
        "Lịch sử xử lý",
        "Duong ngap",
        "Da nhan y kien",
        "Đã đến máy",
    ):
        assert expected in page, expected


def test_resident_text_is_escaped(as_user, app, world):
    with app.app_context():
        item = make_item(_db.session.get(Commune, world.commune_id), "<script>alert(1)</script>")
        _db.session.commit()
        item_id = item.id
    client = as_user("officer1")
    page = client.get(f"/admin/items/{item_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_denunciation_sender_is_hidden_from_officers(as_user, app, world):
    client = as_user("officer1")
    page = client.get(f"/admin/items/{world.denunciation_id}").get_data(as_text=True)
    # No part of the sender's number (a tracking code may hold the digits 0901 by chance).
    assert re.search(r"(?<!\d)0901(?!\d)", page) is None and "901234567" not in page
    assert "Người Tố Cáo" not in page and "giữ bí mật" in page
    assert "/sender" not in page
    assert client.get(f"/admin/items/{world.denunciation_id}/sender").status_code == 403


def test_admin_sees_denunciation_sender_and_every_view_is_audited(as_user, app, world):
    client = as_user("admin1")
    page = client.get(f"/admin/items/{world.denunciation_id}").get_data(as_text=True)
    assert "0901 234 567" not in page
    for _ in range(2):
        sender = client.get(f"/admin/items/{world.denunciation_id}/sender").get_data(as_text=True)
        assert "0901 234 567" in sender and "Người Tố Cáo" in sender
    with app.app_context():
        views = _db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "item.denunciation_sender_viewed")
        ).all()
        assert len(views) == 2 and {v.object_id for v in views} == {world.denunciation_id}


def test_triage_form_records_every_change(as_user, app, world):
    client = as_user("officer1")
    due = datetime.now(LOCAL_ZONE).date() + timedelta(days=22)
    response = client.post(
        f"/admin/items/{world.item_id}/triage",
        data={
            "csrf_token": page_csrf(client, f"/admin/items/{world.item_id}"),
            "category": "",
            "hamlet": "",
            "legal_type": "complaint",
            "responsible": "Ông Hùng",
            "due_date": due.isoformat(),
            "status": "forwarded",
            "note": "Chuyển địa chính",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        item = _db.session.get(Item, world.item_id)
        assert (item.legal_type, item.responsible, item.due_date, item.status) == (
            "complaint",
            "Ông Hùng",
            due,
            "forwarded",
        )
        assert item.hamlet_id is None
        kinds = [e.kind for e in item.events]
        assert {"legal_type", "hamlet", "responsible", "due_date", "status"} <= set(kinds)
        status = [e for e in item.events if e.kind == "status"][-1]
        assert status.note == "Chuyển địa chính" and status.user_id is not None
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "Chuyển địa chính" in page and "Officer1" in page and fmt_date(due) in page


def test_reply_shows_parts_and_cost_before_sending(as_user, app, world):
    client = as_user("officer1")
    url = f"/admin/items/{world.item_id}/reply"
    token = page_csrf(client, f"/admin/items/{world.item_id}")
    body = "Xã đã cử cán bộ xuống kiểm tra, sẽ nạo vét cống trong tuần này."
    preview = client.post(url, data={"csrf_token": token, "body": body})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "1 phần tin (UCS-2) × 1 người nhận = 1 tin, khoảng 350 đồng" in page
    with app.app_context():
        assert _db.session.scalar(select(Message).where(Message.direction == "out")) is None
    sent = client.post(url, data={"csrf_token": token, "body": body, "confirm": "1"})
    assert sent.status_code == 302
    with app.app_context():
        [message] = _db.session.scalars(select(Message).where(Message.direction == "out")).all()
        assert message.phone == "+84912345678" and message.status == "queued"
        assert message.item_id == world.item_id and message.body == body


def test_long_reply_falls_back_to_unaccented_text_in_the_preview(as_user, app, world):
    client = as_user("officer1")
    token = page_csrf(client, f"/admin/items/{world.item_id}")
    body = "Xã đã tiếp nhận ý kiến của ông bà và sẽ trả lời tại buổi đối thoại tháng sau."
    page = client.post(
        f"/admin/items/{world.item_id}/reply", data={"csrf_token": token, "body": body}
    ).get_data(as_text=True)
    assert "Xa da tiep nhan" in page and "1 phần tin (GSM-7)" in page


def test_merge_from_suggestions_keeps_every_resident_informed(as_user, app, world):
    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        kept = _db.session.get(Item, world.item_id)
        copy = make_item(
            commune,
            "duong ap tan phu bi ngap nuoc xe khong di duoc",
            contact_phone="0933111222",
            hamlet_id=kept.hamlet_id,
            channel="sms",
        )
        unrelated = make_item(commune, "Xin hỏi lịch tiêm phòng dại", hamlet_id=kept.hamlet_id)
        _db.session.commit()
        copy_id, copy_code, unrelated_code = copy.id, copy.tracking_code, unrelated.tracking_code
    client = as_user("officer1")
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    suggestions = page.split('id="duplicates"')[1].split("</table>")[0]
    assert copy_code in suggestions and unrelated_code not in suggestions
    client.post(
        f"/admin/items/{world.item_id}/merge",
        data={"csrf_token": page_csrf(client, "/admin/items"), "other": copy_id},
    )
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "2 người dân cùng phản ánh" in page and copy_code in page
    assert "Gửi đến 2 người" in page
    # A reply to the kept item reaches both residents, except one who opted out.
    token = page_csrf(client, f"/admin/items/{world.item_id}")
    client.post(
        f"/admin/items/{world.item_id}/reply",
        data={"csrf_token": token, "body": "Xa se sua duong", "confirm": "1"},
    )
    with app.app_context():
        phones = {
            m.phone
            for m in _db.session.scalars(
                select(Message).where(Message.direction == "out", Message.kind == "reply")
            )
        }
        assert phones == {"+84912345678", "+84933111222"}
        set_opt_out("+84933111222", True)
        _db.session.commit()
    client.post(
        f"/admin/items/{world.item_id}/reply",
        data={"csrf_token": token, "body": "Lan hai", "confirm": "1"},
    )
    with app.app_context():
        second = _db.session.scalars(select(Message).where(Message.body == "Lan hai")).all()
        assert [m.phone for m in second] == ["+84912345678"]


def test_merge_refuses_an_item_into_itself(as_user, app, world):
    client = as_user("officer1")
    client.post(
        f"/admin/items/{world.item_id}/merge",
        data={"csrf_token": page_csrf(client), "other": world.item_id},
    )
    with app.app_context():
        assert _db.session.get(Item, world.item_id).status == "new"


def test_an_item_on_an_agenda_can_not_become_a_denunciation(as_user, app, world):
    from nghedan.models import Dialogue

    with app.app_context():
        _db.session.add(
            Dialogue(
                commune_id=world.commune_id,
                place="Nhà văn hóa ấp Tân Phú",
                starts_at=utcnow() + timedelta(days=7),
            )
        )
        _db.session.commit()
        dialogue = _db.session.scalar(select(Dialogue.id))
    client = as_user("officer1")
    url = f"/admin/items/{world.item_id}/triage"
    form = {
        "csrf_token": page_csrf(client, f"/admin/items/{world.item_id}"),
        "status": "new",
        "legal_type": "opinion",
        "dialogue": dialogue,
    }
    client.post(url, data=form)
    page = client.post(
        url,
        data={**form, "legal_type": "denunciation", "status": "scheduled"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "rút ra trước" in page
    with app.app_context():
        item = _db.session.get(Item, world.item_id)
        assert item.legal_type == "opinion" and item.dialogue_id == dialogue
