"""POST /sms/android: the Android phone gateway's signed webhooks (received texts, delivery
reports, pings), repeated deliveries, bad input, and the whole corpus through this channel."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nghedan.models import Item, Message, SmsChannel, SmsChannelFailure
from nghedan.services.sms.outbox import OPT_OUT_ACK
from tests.conftest import base_config
from tests.factories import make_commune
from tests.sms_gateway.conftest import commune_with_officers, run_pipeline
from tests.sms_gateway.corpus import LONG_TEXT
from tests.sms_gateway.fake_android import payload, post_event, signed_headers
from tests.sms_gateway.replay import replay

KEY = "android-signing-key-1"
OTHER_KEY = "android-signing-key-2"
SIM_NUMBER = "+84868000115"
RESIDENT = "+84912345678"


@pytest.fixture
def app_config(database_url):
    return {
        **base_config(database_url),
        "ANDROID_KEY_1": KEY,
        "ANDROID_KEY_2": OTHER_KEY,
        "ANDROID_PASSWORD_1": "phone-pass",
        "SMS_QUIET_HOURS": "",
    }


def add_channel(db, commune, name="Viettel 1", key_env="ANDROID_KEY_1", number=SIM_NUMBER):
    channel = SmsChannel(
        kind="android",
        name=name,
        commune_id=commune.id,
        phone_number=number,
        carrier="viettel",
        active=True,
        settings={
            "base_url": "http://127.0.0.1:9",
            "login": "sms",
            "password_env": "ANDROID_PASSWORD_1",
            "signing_key_env": key_env,
        },
    )
    db.add(channel)
    db.flush()
    return channel


@pytest.fixture
def commune(db):
    return commune_with_officers(db, SIM_NUMBER)


@pytest.fixture
def channel(db, commune):
    channel = add_channel(db, commune)
    db.commit()
    return channel


def count(db, model=Message, *where) -> int:
    db.expire_all()
    return db.scalar(select(func.count(model.id)).where(*where))


def outbox(db, phone=RESIDENT) -> list[Message]:
    db.expire_all()
    return list(
        db.scalars(
            select(Message)
            .where(Message.direction == "out", Message.phone == phone)
            .order_by(Message.id)
        )
    )


def received(body: str, sender: str = "0912345678", **more) -> dict:
    return payload("sms_received", message=body, phoneNumber=sender, **more)


def test_a_received_text_becomes_an_item_and_its_reply_waits_in_the_outbox(client, db, channel):
    response = post_event(client, payload("sms_received"), KEY)
    assert response.status_code == 200
    assert response.json["stored"]  # stored and answered at once; the worker replied
    item = db.scalar(select(Item))
    assert item.text == "Đường ấp Tân Phú bị ngập nước cả tuần nay."
    assert (item.channel, item.contact_phone) == ("sms", RESIDENT)
    inbound = db.scalar(select(Message).where(Message.direction == "in"))
    assert (inbound.channel, inbound.service_number, inbound.item_id) == (
        "android",
        SIM_NUMBER,
        item.id,
    )
    [reply] = outbox(db)
    assert item.tracking_code in reply.body
    assert (reply.status, reply.kind, reply.channel) == ("queued", "reply", f"via:{channel.id}")
    assert db.get(SmsChannel, channel.id).last_inbound_at is not None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Signature": "0" * 64},
        {"X-Timestamp": str(int(time.time()))},
    ],
)
def test_unsigned_webhooks_get_401_and_nothing_is_stored(client, db, channel, headers):
    raw = json.dumps(payload("sms_received")).encode()
    response = post_event(client, raw, KEY, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 401
    assert count(db) == 0


@pytest.mark.parametrize(
    "key, offset",
    [
        ("not-the-key", 0),  # wrong key
        (KEY, -600),  # stale: a replayed request from ten minutes ago
        (KEY, +600),  # a timestamp from the future
    ],
)
def test_wrongly_signed_or_stale_webhooks_get_403_and_nothing_is_stored(
    client, db, channel, key, offset
):
    response = post_event(client, payload("sms_received"), key, timestamp=int(time.time()) + offset)
    assert response.status_code == 403
    assert count(db) == 0 and count(db, Item) == 0


def test_a_signature_that_is_not_hex_is_refused(client, db, channel):
    headers = {"X-Signature": "é" * 64, "X-Timestamp": str(int(time.time()))}
    assert post_event(client, payload("sms_received"), KEY, headers=headers).status_code == 403
    assert count(db) == 0


def test_the_signature_covers_the_raw_body_as_sent(client, db, channel):
    raw = json.dumps(payload("sms_received")).encode()
    headers = signed_headers(KEY, raw)
    tampered = json.dumps(payload("sms_received", message="Tiền đền bù đã nhận đủ")).encode()
    assert client.post("/sms/android", data=tampered, headers=headers).status_code == 403
    assert client.post("/sms/android", data=raw, headers=headers).status_code == 200
    run_pipeline()
    assert count(db, Item) == 1


def test_the_same_text_delivered_twice_by_the_app_is_one_text(client, db, channel):
    """The app is known to send one received SMS twice, seconds apart, with a different event
    id and the same (non-unique) messageId."""
    first = payload("sms_received")
    again = {**first, "id": "another-event-id"}
    assert post_event(client, first, KEY).status_code == 200
    response = post_event(client, again, KEY)
    assert response.status_code == 200 and "duplicate" in response.json
    assert count(db, Message, Message.direction == "in") == 1
    assert count(db, Item) == 1
    assert len(outbox(db)) == 1


def test_a_retry_long_after_is_recognised_by_sender_text_and_time_received(
    app, client, db, channel
):
    """The app retries a webhook for up to two days when we did not answer: the retry carries
    the same receivedAt, so it is the same text even outside the duplicate window."""
    app.config["ANDROID_DUPLICATE_WINDOW_SECONDS"] = 0
    event = payload("sms_received")
    post_event(client, event, KEY)
    post_event(client, {**event, "id": "retry-after-a-day"}, KEY)
    assert count(db, Message, Message.direction == "in") == 1
    assert len(outbox(db)) == 1


def test_the_same_words_sent_again_later_are_a_new_text(app, client, db, channel):
    app.config["ANDROID_DUPLICATE_WINDOW_SECONDS"] = 0
    post_event(client, received("TT 12345671", receivedAt="2026-11-23T08:00:00.000+07:00"), KEY)
    post_event(client, received("TT 12345671", receivedAt="2026-11-23T09:30:00.000+07:00"), KEY)
    assert count(db, Message, Message.direction == "in") == 2
    assert len(outbox(db)) == 2


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"{not json", "body is not JSON"),
        (b"\xff\xfe\x00", "body is not JSON"),
        (b"[1, 2]", "no event"),
        (json.dumps({"event": "sms:received"}).encode(), "no payload"),
        (
            json.dumps(
                {"event": "sms:received", "payload": {"phoneNumber": "0912345678"}}
            ).encode(),
            "sms:received without a message text",
        ),
        (
            json.dumps({"event": "sms:delivered", "payload": {}}).encode(),
            "delivered event without messageId",
        ),
    ],
)
def test_signed_but_unusable_webhooks_get_a_clear_400_and_store_nothing(
    client, db, channel, raw, problem
):
    response = post_event(client, raw, KEY)
    assert response.status_code == 400
    assert response.json == {"error": problem}
    assert count(db) == 0


def test_a_text_without_a_sender_is_kept_and_flagged(client, db, channel):
    event = payload("sms_received")
    del event["payload"]["phoneNumber"]
    response = post_event(client, event, KEY)
    assert response.status_code == 200 and response.json["flagged"] is True
    message = db.scalar(select(Message))
    assert message.flagged and message.body == event["payload"]["message"]
    assert count(db, Item) == 0 and outbox(db, "?") == []


def test_a_sender_that_is_not_a_phone_is_stored_flagged_and_never_answered(client, db, channel):
    assert post_event(client, received("Khuyen mai 50%", sender="VIETTEL"), KEY).status_code == 200
    message = db.scalar(select(Message))
    assert message.flagged and message.flag_reason
    assert count(db, Message, Message.direction == "out") == 0


def test_an_empty_text_gets_the_help_and_a_5000_character_one_is_kept_whole(client, db, channel):
    post_event(client, received(""), KEY)
    [help_reply] = outbox(db)
    assert "TT" in help_reply.body and "DG" in help_reply.body
    long_text = (LONG_TEXT + " ") * 20
    long_text = long_text[:5000]
    assert post_event(client, received(long_text, sender="0987654321"), KEY).status_code == 200
    stored = db.scalar(
        select(Message).where(Message.phone == "+84987654321", Message.direction == "in")
    )
    assert len(stored.body) == 5000
    assert len(outbox(db, "+84987654321")) == 1


def test_a_received_at_that_is_not_a_date_still_stores_the_text(client, db, channel):
    response = post_event(client, received("Đèn đường hư", receivedAt="yesterday"), KEY)
    assert response.status_code == 200
    assert count(db, Item) == 1


def test_stop_is_acknowledged_once_through_the_outbox(client, db, channel):
    post_event(client, received("HUY"), KEY)
    [ack] = outbox(db)
    assert ack.kind == OPT_OUT_ACK and "DK" in ack.body
    post_event(client, received("Đường ấp hư nặng"), KEY)
    assert len(outbox(db)) == 1  # opted out: the opinion is stored, nothing more is sent
    assert count(db, Item) == 1


def test_delivery_reports_move_an_outgoing_text_forward_only(client, db, channel):
    message = Message(
        direction="out",
        channel="android",
        provider_id="YoU7KjvnJCAGaRuTOCWGS",
        phone=RESIDENT,
        body="Xin chào",
        status="sent",
        kind="reply",
        attempts=1,
    )
    db.add(message)
    db.commit()
    assert post_event(client, payload("sms_delivered"), KEY).status_code == 200
    assert post_event(client, payload("sms_sent"), KEY).status_code == 200
    db.expire_all()
    assert db.get(Message, message.id).status == "delivered"


def test_a_failed_report_counts_against_the_channel_and_queues_the_text_again(client, db, channel):
    message = Message(
        direction="out",
        channel="android",
        provider_id="YoU7KjvnJCAGaRuTOCWGS",
        phone=RESIDENT,
        body="Xin chào",
        status="sent",
        kind="reply",
        attempts=1,
    )
    db.add(message)
    db.commit()
    assert post_event(client, payload("sms_failed"), KEY).status_code == 200
    repeat = {**payload("sms_failed"), "id": "the-same-report-again"}
    assert post_event(client, repeat, KEY).status_code == 200
    db.expire_all()
    again = db.get(Message, message.id)
    assert (again.status, again.error_code, again.provider_id) == ("queued", "android-failed", None)
    assert db.get(SmsChannel, channel.id).consecutive_failures == 1
    assert count(db, SmsChannelFailure) == 1


def test_a_ping_records_the_phones_health_on_the_channel_that_signed_it(
    client, db, commune, channel
):
    second = add_channel(
        db, commune, name="VinaPhone 1", key_env="ANDROID_KEY_2", number="+84912000111"
    )
    db.commit()
    assert post_event(client, payload("system_ping"), OTHER_KEY).status_code == 200
    db.expire_all()
    pinged, silent = db.get(SmsChannel, second.id), db.get(SmsChannel, channel.id)
    assert pinged.last_ping_at is not None and pinged.ping_status == "pass"
    assert pinged.ping_detail["battery"] == 94
    assert silent.last_ping_at is None


def test_a_text_to_a_second_sim_reaches_that_sims_commune(client, db, commune):
    other = make_commune(name="Tân Hòa", sms_number="+84868000999")
    add_channel(db, other, name="Tân Hòa Viettel", key_env="ANDROID_KEY_2", number="+84868000222")
    db.commit()
    post_event(client, received("Cầu khỉ ấp 3 sắp sập"), OTHER_KEY)
    assert db.scalar(select(Item)).commune_id == other.id


def test_a_phone_without_a_known_number_answers_for_its_commune(client, db, commune):
    other = make_commune(name="Tân Hòa", sms_number="+84868000999")
    add_channel(db, other, name="Tân Hòa Viettel", key_env="ANDROID_KEY_2", number=None)
    db.commit()
    post_event(client, received("Xin hỏi lịch tiếp dân"), OTHER_KEY)
    assert db.scalar(select(Item)).commune_id == other.id


def test_the_corpus_through_the_android_gateway(client, db, channel):
    def send(body: str, sender: str):
        response = post_event(client, received(body, sender=sender), KEY)
        assert response.status_code == 200, response.data
        replies = outbox(db, sender)
        return replies[-1].body if replies else None

    assert replay(send, db) == []


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
_events = (
    st.fixed_dictionaries(
        {
            "event": st.sampled_from(
                [
                    "sms:received",
                    "sms:sent",
                    "sms:delivered",
                    "sms:failed",
                    "system:ping",
                    "mms:received",
                    "?",
                ]
            ),
            "payload": st.fixed_dictionaries(
                {},
                optional={
                    "message": _json_values,
                    "phoneNumber": _json_values,
                    "messageId": _json_values,
                    "receivedAt": _json_values,
                    "recipient": _json_values,
                    "health": _json_values,
                    "reason": _json_values,
                },
            )
            | _json_values,
        }
    )
    | _json_values
)


_header_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=70)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event=_events, raw=st.binary(max_size=60), signature=_header_text, stamp=_header_text)
def test_no_webhook_makes_a_server_error(client, db, channel, event, raw, signature, stamp):
    """Whatever the body and headers, the answer is 2xx or a clear 4xx, never a 500."""
    body = json.dumps(event).encode()
    assert post_event(client, body, KEY).status_code in (200, 400)
    assert post_event(client, raw, KEY).status_code in (200, 400)
    forged = {"X-Signature": signature, "X-Timestamp": stamp}
    assert post_event(client, body, KEY, headers=forged).status_code in (401, 403)
