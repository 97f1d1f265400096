"""Every kiosk screen at the three screen sizes: fits, big targets, readable, small, local."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.kiosk.conftest import FAST, KIOSK_VIEWPORTS, check_screen
from tests.conftest import base_config

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(database_url):
    # The thank-you screen must stay long enough to be measured; three wrong codes on the
    # public lookup are enough to be asked to wait.
    # A public address, so the receipts carry their QR code (the fullest receipt).
    return {
        **base_config(database_url),
        **FAST,
        "KIOSK_THANKS_SECONDS": 60,
        "PUBLIC_LOOKUP_MAX_MISSES": 3,
        "PUBLIC_BASE_URL": "https://xa.example.vn",
    }


def _screens(setup):
    officer, code = setup.officer_id, setup.item_code
    return [
        ("home", "/kiosk/"),
        ("officers", "/kiosk/rate"),
        ("faces", f"/kiosk/rate/{officer}"),
        ("reasons", f"/kiosk/rate/{officer}/why?score=4"),
        ("thanks", "/kiosk/thanks"),
        ("categories", "/kiosk/opinion"),
        ("write", "/kiosk/opinion/write?category=roads"),
        ("receipt", f"/kiosk/receipt/{code}"),
        ("receipt-complaint", f"/kiosk/receipt/{setup.complaint_code}"),
        ("lookup", "/kiosk/lookup"),
        ("lookup-result", f"/kiosk/lookup?code={code}"),
        ("lookup-rejected", f"/kiosk/lookup?code={setup.rejected_code}"),
    ]


@pytest.mark.parametrize("viewport", KIOSK_VIEWPORTS)
def test_every_screen_fits_and_is_big_enough(kiosk_page, kiosk_setup, viewport):
    page, log = kiosk_page(viewport)
    for name, path in _screens(kiosk_setup):
        before = log.bytes
        page.goto(kiosk_setup.base_url + path)
        check_screen(page, log, f"{name}-{viewport}", before)
    before = log.bytes
    page.goto(kiosk_setup.base_url + "/kiosk/opinion/write?category=roads")
    page.tap("#text")
    page.wait_for_selector("#keyboard-dock:not([hidden])")
    check_screen(page, log, f"keyboard-{viewport}", before, fits=False)
    page.tap('.hg-button[data-skbtn="{done}"]')
    page.tap("text=Tiếp tục")  # nothing written yet: the page says so, in Vietnamese
    assert page.text_content("#form-error") == "Vui lòng viết nội dung ý kiến."
    check_screen(page, log, f"write-empty-{viewport}", before)
    page.fill("#text", "Đèn đường ấp Tân Phú hư hai tháng nay, buổi tối rất tối.")
    page.tap('.hg-button[data-skbtn="{done}"]')
    page.tap(".chip >> text=Khiếu nại")
    check_screen(page, log, f"write-complaint-{viewport}", before)
    for step in ("where", "contact"):
        page.tap(".step:not([hidden]) >> text=Tiếp tục")
        page.wait_for_selector(f".step[data-step={step}]:not([hidden])")
        check_screen(page, log, f"write-{step}-{viewport}", before)
    page.tap("#phone")
    assert page.is_visible('.hg-button[data-skbtn="{clear}"]')
    check_screen(page, log, f"keypad-{viewport}", before, fits=False)


def test_an_unenrolled_screen_and_the_public_pages(page_factory, kiosk_setup):
    page, log = page_factory("landscape")
    page.goto(kiosk_setup.base_url + "/kiosk/")
    assert "Màn hình này chưa được cài đặt" in page.text_content("h1")
    screenshot(page, "kiosk-not-set-up")
    phone, phone_log = page_factory("portrait")
    phone.goto(kiosk_setup.base_url + f"/t/{kiosk_setup.item_code}")
    assert "Đường sá, hạ tầng" in phone.text_content("main")
    screenshot(phone, "public-status")
    phone.goto(kiosk_setup.base_url + f"/poster/{kiosk_setup.commune_code}")
    assert "0868 000 115" in phone.text_content("body")
    screenshot(phone, "poster")
    assert log.outside == [] and phone_log.outside == []


def test_the_public_lookup_asks_a_scanner_to_wait(page_factory, kiosk_setup):
    phone, log = page_factory("portrait")
    phone.goto(kiosk_setup.base_url + "/t/")
    for wrong in ("1234 5678", "2345 6789", "3456 7890"):
        phone.fill("#code", wrong)
        phone.click("button[type=submit]")
        assert phone.is_visible("p.error")
    phone.fill("#code", kiosk_setup.item_code)  # even a right code, until the wait is over
    phone.click("button[type=submit]")
    assert "Đã nhập sai mã quá nhiều lần" in phone.text_content("p.error")
    assert "Vui lòng thử lại sau 10 phút" in phone.text_content("p.error")
    assert phone.input_value("#code") == kiosk_setup.item_code
    screenshot(phone, "public-wait")
    assert log.outside == []
