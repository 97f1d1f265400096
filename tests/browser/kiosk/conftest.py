"""Kiosk browser fixtures: a commune with officers, an enrolled Chromium page, screen checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from nghedan.extensions import db as _db
from nghedan.services.items.triage import reject
from nghedan.services.people import kiosks
from tests.browser.conftest import screenshot
from tests.conftest import base_config
from tests.dialogues.builders import make_dialogue
from tests.factories import make_commune, make_item, make_officer

MAX_SCREEN_BYTES = 300 * 1024
# The screens a kiosk is set up on: 1280x800 and 1366x768 landscape, full HD, portrait.
KIOSK_VIEWPORTS = ("landscape", "laptop", "fullhd", "portrait")
# Quick timings so the tests need not wait a minute; the idle tests set their own.
FAST = {
    "KIOSK_IDLE_SECONDS": 600,
    "KIOSK_COUNTDOWN_SECONDS": 2,
    "KIOSK_THANKS_SECONDS": 3,
    "KIOSK_RETRY_SECONDS": 1,
}


@pytest.fixture
def app_config(database_url):
    return {**base_config(database_url), **FAST}


@dataclass
class KioskSetup:
    base_url: str
    enroll_url: str
    commune_code: str
    officer_id: int
    item_code: str
    complaint_code: str  # a complaint of a hamlet with a dialogue planned: the longest receipt
    rejected_code: str


@pytest.fixture
def kiosk_setup(app, live_server) -> KioskSetup:
    with app.app_context():
        commune = make_commune(
            sms_number="+84868000115", hamlets=("Ấp Tân Phú", "Ấp Tân Hòa", "Ấp Tân Lợi", "Khóm 1")
        )
        officer = make_officer(
            commune,
            "01",
            "Nguyễn Thị Lan",
            title="Công chức Văn phòng",
            desk="Quầy 1 - Tiếp nhận hồ sơ",
        )
        make_officer(commune, "02", "Trần Văn Hùng", title="Công chức Địa chính", desk="Quầy 2")
        make_officer(commune, "03", "Lê Thị Thu Hà", title="Công chức Tư pháp", desk="Quầy 3")
        enrollment = kiosks.add_kiosk(commune_id=commune.id, name="Quầy một cửa")
        item = make_item(
            commune,
            category_code="roads",
            hamlet_id=commune.hamlets[0].id,
            kiosk_id=enrollment.kiosk.id,
        )
        make_dialogue(
            commune,
            days=5,
            hamlets=commune.hamlets[:1],
            place="Nhà văn hóa ấp Tân Phú, số 12 đường Nguyễn Trung Trực",
        )
        complaint = make_item(
            commune,
            "Đề nghị xem lại quyết định thu hồi đất của gia đình.",
            category_code="land",
            hamlet_id=commune.hamlets[0].id,
            legal_type="complaint",
            kiosk_id=enrollment.kiosk.id,
        )
        rejected = make_item(commune, "Vay tiền nhanh, lãi thấp", channel="sms")
        reject(rejected, "Tin quảng cáo, không phải ý kiến của người dân.", user_id=None)
        _db.session.commit()
        setup = KioskSetup(
            live_server,
            f"{live_server}/kiosk/enroll/{enrollment.token}",
            commune.code,
            officer.id,
            item.tracking_code,
            complaint.tracking_code,
            rejected.tracking_code,
        )
    return setup


@pytest.fixture
def kiosk_page(page_factory, kiosk_setup):
    """Open an enrolled kiosk page at a viewport: returns (page, network log)."""

    def open_page(viewport: str = "landscape"):
        page, log = page_factory(viewport)
        page.goto(kiosk_setup.enroll_url)
        page.wait_for_url("**/kiosk/")
        return page, log

    return open_page


def query(app, fn):
    """Run fn() in an app context with a fresh session (the live server commits in its own)."""
    with app.app_context():
        try:
            return fn()
        finally:
            _db.session.remove()


# The checks every kiosk screen must pass, measured in the page itself.
SCREEN_CHECKS_JS = (Path(__file__).parent / "screen_checks.js").read_text(encoding="utf-8")


def check_screen(page, log, name: str, bytes_before: int, *, fits: bool = True) -> None:
    """Screenshot, then: the screen fits with its main action in reach (unless `fits` is
    False: a keyboard is open), big targets apart, big readable text, small transfer."""
    screenshot(page, f"kiosk-{name}")
    found = page.evaluate(SCREEN_CHECKS_JS)
    if fits:
        assert found["tallerBy"] <= 1, f"{name}: {found['tallerBy']} px taller than the screen"
        assert found["primaries"] >= 1, f"{name}: no main action marked data-primary"
        assert found["outOfReach"] == [], f"{name}: main action out of reach: {found['outOfReach']}"
    assert found["nativeMessages"] == [], f"{name}: browser messages {found['nativeMessages']}"
    assert found["overflow"] <= 0, f"{name}: {found['overflow']} px wider than the screen"
    assert found["small"] == [], f"{name}: targets under 64 px: {found['small']}"
    assert found["close"] == [], f"{name}: targets closer than 16 px: {found['close']}"
    assert found["tiny"] == [], f"{name}: text under 22 px: {found['tiny']}"
    assert found["poor"] == [], f"{name}: contrast below WCAG AA: {found['poor']}"
    assert found["bodyFont"] >= 22
    assert found["userSelect"] == "none" and found["touchAction"] == "manipulation"
    assert log.outside == [], f"{name}: requests left 127.0.0.1: {log.outside}"
    assert log.bytes - bytes_before < MAX_SCREEN_BYTES, f"{name}: {log.bytes - bytes_before} bytes"


def tap_keys(page, keys: str) -> None:
    """Type on the on-screen keyboard, one tap per key (" " is the space bar)."""
    for key in keys:
        if key != key.lower():
            page.tap('.hg-button[data-skbtn="{shift}"]')  # one capital, then back to small
        name = "{space}" if key == " " else key
        page.tap(f'.hg-button[data-skbtn="{name}"]')
