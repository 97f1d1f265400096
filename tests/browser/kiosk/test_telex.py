"""The Telex composer of the on-screen keyboard (kiosk/static/telex.js), run in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
STATIC = Path(__file__).resolve().parents[3] / "kiosk" / "static"

TELEX_CASES = {
    "dduwowngf": "đường",
    "vieetj": "việt",
    "hoaf": "hòa",
    "thuyr": "thủy",
    "nguwowif": "người",
    "quas": "quá",
    "giaf": "già",
    "tieengs": "tiếng",
    "ass": "as",
    "Ddaats": "Đất",
    "xax": "xã",
    "ngoaif": "ngoài",
    "tuaans": "tuấn",
    "aw": "ă",
    "w": "ư",
    "casz": "ca",
    "cas dduowcj": "cá được",
    "chuyeenj": "chuyện",
    "thw": "thư",
    "giuwowngf": "giường",
    "khoong": "không",
    "baanf": "bần",
}


def test_the_telex_composer(page_factory):
    page, _ = page_factory("landscape")
    page.add_script_tag(path=str(STATIC / "telex.js"))
    typed = page.evaluate(
        "cases => Object.keys(cases).map(k => [k, Telex.typeAll(k)])", TELEX_CASES
    )
    assert {k: v for k, v in typed} == TELEX_CASES
    assert page.evaluate("Telex.tone('Tan Thanh', 'f')") == "Tan Thành"
