"""Leaving an opinion at the kiosk: categories, the form, the receipt."""

from __future__ import annotations

import re

from sqlalchemy import select

from nghedan.models import Item
from tests.factories import make_commune
from tests.kiosk.conftest import form_fields


def _items(db) -> list[Item]:
    db.expire_all()
    return list(db.scalars(select(Item).order_by(Item.id)))


def _send(client, category="roads", **data):
    page = client.get(f"/kiosk/opinion/write?category={category}").get_data(as_text=True)
    fields = {**form_fields(page), "category": category, **data}
    return client.post("/kiosk/opinion/write", data=fields), fields


def test_categories_with_icons(kiosk_client):
    html = kiosk_client.get("/kiosk/opinion").get_data(as_text=True)
    for name in ("Đất đai", "Đường sá, hạ tầng", "Y tế", "Khác"):
        assert name in html
    assert "/kiosk/opinion/write?category=land" in html
    assert html.count('<svg class="icon big"') >= 11


def test_the_form_explains_complaints_and_denunciations(kiosk_client, commune):
    html = kiosk_client.get("/kiosk/opinion/write?category=land").get_data(as_text=True)
    assert "Khiếu nại" in html and "Tố cáo" in html
    assert "cần có họ tên, địa chỉ và đơn có chữ ký" in html
    assert "Người tố cáo được giữ bí mật" in html
    # Three steps, one screen each, checked by the page in Vietnamese, not by the browser.
    assert html.count('class="step"') == 3 and "Bước 1/3" in html and "Bước 3/3" in html
    assert " required" not in html and "novalidate" in html
    assert 'data-required="Vui lòng viết nội dung ý kiến."' in html
    assert "Ấp Tân Phú" in html and "Ấp Tân Hòa" in html
    assert 'value="opinion" checked' in html  # an ordinary opinion unless the resident says so
    assert 'inputmode="none"' in html  # the on-screen keyboard, not the system one


def test_an_opinion_is_stored_and_the_receipt_shows_its_code(kiosk_client, db, commune, enrollment):
    hamlet = commune.hamlets[0]
    response, _ = _send(
        kiosk_client,
        text="Đèn đường ấp Tân Phú hư hai tháng nay.",
        hamlet=str(hamlet.id),
        phone="0912 345 678",
        name="Lê Văn Tư",
    )
    assert response.status_code == 302
    [item] = _items(db)
    assert response.headers["Location"].endswith(f"/kiosk/receipt/{item.tracking_code}")
    assert (item.channel, item.kiosk_id) == ("kiosk", enrollment.kiosk.id)
    assert item.hamlet_id == hamlet.id
    assert item.category.code == "roads" and item.legal_type == "opinion"
    assert item.contact_phone == "+84912345678" and item.contact_name == "Lê Văn Tư"
    receipt = kiosk_client.get(response.headers["Location"]).get_data(as_text=True)
    code = item.tracking_code
    assert f"{code[:4]}&#8239;{code[4:]}" in receipt
    assert f"TT {code}" in receipt and "0868 000 115" in receipt
    assert "Đã nhận ý kiến của ông/bà" in receipt and "bạn" not in receipt
    assert "Lê Văn Tư" not in receipt
    assert "0912 345 678" not in receipt and "912345678" not in receipt


def test_anonymous_by_default(kiosk_client, db):
    response, _ = _send(kiosk_client, category="other", text="Xin hỏi lịch tiêm phòng dại.")
    assert response.status_code == 302
    [item] = _items(db)
    assert item.contact_phone is None and item.contact_name is None and item.hamlet_id is None


def test_a_repeated_post_makes_one_item(kiosk_client, db):
    first, fields = _send(kiosk_client, text="Bãi rác bốc mùi.")
    again = kiosk_client.post("/kiosk/opinion/write", data=fields)
    assert again.headers["Location"] == first.headers["Location"]
    assert len(_items(db)) == 1


def test_a_denunciation_is_marked_as_one(kiosk_client, db):
    response, _ = _send(
        kiosk_client,
        category="officer_conduct",
        legal_type="denunciation",
        text="Tôi tố cáo việc thu tiền trái quy định.",
    )
    assert response.status_code == 302
    assert _items(db)[0].legal_type == "denunciation"


