"""A resident on Zalo, end to end: the webhook stores, the worker acts exactly as for an SMS
(same parser and keywords: the whole corpus replayed through Zalo), and the answer goes back
on Zalo inside the reply window; outside it, by SMS when they shared a phone, else it waits."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from nghedan.models import Contact, Item, Message, ZaloUser, utcnow
from nghedan.services.sms.outbox import queue_sms
from sms_gateway import zalo
from sms_gateway.outbox_worker import OutboxWorker, WorkerSettings
from sms_gateway.routing import ChannelRouter
from sms_gateway.senders import ConsoleSender
from tests.sms_gateway.conftest import COMMUNE_NUMBER, commune_with_officers, reply_to
from tests.sms_gateway.fake_zalo import follow_event, text_event
from tests.sms_gateway.replay import replay
from tests.sms_gateway.zalo_world import (
    OA_ID,
    make_zalo_world,
    now_ms,
    post_event,
    zalo_config,
)


@pytest.fixture
def fake(fake_zalo):
    return fake_zalo


@pytest.fixture
def app_config(database_url, fake):
    return zalo_config(database_url, fake, SMS_QUIET_HOURS="", OUTBOX_SEND_RATE_PER_SECOND=1000)


@pytest.fixture
def commune(db):
    return commune_with_officers(db, COMMUNE_NUMBER)


@pytest.fixture
def world(app, db, commune):
    commune_id = commune.id
    db.commit()  # SQLite: the test's own session lets go of the write lock
    return make_zalo_world(app, commune_id)


@pytest.fixture
def post(client, db):
    """Post a signed event as Zalo would (the test's session first lets go of SQLite's lock)."""

    def send(payload: dict):
        db.commit()
        return post_event(client, payload)

    return send


def _send_outbox(app) -> None:
    worker = OutboxWorker(
        ChannelRouter(ConsoleSender(), app.config),
        WorkerSettings.from_config(app.config),
        rng=random.Random(3),
    )
    worker.run_once()


def _text(user_id: str, body: str, msg_id: str) -> dict:
    return text_event(user_id, body, msg_id=msg_id, oa_id=OA_ID, at_ms=now_ms())


def test_an_opinion_on_zalo_gets_its_code_back_on_zalo(app, db, post, world, fake):
    assert post(_text("u1", "Đèn đường ấp 3 bị hư ba hôm nay", "m1")).status_code == 200
    reply = reply_to(None)
    item = db.scalar(select(Item))
    assert item.text == "Đèn đường ấp 3 bị hư ba hôm nay" and item.commune_id == world.commune_id
    assert item.tracking_code in reply
    _send_outbox(app)
    (sent,) = fake.delivered()
    assert sent.user_id == "u1" and item.tracking_code in sent.text
    assert db.scalar(select(Message.status).where(Message.direction == "out")) == "sent"
    # and a later status question by keyword, as by SMS
    post(_text("u1", f"TT {item.tracking_code}", "m2"))
    assert item.tracking_code in reply_to(None)


def test_follow_is_welcomed_with_the_keywords_and_unfollow_stops_every_message(
    app, db, post, world, fake
):
    post(follow_event(zalo.FOLLOW, "u9", oa_id=OA_ID, at_ms=now_ms()))
    welcome = reply_to(None)
    assert "TT" in welcome and "LICH" in welcome and "HUY" in welcome
    post(follow_event(zalo.UNFOLLOW, "u9", oa_id=OA_ID, at_ms=now_ms() + 5))
    reply_to(None)
    address = db.scalar(select(Message.phone).where(Message.direction == "in"))
    assert db.scalar(select(Contact.opted_out).where(Contact.phone == address)) is True
    assert db.scalar(select(ZaloUser.following)) is False


def test_a_resident_who_shares_a_phone_is_answered_by_sms_outside_the_window(
    app, db, post, world, fake
):
    post(_text("u1", "sdt 0912 345 678", "m1"))
    assert "0912 345 678" in reply_to(None)
    post(_text("u1", "Rác không được thu gom ở chợ", "m2"))
    reply_to(None)
    item = db.scalar(select(Item))
    assert item.contact_phone == "+84912345678"  # one history with their texts
    _send_outbox(app)
    assert len(fake.delivered()) == 2
    user = db.scalar(select(ZaloUser))
    user.last_message_at = utcnow() - timedelta(days=9)  # the window has closed
    queue_sms("+84912345678", "Ý kiến của ông/bà đã được trả lời.", kind="status_change")
    db.commit()
    _send_outbox(app)
    assert len(fake.delivered()) == 2  # not on Zalo
    notice = db.scalar(select(Message).where(Message.kind == "status_change"))
    assert (notice.status, notice.channel) == ("sent", "console")  # by SMS instead


def test_outside_the_window_without_a_phone_the_message_waits_visibly(app, db, post, world, fake):
    post(_text("u1", "Alo", "m1"))
    reply_to(None)
    _send_outbox(app)
    address = db.scalar(select(Message.phone).where(Message.direction == "in"))
    db.scalar(select(ZaloUser)).last_message_at = utcnow() - timedelta(days=9)
    queue_sms(address, "Thông báo kết luận buổi đối thoại đã ban hành.", kind="dialogue_outcome")
    db.commit()
    _send_outbox(app)
    notice = db.scalar(select(Message).where(Message.kind == "dialogue_outcome"))
    assert (notice.status, notice.error_code) == ("queued", "zalo-window")
    assert len(fake.delivered()) == 1  # only the first answer


def test_the_corpus_through_zalo_means_what_it_means_by_sms(app, db, post, world):
    users: dict[str, str] = {}

    def send(body: str, phone: str):
        if phone not in users:  # a resident whose Zalo is linked to this phone
            users[phone] = f"u{len(users)}"
            db.add(ZaloUser(account_id=world.account_id, user_id=users[phone], phone=phone))
            db.commit()
        post(_text(users[phone], body, f"m{phone}{len(body)}{body[:8]}"))
        return reply_to(phone)

    assert replay(send, db) == []


def test_unfollowing_the_page_stops_zalo_but_not_the_sms_of_a_shared_phone(
    app, db, post, world, fake
):
    post(_text("u1", "sdt 0912 345 678", "m1"))
    reply_to(None)
    post(follow_event(zalo.UNFOLLOW, "u1", oa_id=OA_ID, at_ms=now_ms() + 5))
    reply_to(None)
    assert db.scalar(select(ZaloUser.following)) is False
    opted_out = db.scalar(select(Contact.opted_out).where(Contact.phone == "+84912345678"))
    assert not opted_out  # their HUY / DK by SMS is theirs to send
    queue_sms("+84912345678", "Ý kiến của ông/bà đã được trả lời.", kind="status_change")
    db.commit()
    _send_outbox(app)
    notice = db.scalar(select(Message).where(Message.kind == "status_change"))
    assert (notice.status, notice.channel) == ("sent", "console")  # by SMS, not Zalo
