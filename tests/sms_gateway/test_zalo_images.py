"""Pictures a resident sends on Zalo: fetched by the worker (never by the webhook) from a fake
Zalo picture server on loopback, kept as the item's attachment, shown to officials only; a
picture that can't be had leaves the item, its link and the reason in the history, and the
worker goes on. Zalo items and ratings are counted under their own channel, "Zalo"."""

from __future__ import annotations

import struct
import time
import zlib

import pytest
from sqlalchemy import func, select

from nghedan.models import Item, ItemAttachment, Message, Rating, User
from sms_gateway import zalo_media
from tests.admin.conftest import login, password_hash
from tests.sms_gateway.conftest import (
    COMMUNE_NUMBER,
    commune_with_officers,
    post_sms,
    reply_of,
    reply_to,
    twilio_config,
)
from tests.sms_gateway.fake_zalo import image_event, text_event
from tests.sms_gateway.zalo_world import OA_ID, make_zalo_world, now_ms, post_event, zalo_config


def _png(width: int = 2, height: int = 2) -> bytes:
    """A real (grey) PNG, so a browser would show it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # noqa: E501


@pytest.fixture
def fake(fake_zalo):
    return fake_zalo


@pytest.fixture
def app_config(database_url, fake):
    # The fake serves pictures over http on loopback; Zalo's own links are https only.
    # Twilio too: the same resident also texts by SMS.
    return twilio_config(database_url) | zalo_config(
        database_url,
        fake,
        ZALO_IMAGE_HTTPS_ONLY=False,
        SMS_QUIET_HOURS="",
        ITEM_EVIDENCE_MAX_BYTES=512 * 1024,
    )


@pytest.fixture
def commune(db):
    commune = commune_with_officers(db, COMMUNE_NUMBER)
    db.add(
        User(
            username="canbo",
            role="officer",
            commune_id=commune.id,
            full_name="Cán bộ xã",
            password_hash=password_hash(),
        )
    )
    db.commit()
    return commune


@pytest.fixture
def world(app, db, commune):
    commune_id = commune.id
    db.commit()
    return make_zalo_world(app, commune_id)


@pytest.fixture
def post(client, db):
    def send(payload: dict):
        db.commit()
        return post_event(client, payload)

    return send


def _image(fake, name: str, msg_id: str, *, data: bytes = PNG, answer: str = "ok") -> dict:
    url = fake.picture_url(name, data, answer)
    return image_event("u1", url, msg_id=msg_id, oa_id=OA_ID, at_ms=now_ms())


def _text(body: str, msg_id: str, user_id: str = "u1") -> dict:
    return text_event(user_id, body, msg_id=msg_id, oa_id=OA_ID, at_ms=now_ms())


def _officer(app):
    client = app.test_client()
    assert login(client, "canbo").status_code == 302
    return client


def test_a_picture_alone_becomes_a_zalo_item_with_the_picture_fetched_by_the_worker(
    app, db, post, world, fake
):
    started = time.monotonic()
    assert post(_image(fake, "ho-ga.png", "img1")).status_code == 200
    assert time.monotonic() - started < 2  # Zalo's limit for the webhook's answer
    assert fake.requests_for("ho-ga.png") == 0  # the webhook never fetches
    reply = reply_to(None)
    item = db.scalar(select(Item))
    assert item.channel == "zalo" and item.text == "(ảnh gửi qua Zalo)"
    assert item.tracking_code in reply
    (picture,) = item.attachments
    assert (picture.file_name, picture.content_type, picture.kind) == (
        "zalo-img1-1.png",
        "image/png",
        "evidence",
    )
    assert picture.data == PNG and picture.size == len(PNG) and picture.user_id is None
    assert fake.requests_for("ho-ga.png") == 1


def test_a_picture_sent_right_after_a_text_joins_its_item(app, db, post, world, fake):
    post(_text("Hố ga trước nhà văn hóa ấp 2 bị vỡ nắp, rất nguy hiểm", "m1"))
    first = reply_to(None)
    post(_image(fake, "nap-ho-ga.gif", "img2", data=GIF))
    second = reply_to(None)
    item = db.scalar(select(Item))
    assert db.scalar(select(func.count(Item.id))) == 1
    assert item.tracking_code in first and item.tracking_code in second
    assert item.text.startswith("Hố ga trước nhà văn hóa")
    assert [(a.file_name, a.content_type) for a in item.attachments] == [
        ("zalo-img2-1.gif", "image/gif")
    ]
    assert item.attachments[0].data == GIF and item.last_message_at is not None


def test_a_further_zalo_text_joins_the_zalo_item_but_an_sms_starts_its_own(
    app, client, db, post, world
):
    post(_text("sdt 0912 345 678", "m0"))  # one address for their Zalo and their SMS
    reply_to(None)
    post(_text("Đường vào ấp 3 ngập sâu", "m1"))
    reply_to(None)
    post(_text("xe máy không đi được", "m2"))
    reply_to(None)
    zalo_item = db.scalar(select(Item))
    assert zalo_item.text == "Đường vào ấp 3 ngập sâu\nxe máy không đi được"
    assert zalo_item.channel == "zalo" and zalo_item.contact_phone == "+84912345678"
    db.commit()
    reply_of(post_sms(client, "Đèn đường ấp 1 không sáng", sender="+84912345678"))
    db.expire_all()
    channels = db.scalars(select(Item.channel).order_by(Item.id)).all()
    assert channels == ["zalo", "sms"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("404", "lỗi HTTP 404"),
        ("hang", "quá thời gian chờ"),
        ("html", "không phải ảnh"),
        ("huge", "ảnh quá lớn"),
        ("endless", "ảnh quá lớn"),
        ("loop", "chuyển hướng quá nhiều lần"),
    ],
)
def test_a_picture_that_cannot_be_had_leaves_the_item_and_its_link_for_officials(
    app, db, post, world, fake, answer, reason
):
    post(_image(fake, "anh.jpg", "img3", answer=answer))
    started = time.monotonic()
    reply = reply_to(None)
    assert time.monotonic() - started < 8  # bounded by ZALO_TIMEOUT_SECONDS (1 s here)
    item = db.scalar(select(Item))
    assert item is not None and item.tracking_code in reply
    assert item.attachments == []
    stored = db.scalar(select(Message).where(Message.direction == "in"))
    assert stored.status == "processed" and stored.item_id == item.id
    requests_made = fake.requests_for("anh.jpg")
    reply_to(None)  # the worker goes on: nothing is fetched again
    assert fake.requests_for("anh.jpg") == requests_made
    page = _officer(app).get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "Không tải được ảnh người dân gửi" in page
    assert fake.base_url + "/media/anh.jpg" in page and reason in page


def test_a_redirect_to_the_picture_is_followed(app, db, post, world, fake):
    fake.picture_url("that-ra.png", PNG)
    post(_image(fake, "link.png", "img4", answer="redirect:that-ra.png"))
    reply_to(None)
    assert db.scalar(select(ItemAttachment.data)) == PNG


def test_only_https_links_are_fetched_when_so_configured(fake):
    url = fake.picture_url("a.png", PNG)
    picture = zalo_media.fetch(url, zalo_media.Limits(timeout=1, max_bytes=10**6))
    assert picture.data is None and picture.problem == zalo_media.NOT_HTTPS
    assert fake.requests_for("a.png") == 0


def test_officers_see_the_picture_on_the_item_page_and_nobody_else_can(
    app, client, db, post, world, fake
):
    post(_image(fake, "rac.png", "img5"))
    reply_to(None)
    item = db.scalar(select(Item))
    picture_url = f"/admin/items/{item.id}/evidence/{item.attachments[0].id}"
    officer = _officer(app)
    page = officer.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "Ảnh người dân gửi" in page and f'<img src="{picture_url}"' in page
    assert "Zalo" in page  # the channel
    served = officer.get(picture_url)
    assert served.status_code == 200 and served.data == PNG
    assert served.mimetype == "image/png"
    with app.app_context():  # its own `g`: the officer's login is not cached there
        anonymous = client.get(picture_url)
    assert anonymous.status_code in (302, 401) and anonymous.data != PNG
    if anonymous.status_code == 302:
        assert "/admin/login" in anonymous.headers["Location"]


def test_zalo_items_are_filtered_under_zalo_in_the_inbox(app, client, db, post, world):
    post(_text("Cống thoát nước ấp 4 bị tắc", "m1", user_id="u7"))
    reply_to(None)
    db.commit()
    reply_of(post_sms(client, "Trường học ấp 1 dột mái", sender="+84987654321"))
    officer = _officer(app)
    everything = officer.get("/admin/items").get_data(as_text=True)
    assert '<option value="zalo"' in everything and ">Zalo</option>" in everything
    only_zalo = officer.get("/admin/items?channel=zalo").get_data(as_text=True)
    assert "Cống thoát nước ấp 4" in only_zalo and "Trường học ấp 1" not in only_zalo
    only_sms = officer.get("/admin/items?channel=sms").get_data(as_text=True)
    assert "Trường học ấp 1" in only_sms and "Cống thoát nước ấp 4" not in only_sms
    csv = officer.get("/admin/items.csv?channel=zalo").get_data(as_text=True)
    assert "Cống thoát nước ấp 4" in csv and "Zalo" in csv


def test_ratings_on_zalo_are_counted_under_zalo(app, client, db, post, world):
    post(_text("DG 01 1", "m1", user_id="u8"))
    assert "Nguyễn Thị Lan" in reply_to(None)
    post(_text("DG 02 4 chờ cả buổi không ai tiếp", "m2", user_id="u9"))
    reply_to(None)
    assert db.scalars(select(Rating.channel)).all() == ["zalo", "zalo"]
    comment_item = db.scalar(select(Item))
    assert comment_item.channel == "zalo"  # a rating's comment became an item, on Zalo too
    officer = _officer(app)

    def total(channel: str) -> str:
        page = officer.get(f"/admin/reports/satisfaction?channel={channel}")
        text = page.get_data(as_text=True)
        return text.split("lượt đánh giá", 1)[0].rsplit("·", 1)[-1].strip()

    assert total("zalo") == "2"
    assert total("sms") == "0"
    assert total("") == "2"
    page = officer.get("/admin/reports/satisfaction?channel=zalo").get_data(as_text=True)
    assert '<option value="zalo" selected>' in page
