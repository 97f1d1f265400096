"""Sending through the Android phone gateway: the outbox worker, the router and the real
`android-sms-gateway` client against a fake of the app's API on 127.0.0.1."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from nghedan.models import Message, SmsChannel, SmsChannelFailure, utcnow
from nghedan.services.sms.outbox import queue_sms
from sms_gateway.gammu import read_text
from sms_gateway.outbox_worker import OutboxWorker, WorkerSettings
from sms_gateway.routing import ChannelRouter, via
from sms_gateway.senders import ConsoleSender
from tests.conftest import base_config
from tests.factories import make_commune
from tests.sms_gateway.fake_android import FakeAndroid

RESIDENT = "+84912345678"  # VinaPhone


@pytest.fixture
def fake_android():
    fake = FakeAndroid(login="sms", password="phone-pass").start()
    yield fake
    fake.stop()


@pytest.fixture
def app_config(database_url):
    return {
        **base_config(database_url),
        "ANDROID_PASSWORD_1": "phone-pass",
        "ANDROID_TIMEOUT_SECONDS": 2,
        "OUTBOX_SEND_RATE_PER_SECOND": 1000,
        "SMS_QUIET_HOURS": "",
        "OUTBOX_MAX_ATTEMPTS": 3,
    }


@pytest.fixture
def commune(db):
    commune = make_commune()
    db.commit()
    return commune


def android_channel(db, commune, fake, name="VinaPhone 1", carrier="vinaphone", sim=None):
    settings = {
        "base_url": fake.base_url,
        "login": "sms",
        "password_env": "ANDROID_PASSWORD_1",
        "signing_key_env": "UNUSED",
    }
    if sim:
        settings["sim_number"] = sim
    channel = SmsChannel(
        kind="android",
        name=name,
        commune_id=commune.id,
        carrier=carrier,
        active=True,
        settings=settings,
    )
    db.add(channel)
    db.commit()
    return channel


def gammu_channel(db, commune, outbox_dir, name="Modem Viettel"):
    channel = SmsChannel(
        kind="gammu",
        name=name,
        commune_id=commune.id,
        carrier="viettel",
        active=True,
        settings={"inbox": str(outbox_dir), "outbox": str(outbox_dir)},
    )
    db.add(channel)
    db.commit()
    return channel


def queued(db, commune, body="Lịch đối thoại ấp Tân Phú: 19 giờ thứ Năm.", channel="auto"):
    message = queue_sms(RESIDENT, body, kind="notice", commune_id=commune.id, channel=channel)
    db.flush()
    message_id = message.id
    db.commit()
    return message_id


def run_worker(app):
    worker = OutboxWorker(
        ChannelRouter(ConsoleSender(), app.config),
        WorkerSettings.from_config(app.config),
        rng=random.Random(3),
    )
    return worker.run_once()


def test_a_queued_text_goes_out_through_the_phones_api(app, db, commune, fake_android):
    channel = android_channel(db, commune, fake_android, sim=2)
    message_id = queued(db, commune)
    report = run_worker(app)
    assert report.sent == 1
    [request] = fake_android.accepted()
    assert request.auth == fake_android.expected_auth
    assert request.body["phoneNumbers"] == [RESIDENT]
    assert request.body["textMessage"] == {"text": "Lịch đối thoại ấp Tân Phú: 19 giờ thứ Năm."}
    assert request.body["simNumber"] == 2 and request.body["withDeliveryReport"] is True
    db.expire_all()
    message = db.get(Message, message_id)
    assert (message.status, message.channel, message.provider_id) == (
        "sent",
        "android",
        request.message_id,
    )
    assert db.get(SmsChannel, channel.id).last_sent_at is not None


def test_a_phone_that_does_not_answer_hands_the_text_to_the_next_channel(
    app, db, commune, fake_android, tmp_path
):
    android = android_channel(db, commune, fake_android)
    gammu_channel(db, commune, tmp_path)
    fake_android.answer(RESIDENT, "hang")
    message_id = queued(db, commune)
    assert run_worker(app).sent == 1
    db.expire_all()
    message = db.get(Message, message_id)
    assert message.channel == "gammu"
    assert read_text(tmp_path / message.provider_id) == message.body
    assert db.get(SmsChannel, android.id).consecutive_failures == 1
    [failure] = db.scalars(select(SmsChannelFailure)).all()
    assert (failure.channel_id, failure.code) == (android.id, "timeout")


@pytest.mark.parametrize(
    "answer, code", [("500", "http-500"), ("401", "http-401"), ("failed", "android-failed")]
)
def test_transient_failures_are_retried_later_when_no_other_channel_exists(
    app, db, commune, fake_android, answer, code
):
    android_channel(db, commune, fake_android)
    fake_android.answer(RESIDENT, answer)
    message_id = queued(db, commune)
    assert run_worker(app).retried == 1
    db.expire_all()
    message = db.get(Message, message_id)
    assert (message.status, message.error_code) == ("queued", code)


def test_a_refused_number_fails_at_once_without_trying_other_channels(
    app, db, commune, fake_android, tmp_path
):
    android = android_channel(db, commune, fake_android)
    gammu_channel(db, commune, tmp_path)
    fake_android.answer(RESIDENT, "400")
    message_id = queued(db, commune)
    assert run_worker(app).failed == 1
    db.expire_all()
    assert db.get(Message, message_id).error_code == "http-400"
    assert list(tmp_path.glob("OUT*")) == []
    assert db.get(SmsChannel, android.id).consecutive_failures == 0  # not the phone's fault


def test_after_repeated_failures_the_router_starts_with_the_healthy_channel(
    app, db, commune, fake_android, tmp_path
):
    app.config["SMS_CHANNEL_DOWN_AFTER_FAILURES"] = 2
    android = android_channel(db, commune, fake_android)
    gammu_channel(db, commune, tmp_path)
    fake_android.answer(RESIDENT, "500")
    for _ in range(2):
        queued(db, commune)
        run_worker(app)
    tried_before = len(fake_android.requests)
    queued(db, commune, channel=via(android.id))  # even a reply preferring the phone
    assert run_worker(app).sent == 1
    assert len(fake_android.requests) == tried_before  # the phone was not tried first
    db.expire_all()
    assert db.scalar(select(func.count(Message.id)).where(Message.channel == "gammu")) == 3


def test_a_text_the_phone_took_before_its_worker_died_is_not_sent_twice(
    app, db, commune, fake_android
):
    android_channel(db, commune, fake_android)
    message_id = queued(db, commune)
    assert run_worker(app).sent == 1
    [first] = fake_android.accepted()
    assert first.message_id == f"nghedan-{message_id}-1"
    # As if the worker had been killed after the phone took the text, before recording it.
    db.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(status="sending", claimed_until=utcnow() - timedelta(minutes=1), provider_id=None)
    )
    db.commit()
    assert run_worker(app).sent == 1
    assert len(fake_android.accepted()) == 1 and fake_android.requests[-1].message_id is None
    db.expire_all()
    message = db.get(Message, message_id)
    assert (message.status, message.provider_id, message.attempts) == ("sent", first.message_id, 2)


def test_a_text_sent_again_after_the_phone_failed_it_gets_a_new_id(app, db, commune, fake_android):
    android_channel(db, commune, fake_android)
    fake_android.answer(RESIDENT, "failed", "202")
    message_id = queued(db, commune)
    assert run_worker(app).retried == 1
    db.execute(update(Message).where(Message.id == message_id).values(next_attempt_at=utcnow()))
    db.commit()
    assert run_worker(app).sent == 1
    assert [r.body["id"] for r in fake_android.requests] == [
        f"nghedan-{message_id}-1",
        f"nghedan-{message_id}-2",
    ]
