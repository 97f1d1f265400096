"""Sending through a Zalo OA (sms_gateway/zalo_sender.py) against a fake Zalo on loopback:
inside the reply window only, a refused token renewed once, each refusal told apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import SmsChannel, ZaloUser, utcnow
from sms_gateway.senders import SendError
from sms_gateway.zalo_sender import ZaloSender
from tests.sms_gateway.zalo_world import make_zalo_world, zalo_config


@pytest.fixture
def fake(fake_zalo):
    return fake_zalo


@pytest.fixture
def app_config(database_url, fake):
    return zalo_config(database_url, fake)


@pytest.fixture
def world(app):
    return make_zalo_world(app)


def _user(app, world, *, last_message_hours_ago=1, phone=None, user_id="2512523625412515"):
    with app.app_context():
        user = ZaloUser(
            account_id=world.account_id,
            user_id=user_id,
            phone=phone,
            last_message_at=utcnow() - timedelta(hours=last_message_hours_ago),
        )
        _db.session.add(user)
        _db.session.commit()
        return f"zalo:{user.id}"


def _send(app, address, body="Đã nhận ý kiến, mã 12345671."):
    with app.app_context():
        channel = _db.session.scalar(select(SmsChannel).where(SmsChannel.kind == "zalo"))
        sender = ZaloSender.from_channel(channel, app.config)
        _db.session.commit()  # as the outbox worker does: the claim is over before the send
        return sender.send(address, body)


def test_a_reply_inside_the_window_reaches_the_resident_on_zalo(app, world, fake):
    address = _user(app, world)
    assert _send(app, address) == "zmsg000001"
    assert [(s.user_id, s.text) for s in fake.delivered()] == [
        ("2512523625412515", "Đã nhận ý kiến, mã 12345671.")
    ]


def test_a_resident_who_shared_a_phone_is_reached_by_it(app, world, fake):
    _user(app, world, phone="+84912345678")
    assert _send(app, "+84912345678")
    assert fake.delivered()[0].user_id == "2512523625412515"


def test_outside_the_window_nothing_is_sent_and_the_outbox_is_told(app, world, fake):
    address = _user(app, world, last_message_hours_ago=24 * 8)
    with pytest.raises(SendError) as refused:
        _send(app, address)
    assert (refused.value.code, refused.value.transient) == ("zalo-window", True)
    assert fake.sent == []


def test_a_token_zalo_refuses_is_renewed_once_and_the_text_sent(app, world, fake):
    address = _user(app, world)
    fake.expire_access_token()  # Zalo ended it early; our record still says it is valid
    assert _send(app, address)
    assert fake.refreshes == 1 and len(fake.delivered()) == 1


@pytest.mark.parametrize(
    "answer, code, transient",
    [
        ("error:-213", "zalo-213", True),
        ("500", "zalo-transient", True),
        ("error:-201", "zalo-201", False),
    ],
)
def test_refusals_become_send_errors_the_outbox_understands(
    app, world, fake, answer, code, transient
):
    address = _user(app, world)
    fake.answer("2512523625412515", answer)
    with pytest.raises(SendError) as refused:
        _send(app, address)
    assert (refused.value.code, refused.value.transient) == (code, transient)


def test_a_resident_who_blocked_the_oa_is_not_tried_again_on_zalo(app, world, fake):
    address = _user(app, world)
    fake.answer("2512523625412515", "error:-213")
    with pytest.raises(SendError):
        _send(app, address)
    with app.app_context():
        assert _db.session.scalar(select(ZaloUser.following)) is False
    with pytest.raises(SendError) as again:
        _send(app, address)
    assert again.value.code == "zalo-window"
    assert len(fake.sent) == 1
