"""The admin inbox in Chromium: login, keyboard shortcuts, search, the item page."""

import pytest

from tests.admin.conftest import PASSWORD, world  # noqa: F401 - the `world` fixture
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _log_in(page, base):
    page.goto(base + "/admin/items?status=new")
    assert "/admin/login" in page.url
    page.fill("#username", "officer1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/items?status=new")


def test_inbox_by_keyboard(live_server, page_factory, world):
    page, log = page_factory("landscape")
    _log_in(page, live_server)
    assert "Phím tắt" in page.text_content(".shortcuts")
    page.keyboard.press("j")
    assert page.eval_on_selector("#inbox tbody tr.current", "r => r.rowIndex") == 1
    page.keyboard.press("x")
    assert page.is_checked("#inbox tbody tr.current input[type=checkbox]")
    page.keyboard.press("c")
    assert page.eval_on_selector("#bulk-action", "s => s.value") == "category"
    assert page.evaluate("document.activeElement.id") == "bulk-category"
    page.click("h1")
    page.keyboard.press("/")
    page.keyboard.type("ngap nuoc")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=ngap+nuoc**")
    rows = page.query_selector_all("#inbox tbody tr[data-href]")
    assert len(rows) == 1 and "ngập nước" in rows[0].text_content()
    screenshot(page, "admin-inbox-search")
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url("**/admin/items/*")
    assert "Lịch sử xử lý" in page.content()
    screenshot(page, "admin-item")
    assert log.outside == []