def test_mistakes_are_shown_and_the_input_is_kept(kiosk_client, db, commune):
    hamlet = commune.hamlets[1]
    cases = (
        ({"text": "   "}, "Vui lòng viết nội dung ý kiến."),
        ({"text": "Có <b>chữ</b> lạ", "phone": "12"}, "Số điện thoại chưa đúng"),
        ({"text": "Ý kiến", "legal_type": "question"}, "Vui lòng chọn lại loại ý kiến."),
        ({"text": "x" * 5001}, "Ý kiến quá dài"),
    )
    for data, message in cases:
        response, _ = _send(kiosk_client, hamlet=str(hamlet.id), **data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, data
        assert message in html
        assert f'value="{hamlet.id}" checked' in html
    assert _items(db) == []


def test_resident_text_is_escaped_when_shown_back(kiosk_client, db):
    response, _ = _send(kiosk_client, text="<script>alert(1)</script>", phone="12")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_hamlet_of_another_commune_is_refused(kiosk_client, db):
    other = make_commune(name="Mỹ Hòa", hamlets=("Ấp Xa",))
    db.commit()
    response, _ = _send(kiosk_client, text="Đường hư", hamlet=str(other.hamlets[0].id))
    assert response.status_code == 422
    assert _items(db) == []


def test_an_unknown_category_leaves_the_choice_open(kiosk_client, db):
    html = kiosk_client.get("/kiosk/opinion/write?category=nope").get_data(as_text=True)
    assert 'name="category" value=""' in html
    response, _ = _send(kiosk_client, category="", text="Không rõ lĩnh vực")
    assert response.status_code == 302
    assert _items(db)[0].category_id is None


def test_a_receipt_is_shown_only_on_the_kiosk_that_took_the_item(app, kiosk_client, db, commune):
    from nghedan.services.people import kiosks

    response, _ = _send(kiosk_client, text="Ý kiến")
    other = kiosks.add_kiosk(commune_id=commune.id, name="Quầy 2")
    db.commit()
    browser = app.test_client()
    browser.get(f"/kiosk/enroll/{other.token}")
    assert browser.get(response.headers["Location"]).status_code == 404
    assert kiosk_client.get("/kiosk/receipt/12345678").status_code == 404


def test_no_sms_hint_without_an_sms_number(kiosk_client, db, commune):
    commune.sms_number = None
    db.commit()
    response, _ = _send(kiosk_client, text="Ý kiến")
    receipt = kiosk_client.get(response.headers["Location"]).get_data(as_text=True)
    assert not re.search(r"TT \d{8}", receipt)


def test_the_receipt_has_a_print_stylesheet(kiosk_client):
    response, _ = _send(kiosk_client, text="Ý kiến")
    receipt = kiosk_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="/kiosk/static/receipt-print.css" media="print"' in receipt
    css = kiosk_client.get("/kiosk/static/receipt-print.css")
    assert b"@page" in css.data
    css.close()


def _queued(db) -> list:
    from nghedan.models import Message

    db.expire_all()
    return list(db.scalars(select(Message).where(Message.direction == "out")))


def test_a_phone_number_gets_the_code_by_sms_once(kiosk_client, db):
    first, fields = _send(kiosk_client, text="Đèn đường hư", phone="0912345678")
    kiosk_client.post("/kiosk/opinion/write", data=fields)  # sent twice: one item, one SMS
    [item] = _items(db)
    [sms] = _queued(db)
    assert (sms.phone, sms.status, sms.kind, sms.item_id) == (
        "+84912345678",
        "queued",
        "kiosk_receipt",
        item.id,
    )
    assert f"TT {item.tracking_code}" in sms.body


def test_no_sms_without_a_phone_or_to_a_phone_that_opted_out(kiosk_client, db):
    from nghedan.services.sms.contacts import set_opt_out

    _send(kiosk_client, text="Không để số")
    set_opt_out("+84912345679", True)
    db.commit()
    _send(kiosk_client, text="Số đã ngừng nhận tin", phone="0912345679")
    assert len(_items(db)) == 2 and _queued(db) == []


def test_a_refused_field_comes_back_on_its_own_step(kiosk_client, db, commune):
    steps = re.compile(r'<section class="step" data-step="(\w+)"\s*(hidden)?>')
    cases = (
        ({"text": "Ý kiến", "phone": "12"}, "contact"),
        ({"text": "   "}, "what"),
        ({"text": "Ý kiến", "hamlet": "999999"}, "where"),
    )
    for data, step in cases:
        response, _ = _send(kiosk_client, **data)
        shown = [
            name for name, hidden in steps.findall(response.get_data(as_text=True)) if not hidden
        ]
        assert (response.status_code, shown) == (422, [step]), data
