"""The commune's Zalo OA as an admin meets it in Chromium: connected from "Kênh liên lạc"
with the secret never shown back, and a resident's Zalo picture on the item's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nghedan.extensions import db as _db
from nghedan.models import Commune, ItemAttachment
from tests.admin.conftest import world  # noqa: F401 - the `world` fixture
from tests.browser.conftest import screenshot
from tests.browser.test_admin_settings_pages import _log_in, _png
from tests.factories import make_item

pytestmark = pytest.mark.browser

SECRET = "khoa-bi-mat-cua-ung-dung-zalo"
REFRESH = "refresh-token-rat-dai-0123456789"


def test_an_admin_connects_the_oa_and_never_sees_its_secret_again(live_server, page_factory, world):
    page, log = page_factory("landscape")
    _log_in(page, live_server, "/admin/sms-channels")
    page.locator("#zalo-connect-link").click()
    page.get_by_label("Tên kênh").fill("Zalo OA Tân Thạnh")
    page.get_by_label("Mã ứng dụng (App ID)").fill("4291763606161179100")
    page.get_by_label("Mã OA (OA ID)").fill("579745863508352")
    page.get_by_label("Khóa bí mật (Secret Key)").fill(SECRET)
    page.get_by_label("Mã làm mới (Refresh Token)").fill(REFRESH)
    page.get_by_role("button", name="Kết nối").click()
    page.wait_for_url("**/admin/sms-channels*")
    expect(page.locator("body")).to_contain_text("Zalo OA Tân Thạnh")
    screenshot(page, "admin-zalo-connected")
    assert SECRET not in page.content() and REFRESH not in page.content()

    page.get_by_role("link", name="Cài đặt Zalo OA").click()
    expect(page.locator("body")).to_contain_text("để trống nếu không đổi")
    screenshot(page, "admin-zalo-settings")
    assert SECRET not in page.content() and REFRESH not in page.content()
    for field in page.locator("input[type=password]").all():
        assert field.input_value() == ""
    assert log.outside == []


def test_a_residents_zalo_picture_shows_on_the_item_page(app, live_server, page_factory, world):
    with app.app_context():
        item = make_item(
            _db.session.get(Commune, world.commune_id),
            "(ảnh gửi qua Zalo)",
            channel="zalo",
            contact_phone="zalo:1",
        )
        picture = _png(120)
        _db.session.add(
            ItemAttachment(
                item_id=item.id,
                file_name="zalo-msg1-1.png",
                content_type="image/png",
                size=len(picture),
                data=picture,
            )
        )
        _db.session.commit()
        item_id = item.id
    page, log = page_factory("landscape")
    _log_in(page, live_server, f"/admin/items/{item_id}")
    image = page.locator("#resident-pictures img")
    expect(image).to_have_js_property("naturalWidth", 120)  # served and decoded
    expect(page.locator("#resident-pictures")).to_contain_text("zalo-msg1-1.png")
    screenshot(page, "admin-item-zalo-picture")
    assert log.outside == []
