"""Items entered at the commune: letters, phone calls and walk-ins, with the resident's consent."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import Category, Commune, Item
from tests.admin.conftest import page_csrf


def _form(app, world, **changes):
    with app.app_context():
        hamlet = _db.session.get(Commune, world.commune_id).hamlets[0].id
        roads = _db.session.scalar(select(Category.id).where(Category.code == "roads"))
    return {
        "method": "letter",
        "text": "Đơn xin sửa cống thoát nước trước nhà số 12.",
        "hamlet": str(hamlet),
        "category": str(roads) if roads else "",
        "legal_type": "opinion",
        "name": "Phạm Thị Hoa",
        "phone": "0913 222 333",
        "consent": "1",
        **changes,
    }


def test_a_letter_is_entered_with_consent_and_opens_as_an_item(as_user, app, world):
    client = as_user("officer1")
    assert 'id="new-item-link"' in client.get("/admin/items").get_data(as_text=True)
    data = _form(app, world)
    response = client.post(
        "/admin/items/new", data={"csrf_token": page_csrf(client, "/admin/items/new"), **data}
    )
    assert response.status_code == 302
    with app.app_context():
        item = _db.session.scalar(select(Item).where(Item.contact_name == "Phạm Thị Hoa"))
        assert (item.channel, item.intake_method, item.contact_consent, item.contact_phone) == (
            "admin",
            "letter",
            True,
            "+84913222333",
        )
        assert str(item.hamlet_id) == data["hamlet"] and item.status == "new"
        assert item.events[0].user_id is not None
        location, code = f"/admin/items/{item.id}", item.tracking_code
    assert response.headers["Location"] == location
    page = client.get(location).get_data(as_text=True)
    assert code in page and "Nhập tại xã" in page and "Thư, đơn gửi đến" in page
    assert "Đồng ý được liên hệ" in page


def test_a_phone_without_consent_is_refused_and_everything_typed_stays(as_user, app, world):
    client = as_user("officer1")
    data = _form(app, world, method="walk_in", consent="", text="Xin hỏi <b>lịch</b> tiêm phòng")
    refused = client.post(
        "/admin/items/new", data={"csrf_token": page_csrf(client, "/admin/items/new"), **data}
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "chưa đồng ý được liên hệ" in page
    assert "Xin hỏi &lt;b&gt;lịch&lt;/b&gt; tiêm phòng</textarea>" in page
    assert 'value="Phạm Thị Hoa"' in page and 'value="0913 222 333"' in page
    assert 'value="walk_in" required checked' in page
    assert f'<option value="{data["hamlet"]}" selected>' in page
    with app.app_context():
        assert _db.session.scalar(select(Item).where(Item.contact_name == "Phạm Thị Hoa")) is None
    # Without the phone, a walk-in who does not want to be contacted is entered.
    ok = client.post(
        "/admin/items/new",
        data={"csrf_token": page_csrf(client, "/admin/items/new"), **data, "phone": ""},
    )
    assert ok.status_code == 302
    with app.app_context():
        item = _db.session.scalar(select(Item).where(Item.contact_name == "Phạm Thị Hoa"))
        assert (item.intake_method, item.contact_consent, item.contact_phone) == (
            "walk_in",
            False,
            None,
        )


def test_empty_text_or_no_method_is_refused(as_user, app, world):
    client = as_user("officer1")
    token = page_csrf(client, "/admin/items/new")
    for changes, message in (
        ({"text": "  "}, "Nội dung ý kiến đang trống"),
        ({"method": ""}, "Chọn cách người dân gửi ý kiến"),
        ({"phone": "12"}, "Số điện thoại không hợp lệ"),
    ):
        refused = client.post(
            "/admin/items/new", data={"csrf_token": token, **_form(app, world, **changes)}
        )
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)


def test_supervisors_can_not_enter_items(as_user):
    client = as_user("super1")
    assert client.get("/admin/items/new").status_code == 403
    assert 'id="new-item-link"' not in client.get("/admin/items").get_data(as_text=True)


def test_the_form_and_its_refusal_in_english(as_user, app, world):
    client = as_user("officer1")
    client.get("/lang/en")
    page = client.get("/admin/items/new").get_data(as_text=True)
    assert "Enter an item received at the commune" in page and "Walk-in" in page
    refused = client.post(
        "/admin/items/new",
        data={"csrf_token": page_csrf(client, "/admin/items/new"), **_form(app, world, consent="")},
    )
    assert "has not agreed to be contacted" in refused.get_data(as_text=True)
    item_page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "Responsible officer" in item_page and "day/month/year" in item_page
