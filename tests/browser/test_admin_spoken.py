"""An official plays a spoken item in Chromium, faster, and writes its summary."""

import pytest

from nghedan.extensions import db
from nghedan.services.items.intake import create_item
from nghedan.services.items.recordings import attach_recording, check_recording
from tests.admin.conftest import PASSWORD, world  # noqa: F401 - the `world` fixture
from tests.audio_samples import webm_3s
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_an_official_plays_and_summarises_a_spoken_item(app, live_server, page_factory, world):
    with app.app_context():
        item = create_item(commune_id=world.commune_id, text="", channel="kiosk", spoken=True)
        attach_recording(item, check_recording(webm_3s()))
        db.session.commit()
        item_id = item.id
    page, log = page_factory("landscape")
    page.goto(f"{live_server}/admin/items/{item_id}")
    page.fill("#username", "officer1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/admin/items/{item_id}")
    page.click("[data-speed='1.5']")
    page.evaluate("() => document.querySelector('#spoken audio').play()")
    page.wait_for_timeout(1200)
    played = page.evaluate(
        "() => { const a = document.querySelector('#spoken audio');"
        " return {t: a.currentTime, rate: a.playbackRate, error: a.error && a.error.code}; }"
    )
    assert played["error"] is None and played["rate"] == 1.5 and played["t"] > 0.5
    screenshot(page, "admin-spoken-item")
    page.fill("#summary", "Cống ấp Tân Phú bị tắc, nước tràn vào nhà.")
    page.click("#spoken button[type=submit]")
    page.wait_for_url(f"**/admin/items/{item_id}#spoken")
    assert "Cống ấp Tân Phú bị tắc" in page.text_content("#spoken-summary")
    assert log.outside == []
