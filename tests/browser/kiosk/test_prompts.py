"""The kiosk speaks, in Chromium: the commune records a prompt in the admin panel with the
microphone, the kiosk's speaker button plays it; a prompts-only language on the home screen."""

from __future__ import annotations

import time

from nghedan.extensions import db
from nghedan.models import Commune, User
from nghedan.services.people import kiosk_prompts
from tests.admin.conftest import PASSWORD, password_hash
from tests.audio_samples import ogg_opus, webm_3s
from tests.browser.conftest import new_page, screenshot
from tests.browser.kiosk.conftest import check_screen, query
from tests.browser.microphone import mic_browser, spoken_wav  # noqa: F401 - fixtures


def _wait_until(page, expression: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(100)


def _commune_id(app, kiosk_setup) -> int:
    return query(
        app, lambda: db.session.query(Commune.id).filter_by(code=kiosk_setup.commune_code).scalar()
    )


def test_the_commune_records_a_prompt_and_the_kiosk_plays_it(
    app, mic_browser, request, kiosk_setup
):
    commune_id = _commune_id(app, kiosk_setup)
    with app.app_context():
        db.session.add(
            User(
                username="lan",
                role="admin",
                commune_id=commune_id,
                full_name="Lan",
                password_hash=password_hash(),
            )
        )
        db.session.commit()
    admin, _log = new_page(mic_browser, request)
    admin.goto(f"{kiosk_setup.base_url}/admin/kiosk-prompts")
    admin.fill("#username", "lan")
    admin.fill("#password", PASSWORD)
    admin.click("button[type=submit]")
    admin.wait_for_url("**/admin/kiosk-prompts")
    admin.select_option("#prompt-screen", "categories")
    admin.click("[data-prompt-record]")
    admin.wait_for_selector("[data-prompt-stop]", state="visible")
    admin.wait_for_timeout(2000)
    admin.click("[data-prompt-stop]")
    admin.wait_for_selector("[data-prompt-preview]", state="visible")
    screenshot(admin, "admin-kiosk-prompt-recorded")
    admin.click("#record-prompt button[type=submit]")
    admin.wait_for_url("**/admin/kiosk-prompts")
    assert admin.is_visible("[data-cell='categories-vi'] audio")
    screenshot(admin, "admin-kiosk-prompts")

    kiosk, log = new_page(mic_browser, request)
    kiosk.goto(kiosk_setup.enroll_url)
    kiosk.wait_for_url("**/kiosk/")
    assert kiosk.query_selector("[data-speaker]") is None  # the home screen has no prompt yet
    kiosk.goto(f"{kiosk_setup.base_url}/kiosk/opinion")
    before = log.bytes
    check_screen(kiosk, log, "prompt-speaker", before)
    kiosk.tap("[data-speaker]")
    _wait_until(kiosk, "document.querySelector('[data-speaker-audio]').currentTime > 0.3")


def test_a_prompts_only_language_speaks_on_the_next_screens(app, kiosk_page, kiosk_setup):
    commune_id = _commune_id(app, kiosk_setup)
    with app.app_context():
        kiosk_prompts.add_language(commune_id, "Tiếng Thái")
        for screen, data in (("home", webm_3s()), ("categories", ogg_opus(3))):
            kiosk_prompts.save_prompt(
                commune_id=commune_id,
                screen=screen,
                language="tieng-thai",
                data=data,
                user_id=None,
            )
        db.session.commit()
    page, log = kiosk_page("laptop")
    page.reload()
    check_screen(page, log, "home-prompt-languages", 0)
    # No Vietnamese prompt on the home screen: the speaker waits until Thái is chosen.
    assert page.is_hidden("[data-speaker]")
    page.tap("text=Tiếng Thái")
    assert page.is_visible("[data-speaker]")
    _wait_until(page, "document.querySelector('[data-speaker-audio]').currentTime > 0.3")
    screenshot(page, "kiosk-home-thai-chosen")
    page.tap("text=Góp ý, kiến nghị")
    page.wait_for_url("**/kiosk/opinion")
    page.tap("[data-speaker]")
    _wait_until(page, "document.querySelector('[data-speaker-audio]').src.includes('/prompts/')")
    page.tap("text=Trang đầu")  # a new visit starts in Vietnamese: no Thái prompt chosen
    page.wait_for_url("**/kiosk/")
    assert page.is_hidden("[data-speaker]")
