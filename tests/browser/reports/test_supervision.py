"""The supervisor's landing and the activity report's register, in Chromium, with screenshots."""

from __future__ import annotations

import pytest

from tests.admin.conftest import PASSWORD, world  # noqa: F401 - the `world` fixture
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.reports.conftest import supervised_quarter  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/admin/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_supervisor_lands_on_problems_then_opens_the_register(
    live_server, page_factory, supervised_quarter
):
    page, log = page_factory("landscape")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _log_in(page, live_server, "super2")
    page.wait_for_url("**/admin/supervision")
    assert page.text_content("#watch-headline").strip() == "1 trong 2 xã, phường cần chú ý."
    first = page.locator("article.watch").first
    assert first.get_attribute("data-commune") == "Tân Thạnh"
    assert first.locator(".badge").text_content() == "Cần chú ý"
    assert "Ấp Bắc" in first.locator(".problem-overdue").text_content()
    assert "Ấp Mới, Ấp Tân Phú" in first.locator(".problem-notice").text_content()
    assert "100% xuống 50%" in first.locator(".problem-satisfaction").text_content()
    assert page.locator("article.watch").nth(1).locator(".badge").text_content() == (
        "Không có vấn đề"
    )
    screenshot(page, "supervision-landing")

    first.locator("h2 a").click()
    page.wait_for_url("**/admin/reports/activity?commune=*")
    # The seeded quarter itself (the landing's period depends on today's place in the quarter).
    quarter, _now = supervised_quarter
    page.goto(f"{page.url.split('&')[0]}&from={quarter.period.start}&to={quarter.period.end}")
    page.wait_for_selector("html[data-charts]")
    # Planned, held, overdue, cancelled, still to come.
    assert page.locator("#plan-figures dd").all_text_contents() == ["7", "4", "1", "1", "1"]
    assert page.locator("#register-table tbody tr").count() == 7
    assert page.locator("#register-table tbody tr.warn-row").count() == 2  # overdue, missing
    assert page.locator("#voters-table tbody tr").count() == 1
    screenshot(page, "reports-activity-register")
    page.locator("#register-table").scroll_into_view_if_needed()
    page.locator("#register-table").screenshot(
        path=str(ARTIFACTS / "screenshots" / "reports-register-table.png")
    )
    with page.expect_download() as download:
        page.click("#register-table >> xpath=ancestor::section//a[text()='Excel (XLSX)']")
    assert download.value.suggested_filename.startswith("so-doi-thoai-")
    assert errors == [] and log.outside == []


def test_supervisor_without_communes(live_server, page_factory, supervised_quarter):
    page, _log = page_factory("landscape")
    _log_in(page, live_server, "super0")
    page.wait_for_url("**/admin/supervision")
    assert "chưa được giao xã, phường nào" in page.text_content("#no-communes")
    screenshot(page, "supervision-no-communes")
