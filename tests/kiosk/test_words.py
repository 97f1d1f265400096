"""How the kiosk speaks: `bà con` to the public, `ông/bà` to one resident, never `bạn`; an
English switch only where it is not hit by accident, and none when the commune says so."""

from __future__ import annotations

import re

import flask_babel
import pytest

from nghedan.text import fold_diacritics
from tests.factories import make_item
from tests.kiosk.conftest import form_fields

BAN = re.compile(r"\bbạn\b", re.IGNORECASE)


@pytest.fixture
def officer_id(db, commune):
    from sqlalchemy import select

    from nghedan.models import Officer

    return db.scalars(select(Officer).where(Officer.commune_id == commune.id)).first().id


def test_no_screen_says_ban(kiosk_client, db, commune, enrollment, officer_id):
    item = make_item(commune, kiosk_id=enrollment.kiosk.id, contact_phone="0912345678")
    db.commit()
    paths = [
        "/kiosk/",
        "/kiosk/rate",
        f"/kiosk/rate/{officer_id}",
        f"/kiosk/rate/{officer_id}/why?score=4",
        "/kiosk/thanks",
        "/kiosk/opinion",
        "/kiosk/opinion/write?category=land",
        f"/kiosk/receipt/{item.tracking_code}",
        "/kiosk/lookup",
        f"/kiosk/lookup?code={item.tracking_code}",
        f"/poster/{commune.code}",
        f"/t/{item.tracking_code}",
    ]
    for path in paths:
        html = kiosk_client.get(path).get_data(as_text=True)
        assert not BAN.search(html), path
    assert "Kính chào bà con" in kiosk_client.get("/kiosk/").get_data(as_text=True)
    assert "Bà con" in kiosk_client.get(f"/poster/{commune.code}").get_data(as_text=True)
    assert "ông/bà" in kiosk_client.get(f"/kiosk/receipt/{item.tracking_code}").get_data(
        as_text=True
    )


def test_the_receipt_sms_says_ong_ba(kiosk_client, db):
    page = kiosk_client.get("/kiosk/opinion/write?category=land").get_data(as_text=True)
    kiosk_client.post(
        "/kiosk/opinion/write", data={**form_fields(page), "text": "Đèn hư", "phone": "0912345678"}
    )
    from sqlalchemy import select

    from nghedan.models import Message

    [sms] = db.scalars(select(Message).where(Message.direction == "out")).all()
    assert "ong/ba" in fold_diacritics(sms.body) and not BAN.search(sms.body)


def test_english_only_from_the_home_screens_corner(kiosk_client, officer_id):
    home = kiosk_client.get("/kiosk/").get_data(as_text=True)
    assert 'class="button language-switch"' in home and ">English<" in home
    assert home.index("lookup-link") < home.index("language-switch")  # below the choices
    for path in (
        "/kiosk/rate",
        f"/kiosk/rate/{officer_id}",
        "/kiosk/opinion/write",
        "/kiosk/lookup",
    ):
        assert ">English<" not in kiosk_client.get(path).get_data(as_text=True), path
    kiosk_client.get("/lang/en?next=/kiosk/")
    flask_babel.refresh()  # the db fixture's app context keeps the locale it chose
    page = kiosk_client.get("/kiosk/lookup").get_data(as_text=True)
    assert ">Tiếng Việt<" in page  # the way back is on every screen


def test_a_kiosk_can_have_no_language_switch(app, kiosk_client):
    app.config["KIOSK_LANGUAGE_SWITCH"] = False
    assert "English" not in kiosk_client.get("/kiosk/").get_data(as_text=True)


def test_a_wards_kiosk_says_phuong(db, app):
    """What the receipt screen tells a ward's resident (where to lodge a complaint, the next
    dialogue) names the ward, never "xã"."""
    from kiosk.wording import legal_note, next_dialogue_line
    from nghedan.models import Dialogue
    from tests.factories import make_commune

    ward = make_commune("Mỹ Hòa", kind="phuong")
    item = make_item(ward, "Khiếu nại quyết định thu hồi đất", legal_type="complaint")
    dialogue = Dialogue(commune=ward, place="Nhà văn hóa khu phố 3", kind="dialogue")
    dialogue.starts_at = item.created_at
    with app.test_request_context():
        lines = legal_note(item)
        assert "nơi tiếp công dân của phường." in lines[0]
        assert next_dialogue_line(dialogue).startswith("Buổi đối thoại tới của phường:")
