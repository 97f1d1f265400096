"""The admin's settings pages in Chromium: officers, commune and hamlets, kiosks, the SMS log."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from nghedan.extensions import db as _db
from nghedan.models import Message
from tests.admin.conftest import PASSWORD, world  # noqa: F401 - the `world` fixture
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _log_in(page, base, target, username="admin1"):
    page.goto(base + target)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**" + target)


def _png(size: int = 40) -> bytes:
    """A small, real PNG (a flat orange square) for the photo upload."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xf0\x80\x20" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_officers_add_with_a_photo_then_deactivate(
    live_server,
    page_factory,
    world,
    tmp_path,
):
    page, log = page_factory("landscape")
    _log_in(page, live_server, "/admin/officers")
    expect(page.locator("h1")).to_have_text("Cán bộ, công chức")
    form = page.locator("#new-officer")
    form.get_by_label("Họ và tên").fill("Lê Thị <b>Hồng</b>")
    form.get_by_label("Mã quầy").fill("12")
    form.get_by_label("Chức danh").fill("Công chức Tư pháp - Hộ tịch")
    form.get_by_label("Quầy, bộ phận").fill("Quầy 3")
    form.get_by_role("button", name="Thêm").click()
    page.wait_for_url("**/admin/officers/*")
    expect(page.locator(".flash-ok")).to_contain_text("Đã thêm cán bộ Lê Thị <b>Hồng</b>.")
    photo = tmp_path / "hong.png"
    photo.write_bytes(_png())
    page.set_input_files("#photo-form input[type=file]", str(photo))
    page.locator("#photo-form").get_by_role("button", name="Tải ảnh lên").click()
    expect(page.locator(".flash-ok")).to_have_text("Đã cập nhật ảnh.")
    image = page.locator(".panel img")
    expect(image).to_have_js_property("naturalWidth", 40)  # the photo loaded and decoded
    screenshot(page, "admin-officer-photo")

    page.goto(live_server + "/admin/officers")
    row = page.locator("#officers tbody tr", has_text="Quầy 3")
    expect(row).to_contain_text("Lê Thị <b>Hồng</b>")  # shown as typed, never as markup
    assert page.locator("#officers b").count() == 0
    expect(row.locator("img")).to_have_js_property("naturalWidth", 40)
    expect(row).to_contain_text("Đang làm việc")
    row.get_by_role("button", name="Cho nghỉ").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã cho cán bộ Lê Thị <b>Hồng</b> nghỉ.")
    row = page.locator("#officers tbody tr", has_text="Quầy 3")
    expect(row).to_contain_text("Đã nghỉ")
    expect(row.get_by_role("button", name="Cho nghỉ")).to_have_count(0)
    assert log.outside == []


def test_commune_settings_and_hamlets(live_server, page_factory, world):
    page, log = page_factory("landscape")
    _log_in(page, live_server, "/admin/commune")
    expect(page.locator("h1")).to_have_text("Xã Tân Thạnh")
    settings = page.locator("#commune-settings")
    settings.get_by_label("Số điện thoại nhận tin nhắn").fill("12345")
    settings.get_by_role("button", name="Lưu").click()
    expect(settings.locator(".flash-error")).to_have_text(
        "Số điện thoại nhận tin nhắn không hợp lệ."
    )
    settings.get_by_label("Số điện thoại nhận tin nhắn").fill("0912 345 678")
    settings.get_by_label("Chủ tịch UBND").fill("Nguyễn Quốc Việt")
    settings.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash-ok")).to_have_text("Đã lưu thông tin xã, phường.")
    expect(page.get_by_label("Chủ tịch UBND")).to_have_value("Nguyễn Quốc Việt")

    adding = page.locator("#new-hamlet")
    adding.get_by_label("Tên ấp, khóm").fill("Khóm Phước Lộc")
    adding.get_by_label("Loại").select_option("khom")
    adding.get_by_role("button", name="Thêm").click()
    expect(page.locator(".flash-ok")).to_have_text("Đã thêm Khóm Phước Lộc.")
    row = page.locator("#hamlet-list tbody tr").filter(
        has=page.locator("input[value='Khóm Phước Lộc']")
    )
    expect(row.locator("select[name=kind]")).to_have_value("khom")
    page.locator("#new-hamlet").get_by_label("Tên ấp, khóm").fill("khóm phước lộc")
    page.locator("#new-hamlet").get_by_role("button", name="Thêm").click()
    expect(page.locator(".flash-error")).to_have_text("Xã đã có ấp, khóm tên này.")
    row.get_by_role("button", name="Ngừng dùng").click()
    row = page.locator("#hamlet-list tbody tr.muted").filter(
        has=page.locator("input[value='Khóm Phước Lộc']")
    )
    expect(row.get_by_role("button", name="Dùng lại")).to_be_visible()
    screenshot(page, "admin-commune")
    assert log.outside == []


