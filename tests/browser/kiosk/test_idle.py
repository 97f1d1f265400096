"""The idle reset: a countdown, then back to the start with every typed character gone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.kiosk.conftest import FAST, tap_keys
from tests.conftest import base_config

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(database_url):
    return {
        **base_config(database_url),
        **FAST,
        "KIOSK_IDLE_SECONDS": 2,
        "KIOSK_COUNTDOWN_SECONDS": 2,
    }


def _type_an_opinion(page, setup):
    page.goto(setup.base_url + "/kiosk/opinion/write?category=land")
    page.tap("#text")
    tap_keys(page, "nhaf tooi")
    page.tap('.hg-button[data-skbtn="{done}"]')
    for _ in ("where", "contact"):
        page.tap(".step:not([hidden]) [data-next]")
    page.tap("#name")
    tap_keys(page, "Lan")
    assert page.input_value("#text") == "nhà tôi"


def test_idle_counts_down_a_touch_stays_then_it_starts_over_with_nothing_kept(
    kiosk_page, kiosk_setup
):
    page, log = kiosk_page()
    page.tap("text=English")
    page.wait_for_selector("text=Rate an officer")
    _type_an_opinion(page, kiosk_setup)
    page.wait_for_selector("#idle:not([hidden])", timeout=5_000)
    assert page.text_content("#idle-count") in ("1", "2")
    screenshot(page, "kiosk-idle-countdown")
    page.tap("#idle-stay")  # a touch: the resident is still there
    assert page.is_hidden("#idle") and page.input_value("#text") == "nhà tôi"
    page.wait_for_selector("#idle:not([hidden])", timeout=5_000)
    page.wait_for_url("**/kiosk/", timeout=10_000)
    assert "Đánh giá cán bộ" in page.text_content(".choices")  # Vietnamese again
    page.goto(kiosk_setup.base_url + "/kiosk/opinion/write?category=land")
    assert page.input_value("#text") == "" and page.input_value("#name") == ""
    assert log.outside == []


def test_idle_clears_the_input_even_while_the_server_is_unreachable(kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    _type_an_opinion(page, kiosk_setup)
    cut = lambda route: route.abort("connectionrefused")  # noqa: E731
    page.route("**/healthz", cut)
    page.route("**/lang/**", cut)
    page.wait_for_function("() => document.querySelector('#text').value === ''", timeout=10_000)
    assert page.input_value("#name") == ""
    page.wait_for_selector("#offline:not([hidden])")
    page.unroute("**/healthz", cut)
    page.unroute("**/lang/**", cut)
    page.wait_for_url("**/kiosk/", timeout=10_000)  # home as soon as the server answers
