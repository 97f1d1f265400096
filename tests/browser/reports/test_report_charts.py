"""Report pages in Chromium: charts drawn from our own Chart.js under the CSP, print view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from nghedan.extensions import db as _db
from nghedan.models import Commune, utcnow
from tests.admin.conftest import PASSWORD, world  # noqa: F401 - the `world` fixture
from tests.browser.conftest import screenshot
from tests.factories import make_item, make_officer
from tests.reports.builders import add_dialogue, add_ratings

pytestmark = pytest.mark.browser


@pytest.fixture
def figures(app, world):
    with app.app_context():
        ours = _db.session.get(Commune, world.commune_id)
        now = utcnow() - timedelta(minutes=5)
        lan = make_officer(ours, "01", "Nguyễn Thị Lan", desk="Quầy 1")
        an = make_officer(ours, "02", "Trần Văn An", desk="Quầy 2")
        for weeks, scores in ((0, [1] * 8 + [3, 4]), (1, [1] * 5 + [2] * 4 + [4])):
            add_ratings(lan, scores, now - timedelta(weeks=weeks), reasons=["slow"])
        add_ratings(an, [2, 2, 3], now, comment="Hướng dẫn tận tình")
        add_dialogue(ours, ours.hamlets[:1], now, attendance=120, published=now)
        for n in range(3):
            make_item(ours, f"Ý kiến số {n}", channel="sms", category_code="land")
        _db.session.commit()


def _log_in(page, base, target):
    page.goto(base + target)
    page.fill("#username", "officer1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**" + target)


def test_charts_draw_and_print(live_server, page_factory, figures):
    page, log = page_factory("landscape", permissions=["clipboard-read", "clipboard-write"])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    _log_in(page, live_server, "/admin/reports/satisfaction?unit=week")
    page.wait_for_selector("html[data-charts='1']")
    assert page.evaluate("!!Chart.getChart(document.querySelector('canvas[data-chart]'))")
    # The chart has four stacked level series and the index line.
    assert (
        page.evaluate("Chart.getChart(document.querySelector('canvas')).data.datasets.length") == 5
    )
    assert "Chưa đủ đánh giá" in page.text_content("#satisfaction-table")
    screenshot(page, "reports-satisfaction")
    page.emulate_media(media="print")
    assert page.is_hidden(".filters") and page.is_visible("canvas")
    screenshot(page, "reports-satisfaction-print")
    page.emulate_media(media="screen")

    page.goto(live_server + "/admin/reports/activity")
    page.wait_for_selector("html[data-charts='2']")
    summary = page.text_content("#report-summary").strip()
    assert "1 trong 1 cuộc đối thoại theo kế hoạch, 120 lượt người tham dự" in summary
    page.click("button[data-copy]")
    # expect() polls without eval, which the page's CSP (rightly) forbids.
    expect(page.locator("button[data-copy]")).to_have_text("Đã chép")
    assert page.evaluate("navigator.clipboard.readText()") == summary
    screenshot(page, "reports-activity")
    assert errors == [] and log.outside == []