def test_a_new_kiosk_shows_its_enrollment_address_and_qr_once(live_server, page_factory, world):
    page, log = page_factory("landscape")
    _log_in(page, live_server, "/admin/kiosks")
    expect(page.locator("h1")).to_have_text("Màn hình ki-ốt")
    page.locator("#new-kiosk").get_by_label("Tên màn hình").fill("Quầy một cửa")
    page.locator("#new-kiosk").get_by_role("button", name="Thêm").click()
    expect(page.locator("#enrollment h2")).to_have_text("Kích hoạt màn hình Quầy một cửa")
    url = page.text_content("#enroll-url")
    assert re.fullmatch(re.escape(live_server) + r"/kiosk/enroll/[\w-]+", url)
    qr = page.locator("#enrollment svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] > 150 and abs(box["width"] - box["height"]) < 2  # square, scannable
    screenshot(page, "admin-kiosk-enrollment")

    screen, screen_log = page_factory("fullhd")
    screen.goto(url)
    expect(screen.locator("body.kiosk")).to_be_visible()  # the kiosk's start screen
    page.goto(live_server + "/admin/kiosks")
    expect(page.locator("#enrollment")).to_have_count(0)  # shown once, never again
    expect(page.locator("#kiosks tbody tr", has_text="Quầy một cửa")).to_contain_text(
        "Đang hoạt động"
    )
    assert log.outside == [] and screen_log.outside == []


@pytest.fixture
def texts(app, world):
    """Texts in and out of the commune; one carries markup a resident typed."""
    with app.app_context():
        for body, direction, status, channel in (
            ("<script>alert(1)</script> Cống ấp Tân Phú bị nghẹt", "in", "processed", "android"),
            ("Mã tra cứu của bạn: 12345678", "out", "failed", "twilio"),
        ):
            _db.session.add(
                Message(
                    phone="+84912345678",
                    body=body,
                    direction=direction,
                    status=status,
                    channel=channel,
                    commune_id=world.commune_id,
                )
            )
        _db.session.commit()


def test_sms_log_filters_and_who_sees_the_phone(live_server, page_factory, texts):
    page, log = page_factory("landscape")
    _log_in(page, live_server, "/admin/sms", "officer1")
    expect(page.locator("h1")).to_have_text("Nhật ký tin nhắn SMS")
    rows = page.locator("#sms-log tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Mã tra cứu của bạn: 12345678")  # newest first
    expect(rows.nth(1)).to_contain_text("<script>alert(1)</script> Cống ấp Tân Phú bị nghẹt")
    expect(rows.nth(1)).to_contain_text("0912 345 678")  # an officer sees the whole number
    filters = page.locator("#sms-filters")
    filters.get_by_label("Chiều").select_option("in")
    filters.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**direction=in**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cống ấp Tân Phú")
    page.get_by_role("link", name="Bỏ lọc").click()
    page.locator("#sms-filters").get_by_text("Gửi lỗi").click()
    page.locator("#sms-filters").get_by_role("button", name="Lọc").click()
    page.wait_for_url("**failed=1**")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("button", name="Gửi lại")).to_be_visible()
    screenshot(page, "admin-sms-log")

    other, other_log = page_factory("landscape")
    _log_in(other, live_server, "/admin/sms", "super1")
    table = other.locator("#sms-log")
    expect(table).to_contain_text("0912 *** *78")  # a supervisor sees it masked
    expect(table).not_to_contain_text("0912 345 678")
    expect(table.get_by_role("button", name="Gửi lại")).to_have_count(0)
    assert log.outside == [] and other_log.outside == []
