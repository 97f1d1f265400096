"""`POST /zalo/webhook`: a signed event is stored once and answered 200 at once; anything
unsigned, forged, stale or for another OA is refused and nothing is kept."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import Message, ZaloUser
from sms_gateway import zalo
from tests.sms_gateway.fake_zalo import follow_event, image_event, text_event
from tests.sms_gateway.zalo_world import (
    APP_ID,
    OA_ID,
    WEBHOOK,
    make_zalo_world,
    now_ms,
    post_event,
)


@pytest.fixture
def world(app):
    return make_zalo_world(app)


def _messages(app) -> list[Message]:
    with app.app_context():
        rows = _db.session.scalars(select(Message).order_by(Message.id)).all()
        _db.session.expunge_all()
        return rows


def _text(user, text, msg_id):
    return text_event(user, text, msg_id=msg_id, oa_id=OA_ID, at_ms=now_ms())


def test_a_text_is_stored_for_the_worker_and_answered_at_once(app, client, world):
    response = post_event(client, _text("2512523625412515", "Đèn đường ấp 3 bị hư", "m1"))
    assert response.status_code == 200
    (message,) = _messages(app)
    assert (message.channel, message.provider_id, message.kind) == ("zalo", "m1", "inbound")
    assert (message.body, message.commune_id, message.status) == (
        "Đèn đường ấp 3 bị hư",
        world.commune_id,
        "received",
    )
    assert message.reply_body is None  # nothing decided in the request: the worker answers
    with app.app_context():
        user = _db.session.scalar(select(ZaloUser))
        assert user.user_id == "2512523625412515" and user.last_message_at is not None
        assert message.phone == f"zalo:{user.id}"  # our short id: Zalo's may not fit a phone


def test_zalo_retrying_an_event_stores_it_once(app, client, world):
    for _ in range(3):
        assert post_event(client, _text("u1", "TT 1234 5671", "m1")).status_code == 200
    assert len(_messages(app)) == 1


@pytest.mark.parametrize("how", ["unsigned", "forged", "stale", "other_oa"])
def test_a_request_not_from_zalo_for_our_oa_is_refused_and_nothing_kept(app, client, world, how):
    payload = _text("u1", "Alo", "m1")
    if how == "unsigned":
        response = client.post(WEBHOOK, data=json.dumps(payload), content_type="application/json")
    elif how == "forged":
        response = post_event(client, payload, secret="guessed")
    elif how == "stale":
        payload["timestamp"] = str(now_ms() - 3600 * 1000)
        response = post_event(client, payload)
    else:
        payload["recipient"] = {"id": "111"}
        response = post_event(client, payload)
    assert response.status_code == 403
    assert _messages(app) == []


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b"[" * 5000])
def test_a_body_that_is_not_an_event_is_refused(app, client, world, body):
    response = client.post(WEBHOOK, data=body, content_type="application/json")
    assert response.status_code == 400
    assert _messages(app) == []


def test_ids_too_long_for_64_bits_are_stored_exactly(app, client, world):
    raw = (
        f'{{"app_id":"{APP_ID}","event_name":"user_send_text","timestamp":{now_ms()},'
        '"sender":{"id":123456789012345678901234567890},'
        f'"recipient":{{"id":"{OA_ID}"}},'
        '"message":{"msg_id":98765432109876543210987,"text":"xin chao"}}'
    )
    from tests.sms_gateway.zalo_world import SECRET

    stamp = json.loads(raw)["timestamp"]
    signature = zalo.expected_signature(APP_ID, raw.encode(), str(stamp), SECRET)
    response = client.post(
        WEBHOOK,
        data=raw.encode(),
        headers={zalo.SIGNATURE_HEADER: signature, "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    (message,) = _messages(app)
    with app.app_context():
        user = _db.session.scalar(select(ZaloUser))
        assert user.user_id == "123456789012345678901234567890"
        assert message.phone == f"zalo:{user.id}"
    assert message.provider_id == "98765432109876543210987"


def test_follow_unfollow_images_and_other_events_are_kept_for_the_worker(app, client, world):
    post_event(client, follow_event(zalo.FOLLOW, "u1", oa_id=OA_ID, at_ms=now_ms()))
    post_event(
        client,
        image_event(
            "u1", "https://photo.zdn.vn/ho-ga.jpg", msg_id="m2", oa_id=OA_ID, at_ms=now_ms()
        ),
    )
    post_event(client, follow_event(zalo.UNFOLLOW, "u1", oa_id=OA_ID, at_ms=now_ms() + 1))
    other = _text("u1", "", "m3")
    other["event_name"] = "user_received_message"
    post_event(client, other)
    follow, image, unfollow, ignored = _messages(app)
    assert (follow.kind, unfollow.kind) == ("zalo_follow", "zalo_unfollow")
    assert image.kind == "zalo_image"
    assert image.attachments == [{"type": "image", "url": "https://photo.zdn.vn/ho-ga.jpg"}]
    assert (ignored.kind, ignored.status) == ("zalo_other", "ignored")


def test_a_resident_who_sends_their_phone_is_one_history_with_their_sms(app, client, world):
    post_event(client, _text("u1", "Đường ngập", "m1"))
    post_event(client, _text("u1", "sdt 0912 345 678", "m2"))
    post_event(client, _text("u1", "TT", "m3"))
    first, shared, later = _messages(app)
    assert first.phone.startswith("zalo:")
    assert (shared.kind, shared.phone) == ("zalo_phone", "+84912345678")
    assert later.phone == "+84912345678"
    with app.app_context():
        assert _db.session.scalar(select(ZaloUser.phone)) == "+84912345678"
