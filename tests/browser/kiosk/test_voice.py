"""Speaking an opinion at the kiosk, in Chromium with a fake microphone that says a
Vietnamese sentence (espeak-ng makes the WAV; `make test` installs it)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from nghedan.audio_files import read_audio
from nghedan.extensions import db
from nghedan.models import Item
from nghedan.services.items.recordings import file_path
from tests.browser.conftest import new_page, screenshot
from tests.browser.kiosk.conftest import MAX_SCREEN_BYTES, check_screen, query
from tests.browser.microphone import mic_browser, spoken_wav  # noqa: F401 - fixtures

NEXT = ".step:not([hidden]) [data-next]"


def _open_writing(browser, request, kiosk_setup, viewport="landscape"):
    page, log = new_page(browser, request, viewport)
    page.goto(kiosk_setup.enroll_url)
    page.wait_for_url("**/kiosk/")
    page.goto(f"{kiosk_setup.base_url}/kiosk/opinion/write?category=roads")
    return page, log


def _record(page, seconds: float) -> float:
    page.wait_for_selector("[data-voice-start]", state="visible")
    page.tap("text=Nói ý kiến")
    page.wait_for_selector("[data-voice-stop]", state="visible")
    started = time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    assert page.text_content("[data-voice-time]") != "0:00"  # the timer runs
    page.tap("[data-voice-stop]")
    page.wait_for_selector("[data-voice-play]", state="visible")
    return time.monotonic() - started


def _wait_until(page, expression: str, seconds: float = 10) -> None:
    # wait_for_function evaluates a string, which the page's CSP (no unsafe-eval) refuses.
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(100)


def _items(app) -> list[Item]:
    return query(
        app,
        lambda: list(
            db.session.scalars(
                select(Item)
                .options(selectinload(Item.attachments), selectinload(Item.hamlet))
                .order_by(Item.id)
            )
        ),
    )


def test_record_listen_send_and_the_item_has_a_playable_recording(
    app, mic_browser, request, kiosk_setup
):
    page, log = _open_writing(mic_browser, request, kiosk_setup)
    check_screen(page, log, "voice-ready", 0)
    page.wait_for_selector("[data-voice-start]", state="visible")
    page.tap("text=Nói ý kiến")
    page.wait_for_selector("[data-voice-stop]", state="visible")
    page.wait_for_timeout(1500)
    level = page.evaluate("document.querySelector('[data-voice-level]').style.width")
    screenshot(page, "kiosk-voice-recording")
    assert level and level != "0%", "the level meter moves while the resident speaks"
    page.wait_for_timeout(1500)
    page.tap("[data-voice-stop]")
    page.wait_for_selector("[data-voice-play]", state="visible")
    screenshot(page, "kiosk-voice-recorded")
    # Heard again on the kiosk: the page plays what it recorded.
    page.tap("[data-voice-play]")
    _wait_until(page, "document.querySelector('[data-voice-audio]').currentTime > 0.3")
    shown = page.text_content("[data-voice-time]")
    # Sent with the steps as a typed opinion, with no text typed.
    page.tap(NEXT)
    page.tap("text=Ấp Tân Lợi")
    page.tap(NEXT)
    before = log.bytes
    page.tap("text=Gửi ý kiến")
    page.wait_for_url("**/kiosk/receipt/*")
    check_screen(page, log, "voice-receipt", before)
    code = page.url.rsplit("/", 1)[1]
    [item] = [i for i in _items(app) if i.tracking_code == code]
    assert item.text == "" and item.hamlet.name == "Ấp Tân Lợi"
    [recording] = item.attachments
    data = query(app, lambda: file_path(recording.storage_path).read_bytes())
    heard = read_audio(data)
    assert heard.content_type == "audio/webm"
    minutes, seconds = shown.split(":")
    assert abs(heard.seconds - (int(minutes) * 60 + int(seconds))) <= 1.2
    assert abs(recording.duration_ms / 1000 - heard.seconds) < 0.01


def test_record_again_then_drop_for_typing(app, mic_browser, request, kiosk_setup):
    page, _log = _open_writing(mic_browser, request, kiosk_setup)
    _record(page, 1)
    page.tap("[data-voice-again]")
    page.wait_for_selector("[data-voice-stop]", state="visible")
    page.wait_for_timeout(1000)
    page.tap("[data-voice-stop]")
    page.wait_for_selector("[data-voice-drop]", state="visible")
    page.tap("[data-voice-drop]")
    assert page.is_visible("[data-voice-start]")
    # Without the recording the text is needed again, and the form goes to the typed address.
    page.tap(NEXT)
    assert page.text_content("#form-error") == "Vui lòng viết nội dung ý kiến."
    assert page.get_attribute("form.write", "action").endswith("/opinion/write")


def test_a_recording_waits_offline_and_is_sent_once(app, mic_browser, request, kiosk_setup):
    page, _log = _open_writing(mic_browser, request, kiosk_setup)
    _record(page, 2)
    posts = []

    def server_away(route):
        posts.append(route.request.url)
        if len(posts) <= 2:
            route.abort()  # the LAN is down: the page keeps the recording and tries again
        else:
            route.continue_()

    page.route("**/kiosk/opinion/voice", server_away)
    page.tap(NEXT)
    page.tap(NEXT)
    page.tap("text=Gửi ý kiến")
    page.wait_for_selector("#offline", state="visible")
    screenshot(page, "kiosk-voice-offline")
    page.tap("text=Gửi ý kiến")  # an impatient second tap sends nothing more
    page.wait_for_url("**/kiosk/receipt/*", timeout=15_000)
    code = page.url.rsplit("/", 1)[1]
    spoken = [i for i in _items(app) if i.attachments]
    assert [i.tracking_code for i in spoken] == [code]
    assert len(spoken[0].attachments) == 1 and spoken[0].attachments[0].duration_ms > 1000


def test_no_microphone_no_button(app, page_factory, kiosk_setup):
    page, log = page_factory("laptop")
    page.goto(kiosk_setup.enroll_url)
    page.wait_for_url("**/kiosk/")
    page.goto(f"{kiosk_setup.base_url}/kiosk/opinion/write?category=roads")
    page.wait_for_timeout(300)
    assert page.is_hidden("[data-voice-start]")
    check_screen(page, log, "voice-no-microphone", 0)


def test_a_refused_microphone_hides_the_button(app, mic_browser, request, kiosk_setup):
    page, _log = _open_writing(mic_browser, request, kiosk_setup)
    page.wait_for_selector("[data-voice-start]", state="visible")
    page.evaluate(
        "() => { navigator.mediaDevices.getUserMedia = () => "
        "Promise.reject(new DOMException('denied', 'NotAllowedError')); }"
    )
    page.tap("text=Nói ý kiến")
    page.wait_for_selector("[data-voice-refused]", state="visible")
    assert page.is_hidden("[data-voice-start]")
    screenshot(page, "kiosk-voice-refused")
    page.tap("#text")  # typing works as before
    page.wait_for_selector(".keyboard-dock", state="visible")


@pytest.mark.parametrize("viewport", ["laptop", "portrait"])
def test_the_recorder_fits_the_screen(mic_browser, request, kiosk_setup, viewport):
    page, log = _open_writing(mic_browser, request, kiosk_setup, viewport)
    _record(page, 1)
    check_screen(page, log, f"voice-recorded-{viewport}", 0)
    assert log.bytes < MAX_SCREEN_BYTES


def test_recording_stops_by_itself_at_the_limit(app, mic_browser, request, kiosk_setup):
    app.config["RECORDING_MAX_SECONDS"] = 2  # the live server serves this app object
    page, _log = _open_writing(mic_browser, request, kiosk_setup)
    assert "/ 0:02" in page.text_content(".voice-time")
    page.wait_for_selector("[data-voice-start]", state="visible")
    page.tap("text=Nói ý kiến")
    page.wait_for_selector("[data-voice-play]", state="visible", timeout=6000)  # no tap on Dừng
    assert page.text_content("[data-voice-time]") == "0:02"
    page.tap(NEXT)
    page.tap(NEXT)
    page.tap("text=Gửi ý kiến")
    page.wait_for_url("**/kiosk/receipt/*")
    [item] = [i for i in _items(app) if i.attachments]
    assert 1500 <= item.attachments[0].duration_ms <= 2500
