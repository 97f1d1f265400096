"""Closing the loop by SMS: when officials reject, forward or escalate an item on its page,
its resident is told why, to whom and by when, in one segment (issue 15)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.formatting import LOCAL_ZONE, fmt_date
from nghedan.models import Item, Message
from nghedan.services.sms.contacts import set_opt_out
from nghedan.sms_text import count_segments
from nghedan.text import fold_diacritics
from tests.admin.conftest import as_user, page_csrf, world  # noqa: F401 (fixtures)

RESIDENT = "+84912345678"  # the world's SMS item's sender


def triage(client, item_id: int, **fields):
    data = {
        "csrf_token": page_csrf(client, f"/admin/items/{item_id}"),
        "category": "",
        "hamlet": "",
        "legal_type": "opinion",
        "responsible": "",
        "due_date": "",
        "note": "",
        **fields,
    }
    assert client.post(f"/admin/items/{item_id}/triage", data=data).status_code == 302


def told(app, item_id: int) -> list[Message]:
    with app.app_context():
        return list(
            _db.session.scalars(
                select(Message).where(Message.direction == "out", Message.item_id == item_id)
            )
        )


def test_a_rejected_item_tells_its_resident_why_in_one_segment(as_user, app, world):  # noqa: F811
    client = as_user("officer1")
    reason = (
        "Nội dung không thuộc thẩm quyền của xã, đề nghị ông/bà liên hệ Điện lực huyện "
        "để được hướng dẫn sửa chữa đường dây, vì đây là tài sản của ngành điện. " * 2
    )
    triage(client, world.item_id, status="rejected", note=reason)
    [sms] = told(app, world.item_id)
    with app.app_context():
        code = _db.session.get(Item, world.item_id).tracking_code
    assert sms.phone == RESIDENT and sms.kind == "item_rejected" and sms.parts == 1
    body = fold_diacritics(sms.body)
    assert code in body and "khong duoc tiep nhan" in body and "dien luc huyen" in body
    assert count_segments(sms.body).parts == 1


def test_a_forwarded_item_says_to_whom_and_by_when(as_user, app, world):  # noqa: F811
    client = as_user("officer1")
    due = datetime.now(LOCAL_ZONE).date() + timedelta(days=15)
    triage(
        client,
        world.item_id,
        status="forwarded",
        responsible="Công chức Địa chính",
        due_date=due.isoformat(),
    )
    [sms] = told(app, world.item_id)
    assert "Công chức Địa chính" in sms.body or "Cong chuc Dia chinh" in sms.body
    assert fmt_date(due) in sms.body and sms.parts == 1


def test_an_escalated_item_says_to_whom(as_user, app, world):  # noqa: F811
    client = as_user("officer1")
    triage(client, world.item_id, status="escalated", note="UBND tỉnh An Giang")
    [sms] = told(app, world.item_id)
    assert "UBND tỉnh An Giang" in sms.body or "UBND tinh An Giang" in sms.body
    assert "kien nghi" in fold_diacritics(sms.body)


def test_an_opted_out_resident_is_told_nothing(as_user, app, world):  # noqa: F811
    with app.app_context():
        set_opt_out(RESIDENT, True)
        _db.session.commit()
    client = as_user("officer1")
    triage(client, world.item_id, status="rejected", note="Tin rác")
    assert told(app, world.item_id) == []


def test_other_status_changes_send_nothing_new(as_user, app, world):  # noqa: F811
    client = as_user("officer1")
    triage(client, world.item_id, status="triaged")
    assert told(app, world.item_id) == []


def test_the_item_page_shows_why_an_item_is_flagged(as_user, app, world):  # noqa: F811
    with app.app_context():
        item = _db.session.get(Item, world.item_id)
        item.flagged, item.flag_reason = True, "không thể trả lời: số đã ngừng nhận tin"
        _db.session.commit()
    page = as_user("officer1").get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "không thể trả lời: số đã ngừng nhận tin" in page
