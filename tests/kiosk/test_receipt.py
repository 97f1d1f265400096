"""The receipt tells the truth: what a complaint or denunciation needs, the next dialogue, a QR
code only where a phone can open it; a rejected item's lookup says why."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nghedan.models import Item
from nghedan.services.items.triage import reject
from tests.dialogues.builders import make_dialogue
from tests.factories import make_item
from tests.kiosk.conftest import form_fields


def _receipt(client, **data) -> str:
    page = client.get("/kiosk/opinion/write?category=land").get_data(as_text=True)
    response = client.post("/kiosk/opinion/write", data={**form_fields(page), **data})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_complaint_receipt_says_what_the_law_needs(kiosk_client):
    html = _receipt(
        kiosk_client, text="Đề nghị xem lại quyết định thu hồi đất.", legal_type="complaint"
    )
    assert "Đã nhận khiếu nại của ông/bà" in html
    assert "Luật Khiếu nại" in html and "họ tên, địa chỉ" in html and "ký tên" in html
    assert "nghiêm cấm trù dập, trả thù người khiếu nại" in html


def test_a_denunciation_receipt_says_the_sender_is_protected(kiosk_client, db, commune):
    hamlet = commune.hamlets[0]
    make_dialogue(commune, hamlets=[hamlet])
    db.commit()
    html = _receipt(
        kiosk_client,
        text="Tố cáo việc thu tiền trái quy định.",
        legal_type="denunciation",
        hamlet=str(hamlet.id),
    )
    assert "Đã nhận tố cáo của ông/bà" in html
    assert "Luật Tố cáo" in html and "họ tên, địa chỉ" in html and "ký tên" in html
    assert "được pháp luật bảo vệ" in html and "giữ bí mật" in html
    assert "Buổi đối thoại tới" not in html  # a denunciation is never raised at a dialogue


def test_an_opinion_receipt_has_no_legal_note_and_names_the_hamlets_next_dialogue(
    kiosk_client, db, commune
):
    by_name = {h.name: h for h in commune.hamlets}
    phu, hoa = by_name["Ấp Tân Phú"], by_name["Ấp Tân Hòa"]
    make_dialogue(commune, days=3, hamlets=[hoa], place="Nhà văn hóa ấp Tân Hòa")
    make_dialogue(commune, days=9, hamlets=[phu], place="Nhà văn hóa ấp Tân Phú")
    make_dialogue(commune, days=1, hamlets=[phu], kind="voters", place="Hội trường xã")
    db.commit()
    html = _receipt(kiosk_client, text="Đèn đường hư.", hamlet=str(phu.id))
    assert "Đã nhận ý kiến của ông/bà" in html and "legal-note" not in html
    assert "Buổi đối thoại tới của Ấp Tân Phú:" in html
    assert "tại Nhà văn hóa ấp Tân Phú." in html
    assert "Tân Hòa" not in html and "Hội trường xã" not in html


def test_without_a_hamlet_the_receipt_names_the_communes_next_dialogue(kiosk_client, db, commune):
    make_dialogue(commune, days=4, hamlets=commune.hamlets[:1], place="Nhà văn hóa ấp Tân Hòa")
    db.commit()
    html = _receipt(kiosk_client, text="Ý kiến chung.")
    assert "Buổi đối thoại tới của xã:" in html and "Nhà văn hóa ấp Tân Hòa" in html


def test_no_dialogue_planned_no_line(kiosk_client):
    assert "Buổi đối thoại tới" not in _receipt(kiosk_client, text="Ý kiến.")


@pytest.mark.parametrize(
    "base",
    [
        None,
        "",
        "http://127.0.0.1:5000",
        "http://localhost:8000/",
        "http://[::1]/",
        "http://0.0.0.0:5000",
    ],
)
def test_no_qr_code_a_phone_cannot_open(app, kiosk_client, base):
    app.config["PUBLIC_BASE_URL"] = base
    html = _receipt(kiosk_client, text="Ý kiến.")
    assert 'class="qr"' not in html and "quét mã QR" not in html
    assert "Xem kết quả: nhắn" in html  # the SMS line instead


def test_the_qr_code_points_at_the_public_address(app, kiosk_client, db):
    app.config["PUBLIC_BASE_URL"] = "https://xa.example.vn/"
    html = _receipt(kiosk_client, text="Ý kiến.")
    code = db.scalars(select(Item)).one().tracking_code
    assert 'class="qr"' in html and f"https://xa.example.vn/t/{code}" in html
    # The SMS line comes first: most residents who come here have no smartphone.
    assert html.index("Xem kết quả: nhắn") < html.index('class="qr"')


@pytest.fixture
def as_admin(app, db, commune):
    from nghedan.models import User
    from tests.admin.conftest import login, password_hash

    db.add(
        User(
            username="admin1",
            role="admin",
            commune_id=commune.id,
            full_name="Admin",
            password_hash=password_hash(),
        )
    )
    db.commit()
    browser = app.test_client()
    assert login(browser, "admin1").status_code == 302
    return browser


def test_the_admin_kiosks_page_says_why_there_is_no_qr_code(app, as_admin):
    app.config["PUBLIC_BASE_URL"] = None
    html = as_admin.get("/admin/kiosks").get_data(as_text=True)
    assert "không in mã QR vì chưa đặt PUBLIC_BASE_URL" in html
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    html = as_admin.get("/admin/kiosks").get_data(as_text=True)
    assert "là địa chỉ của chính máy chủ" in html
    app.config["PUBLIC_BASE_URL"] = "https://xa.example.vn"
    assert "không in mã QR" not in as_admin.get("/admin/kiosks").get_data(as_text=True)


def test_a_rejected_items_lookup_shows_the_reason(kiosk_client, client, db, commune):
    item = make_item(commune, "Quảng cáo vay tiền nhanh", channel="sms")
    reject(item, "Tin quảng cáo, không phải ý kiến của người dân.", user_id=None)
    db.commit()
    code = item.tracking_code
    for html in (
        kiosk_client.get(f"/kiosk/lookup?code={code}").get_data(as_text=True),
        client.get(f"/t/{code}").get_data(as_text=True),
    ):
        assert "Từ chối" in html and "Lý do" in html
        assert "Tin quảng cáo, không phải ý kiến của người dân." in html


def test_a_rejected_denunciation_shows_its_status_only(client, db, commune):
    item = make_item(commune, "Tố cáo ông A", channel="sms", legal_type="denunciation")
    reject(item, "Nội dung tố cáo ông A đã được giải quyết.", user_id=None)
    db.commit()
    html = client.get(f"/t/{item.tracking_code}").get_data(as_text=True)
    assert "Từ chối" in html and "ông A" not in html
