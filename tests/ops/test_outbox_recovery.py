"""A worker killed between handing a message to Twilio and recording the answer: the message
is claimed again when the claim runs out, and sent again only if Twilio never accepted it."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from nghedan.database import unit_of_work
from nghedan.models import Message, utcnow
from nghedan.services.sms.outbox import UNCONFIRMED, claim_due, queue_sms
from sms_gateway.outbox_worker import OutboxWorker, WorkerSettings
from sms_gateway.routing import sender_from_config
from sms_gateway.twilio_channel import TwilioSender
from tests.ops.stack import FaultyTwilio, free_port
from tests.sms_gateway.conftest import RESIDENT, fake_twilio_fixtures

BODY = "Xã đã sửa xong đèn đường ấp Tân Phú. Cảm ơn bà con."


fake_twilio, app_config = fake_twilio_fixtures(
    FaultyTwilio, TWILIO_TIMEOUT_SECONDS=1, OUTBOX_CLAIM_MIN_SECONDS=10
)


def worker(config, **overrides) -> OutboxWorker:
    config = {**config, **overrides}
    return OutboxWorker(
        sender_from_config(config),
        WorkerSettings.from_config(config),
        rng=random.Random(3),
        now=lambda: utcnow() + timedelta(minutes=1),
    )


def died_while_sending(db, app, *, accepted: bool) -> int:
    """A queued message claimed by a worker that died; Twilio took it first if `accepted`."""
    message = queue_sms(RESIDENT, BODY, kind="reply")
    db.flush()
    message_id = message.id
    db.commit()
    with unit_of_work():
        assert claim_due(5, timedelta(seconds=10)) == [message_id]
    if accepted:
        TwilioSender.from_config(app.config).send(RESIDENT, BODY)
    return message_id


@pytest.mark.parametrize("accepted", [True, False])
def test_a_dead_workers_message_is_sent_once(app, db, fake_twilio, accepted):
    message_id = died_while_sending(db, app, accepted=accepted)
    report = worker(app.config).run_once()
    assert (report.claimed, report.sent) == (1, 1)
    assert_sent_once_after_one_lookup(db, fake_twilio, message_id)


def assert_sent_once_after_one_lookup(db, fake_twilio, message_id: int) -> None:
    """Twilio was asked once, has the message once, and the row holds Twilio's id."""
    assert fake_twilio.sent_counts()[(RESIDENT, BODY)] == 1
    assert fake_twilio.lookups == 1
    db.expire_all()
    message = db.get(Message, message_id)
    [sid] = [r.sid for r in fake_twilio.accepted()]
    assert (message.status, message.provider_id, message.error_code) == ("sent", sid, None)


def test_the_claim_lasts_the_configured_minimum(app):
    settings = WorkerSettings.from_config(app.config)
    assert settings.lease(1) == timedelta(seconds=10)
    assert WorkerSettings().lease(1) == timedelta(seconds=120)  # the default


def test_when_twilio_cannot_be_asked_the_message_waits_and_is_asked_about_again(
    app, db, fake_twilio
):
    message_id = died_while_sending(db, app, accepted=True)
    closed = f"http://127.0.0.1:{free_port()}"
    report = worker(app.config, TWILIO_API_BASE_URL=closed).run_once()
    assert (report.claimed, report.retried, report.sent) == (1, 1, 0)
    db.expire_all()
    message = db.get(Message, message_id)
    assert (message.status, message.error_code) == ("queued", UNCONFIRMED)
    later = worker(app.config)
    later.now = lambda: utcnow() + timedelta(hours=2)
    assert later.run_once().sent == 1
    assert fake_twilio.sent_counts()[(RESIDENT, BODY)] == 1


def test_fresh_messages_are_sent_without_asking(app, db, fake_twilio):
    queue_sms(RESIDENT, BODY, kind="reply")
    db.commit()
    assert worker(app.config).run_once().sent == 1
    assert fake_twilio.sent_counts()[(RESIDENT, BODY)] == 1
    assert fake_twilio.lookups == 0


def queued_now(db) -> int:
    message = queue_sms(RESIDENT, BODY, kind="reply")
    db.flush()
    message_id = message.id
    db.commit()
    return message_id


@pytest.mark.parametrize("answer", ["accept-hang", "accept-drop", "hang"])
def test_a_send_without_an_answer_is_looked_up_before_it_is_sent_again(
    app, db, fake_twilio, answer
):
    """Twilio took the message but its answer never came (a timeout, a dropped connection):
    the retry finds it at Twilio and adopts it; when Twilio never took it, it is sent."""
    fake_twilio.answer(RESIDENT, answer, "201")
    message_id = queued_now(db)
    assert worker(app.config).run_once().retried == 1
    db.expire_all()
    message = db.get(Message, message_id)
    assert (message.status, message.error_code) == ("queued", UNCONFIRMED)
    assert message.error_message.startswith(("timeout", "network"))
    later = worker(app.config)
    later.now = lambda: utcnow() + timedelta(hours=2)
    assert later.run_once().sent == 1
    assert_sent_once_after_one_lookup(db, fake_twilio, message_id)


def test_a_refused_connection_is_no_reason_to_ask(app, db, fake_twilio):
    """Nothing reached Twilio when no connection was made: the retry simply sends."""
    message_id = queued_now(db)
    closed = f"http://127.0.0.1:{free_port()}"
    assert worker(app.config, TWILIO_API_BASE_URL=closed).run_once().retried == 1
    db.expire_all()
    assert db.get(Message, message_id).error_code == "network"
