"""One rule for a denunciation's sender: no page or export links a phone to a denunciation,
except the admin's audited sender page; the item page's SMS thread stays in its commune."""

from __future__ import annotations

import csv
import io
import re

import pytest

from nghedan.extensions import db as _db
from nghedan.models import Commune, Item, Message
from nghedan.services.items.confidential import mentioned_codes
from sms_gateway.inbound import InboundSms
from tests.admin.conftest import login
from tests.factories import make_item
from tests.sms_gateway.conftest import deliver

SENDER = "+84901234567"  # the denunciation's sender in the `world` fixture
SHOWN = "0901 234 567"
OURS, THEIRS = "+842703800001", "+842703800002"


def _as(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


@pytest.fixture
def texts(app, world):
    """The denunciation's sender also writes an ordinary opinion, looks the denunciation up
    by SMS, adds to it, and texts the other commune; ids of what each made."""
    app.config["SMS_JOIN_WINDOW_SECONDS"] = 0
    with app.app_context():
        _db.session.get(Commune, world.commune_id).sms_number = OURS
        _db.session.get(Commune, world.other_commune_id).sms_number = THEIRS
        secret = _db.session.get(Item, world.denunciation_id)
        ordinary = make_item(
            secret.commune, "Đèn đường ấp Tân Hòa bị hư.", channel="sms", contact_phone=SENDER
        )
        added = Message(
            direction="in",
            channel="twilio",
            phone=SENDER,
            status="processed",
            body="Bổ sung: cán bộ nhận năm triệu",
            item_id=secret.id,
            commune_id=world.commune_id,
        )
        plain = Message(
            direction="in",
            channel="twilio",
            phone=SENDER,
            status="processed",
            body="Đèn đường ấp Tân Hòa bị hư.",
            item_id=ordinary.id,
            commune_id=world.commune_id,
        )
        _db.session.add_all([added, plain])
        _db.session.commit()
        code = secret.tracking_code
        spaced = f"{code[:4]} {code[4:]}"
        deliver(InboundSms("twilio", SENDER, f"tt {spaced}.", "SMlookup1", OURS))
        deliver(InboundSms("twilio", SENDER, "Tin gửi xã Mỹ Hòa", "SMtheirs1", THEIRS))
        _db.session.commit()
        lookup = _db.session.query(Message).filter_by(provider_id="SMlookup1").one()
        return {
            "ordinary": ordinary.id,
            "added": added.id,
            "plain": plain.id,
            "lookup": lookup.id,
            "code": code,
            "spaced": spaced,
        }


def _row(page: str, message_id: int) -> str:
    found = re.search(rf'<tr id="message-{message_id}".*?</tr>', page, re.S)
    assert found, f"message {message_id} not in the log"
    return found.group(0)


@pytest.mark.parametrize("username", ["officer1", "admin1"])
def test_item_thread_leaves_out_texts_tied_to_a_denunciation_and_other_communes(
    app, world, texts, username
):
    page = _as(app, username).get(f"/admin/items/{texts['ordinary']}").get_data(as_text=True)
    assert SHOWN in page and "Đèn đường ấp Tân Hòa bị hư." in page
    assert "cán bộ nhận năm triệu" not in page  # joined to the denunciation
    assert texts["spaced"] not in page and texts["code"] not in page  # TT <its code>, reply
    assert "Tin gửi xã Mỹ Hòa" not in page  # the other commune's text


def test_the_other_communes_item_page_shows_none_of_our_texts(app, world, texts):
    with app.app_context():
        theirs = make_item(
            _db.session.get(Commune, world.other_commune_id), "Cống bị tắc.", contact_phone=SENDER
        )
        _db.session.commit()
        theirs_id = theirs.id
    page = _as(app, "admin2").get(f"/admin/items/{theirs_id}").get_data(as_text=True)
    assert "Tin gửi xã Mỹ Hòa" in page
    assert "Đèn đường" not in page and "năm triệu" not in page and texts["code"] not in page


def test_the_audited_sender_page_shows_the_denunciations_texts_to_admins(app, world, texts):
    page = _as(app, "admin1").get(f"/admin/items/{world.denunciation_id}/sender")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and SHOWN in html
    assert "cán bộ nhận năm triệu" in html and texts["spaced"] in html
    assert "Tin gửi xã Mỹ Hòa" not in html


@pytest.mark.parametrize("username", ["officer1", "admin1", "super1"])
def test_sms_log_hides_the_phone_of_every_text_tied_to_a_denunciation(app, world, texts, username):
    page = _as(app, username).get("/admin/sms").get_data(as_text=True)
    for key in ("added", "lookup"):
        row = _row(page, texts[key])
        assert "•••" in row and "0901" not in row, row
    plain = _row(page, texts["plain"])
    assert ("0901 *** *67" if username == "super1" else SHOWN) in plain


def test_sms_log_hides_the_phone_of_an_outgoing_reply_about_a_denunciation(app, world, texts):
    with app.app_context():
        reply = Message(
            direction="out",
            channel="android",
            phone=SENDER,
            status="sent",
            body=f"Mã {texts['code']}: đã tiếp nhận, đang xử lý.",
            commune_id=world.commune_id,
        )
        _db.session.add(reply)
        _db.session.commit()
        reply_id = reply.id
    row = _row(_as(app, "officer1").get("/admin/sms").get_data(as_text=True), reply_id)
    assert "•••" in row and "0901" not in row


def test_items_csv_never_puts_a_phone_beside_a_denunciation(app, world, texts):
    body = _as(app, "admin1").get("/admin/items.csv").get_data(as_text=True)
    rows = {r[0]: r for r in csv.reader(io.StringIO(body.lstrip("\ufeff")))}
    with app.app_context():
        secret = _db.session.get(Item, world.denunciation_id)
        ordinary = _db.session.get(Item, texts["ordinary"])
        assert SHOWN not in rows[secret.tracking_code]
        assert "Người Tố Cáo" not in rows[secret.tracking_code]
        assert SHOWN in rows[ordinary.tracking_code]


def test_mentioned_codes_finds_codes_as_residents_type_them():
    assert mentioned_codes("TT 1234 5671") == {"12345671"}
    assert mentioned_codes("tt:1234-5671. va 0012345671") == {"12345671"}
    assert mentioned_codes("Mã 12345671: đã tiếp nhận") == {"12345671"}
    assert mentioned_codes("TT 12345671 23456781") >= {"12345671"}
    assert mentioned_codes("gọi 0912345678 giúp") == set()
    assert mentioned_codes(None) == set()


def test_a_reply_to_the_sender_of_a_merged_denunciation_is_tied_to_it(app, world):
    """A denunciation merged into another item: the reply about that item that reached the
    denunciation's sender shows neither on the item's thread nor with its phone in the log."""
    with app.app_context():
        secret = _db.session.get(Item, world.denunciation_id)
        secret.duplicate_of_id = world.item_id
        reply = Message(
            direction="out",
            channel="twilio",
            phone=SENDER,
            status="sent",
            body="Xã đã sửa xong đường ấp Tân Phú.",
            item_id=world.item_id,
            commune_id=world.commune_id,
        )
        _db.session.add(reply)
        _db.session.commit()
        reply_id = reply.id
    client = _as(app, "officer1")
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "Xã đã sửa xong" not in page and SHOWN not in page
    row = _row(client.get("/admin/sms").get_data(as_text=True), reply_id)
    assert "•••" in row and "0901" not in row
