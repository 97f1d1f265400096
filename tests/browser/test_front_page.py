import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_front_page_in_chromium_stays_on_loopback(live_server, page_factory):
    page, log = page_factory("landscape")
    page.goto(live_server + "/")
    assert "Nghe dân nói" in page.text_content("h1")
    page.tap("text=English")
    assert "Listen to residents" in page.text_content("h1")
    screenshot(page, "front-page-en")
    assert log.outside == []
