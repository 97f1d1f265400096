"""The outbox worker against a fake Twilio API on loopback, with the real twilio client."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from nghedan.formatting import LOCAL_ZONE
from nghedan.models import Contact, Message, utcnow
from nghedan.services.sms.outbox import queue_sms
from sms_gateway.outbox_worker import OutboxWorker, Pacer, QuietHours, WorkerSettings
from sms_gateway.routing import sender_from_config
from sms_gateway.senders import sms_backend
from tests.sms_gateway.conftest import (
    ACCOUNT_SID,
    PUBLIC_BASE_URL,
    RESIDENT,
    fake_twilio_fixtures,
    signed,
)
from tests.sms_gateway.fake_twilio import FakeTwilio

OTHER = "+84987654321"


fake_twilio, app_config = fake_twilio_fixtures(
    FakeTwilio, TWILIO_TIMEOUT_SECONDS=0.5, OUTBOX_MAX_ATTEMPTS=3
)


def make_worker(app, **settings) -> OutboxWorker:
    base = WorkerSettings.from_config(app.config)
    values = {**base.__dict__, **settings}
    return OutboxWorker(
        sender_from_config(app.config), WorkerSettings(**values), rng=random.Random(7)
    )


def queued(db, phone=RESIDENT, body="Xin chào", kind="reply") -> int:
    message = queue_sms(phone, body, kind=kind)
    db.flush()
    message_id = message.id
    db.commit()  # and no read after it: on SQLite an open read holds the write lock
    return message_id


def later(hours: float):
    return lambda: utcnow() + timedelta(hours=hours)


def test_a_queued_message_is_sent_through_twilio(app, db, fake_twilio):
    message_id = queued(db, body="Đã nhận ý kiến, mã 12345671.")
    report = make_worker(app).run_once()
    assert (report.sent, report.claimed) == (1, 1)
    [request] = fake_twilio.received
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.form["To"] == RESIDENT
    assert request.form["Body"] == "Đã nhận ý kiến, mã 12345671."
    assert request.form["StatusCallback"] == PUBLIC_BASE_URL + "/sms/twilio/status"
    message = db.get(Message, message_id)
    assert (message.status, message.channel, message.provider_id) == ("sent", "twilio", request.sid)
    assert message.sent_at is not None and message.attempts == 1


def test_a_messaging_service_sends_instead_of_a_number(app, db, fake_twilio):
    app.config["TWILIO_MESSAGING_SERVICE_SID"] = "MG" + "1" * 32
    queued(db)
    make_worker(app).run_once()
    form = fake_twilio.received[0].form
    assert form["MessagingServiceSid"] == "MG" + "1" * 32 and "From" not in form


@pytest.mark.parametrize("code", ["21211", "21610", "21614"])
def test_permanent_errors_fail_at_once(app, db, fake_twilio, code):
    fake_twilio.answer(RESIDENT, f"400:{code}")
    message_id = queued(db)
    report = make_worker(app).run_once()
    assert report.failed == 1
    message = db.get(Message, message_id)
    assert (message.status, message.error_code, message.attempts) == ("failed", code, 1)
    assert make_worker(app).run_once().claimed == 0
    opted_out = db.scalar(select(Contact.opted_out).where(Contact.phone == RESIDENT))
    assert bool(opted_out) == (code == "21610")  # Twilio's "unsubscribed" is an opt-out


@pytest.mark.parametrize("answer,code", [("429", "429"), ("500", "500"), ("hang", "unconfirmed")])
def test_transient_errors_retry_later_with_backoff(app, db, fake_twilio, answer, code):
    fake_twilio.answer(RESIDENT, answer, "201")
    message_id = queued(db)
    before = utcnow()
    worker = make_worker(app)
    assert worker.run_once().retried == 1
    message = db.get(Message, message_id)
    assert (message.status, message.error_code) == ("queued", code)
    wait = message.next_attempt_at - before
    assert timedelta(seconds=14) <= wait <= timedelta(seconds=31)  # base 30 s, jitter ½–1
    assert worker.run_once().claimed == 0  # not due yet
    worker.now = later(1)
    assert worker.run_once().sent == 1
    assert db.get(Message, message_id).status == "sent"


def test_transient_errors_give_up_after_the_last_attempt(app, db, fake_twilio):
    fake_twilio.answer(RESIDENT, "500")
    message_id = queued(db)
    worker = make_worker(app)
    for hours in (0, 1, 2):
        worker.now = later(hours)
        worker.run_once()
    message = db.get(Message, message_id)
    assert (message.status, message.attempts, message.error_code) == ("failed", 3, "500")
    assert len(fake_twilio.received) == 3


def test_opted_out_phones_are_skipped(app, db, fake_twilio):
    message_id = queued(db)
    db.add(Contact(phone=RESIDENT, opted_out=True))  # opted out after it was queued
    db.commit()
    assert make_worker(app).run_once().skipped == 1
    assert db.get(Message, message_id).status == "skipped"
    assert fake_twilio.received == []


def next_local_time(hour: int, minute: int = 0, after: datetime | None = None) -> datetime:
    """The next moment (UTC) after `after` (default now) that is hour:minute in Vietnam."""
    after = after or utcnow()
    local = after.astimezone(LOCAL_ZONE).replace(hour=hour, minute=minute, second=0, microsecond=0)
    if local <= after:
        local += timedelta(days=1)
    return local.astimezone(UTC)


def test_notices_wait_through_the_quiet_hours_but_replies_do_not(app, db, fake_twilio):
    notice = queued(db, body="Mời dự đối thoại", kind="invitation")
    reply = queued(db, phone=OTHER, body="Đã nhận", kind="reply")
    quiet = QuietHours.parse("21:00-07:00")
    worker = make_worker(app, quiet_hours=quiet)
    late_evening = next_local_time(22, 30)  # after the messages were queued, whatever the clock
    worker.now = lambda: late_evening
    assert worker.run_once().sent == 1
    assert (db.get(Message, notice).status, db.get(Message, reply).status) == ("queued", "sent")
    next_morning = next_local_time(8, 0, after=late_evening)
    worker.now = lambda: next_morning
    assert worker.run_once().sent == 1
    assert db.get(Message, notice).status == "sent"


def test_quiet_hours_settings():
    quiet = QuietHours.parse("21:00-07:00")
    at = lambda h, m=0: datetime(2026, 11, 23, h, m, tzinfo=UTC) - timedelta(hours=7)  # noqa: E731
    assert [quiet.covers(at(h)) for h in (20, 21, 23, 0, 6)] == [False, True, True, True, True]
    assert not quiet.covers(at(7))
    day_quiet = QuietHours.parse("12:00-13:30")
    assert day_quiet.covers(at(13, 0)) and not day_quiet.covers(at(13, 30))
    assert QuietHours.parse("") is None
    with pytest.raises(ValueError):
        QuietHours.parse("nine to five")


def test_backoff_doubles_is_capped_and_jittered():
    settings = WorkerSettings(backoff_base=30, backoff_max=600)
    rng = random.Random(1)
    for attempts, full in ((1, 30), (2, 60), (3, 120), (6, 600), (20, 600)):
        delay = settings.backoff(attempts, rng).total_seconds()
        assert full / 2 <= delay <= full


def test_the_pacer_keeps_to_the_send_rate():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        pacer.wait()
    assert slept == [0.25, 0.25, 0.25, 0.25]
    now[0] += 10
    pacer.wait()
    assert len(slept) == 4


def test_two_workers_never_send_the_same_message_twice(app, db, fake_twilio):
    ids = [queued(db, phone=f"+849123{n:05d}", body=f"Tin số {n}") for n in range(30)]
    errors = []

    def work():
        try:
            with app.app_context():
                worker = make_worker(app)
                while worker.run_once(limit=4).claimed:
                    pass
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    bodies = [r.form["Body"] for r in fake_twilio.received]
    assert sorted(bodies) == sorted(f"Tin số {n}" for n in range(30))
    db.expire_all()
    assert {db.get(Message, i).status for i in ids} == {"sent"}


def test_a_claim_left_by_a_dead_worker_expires(app, db, fake_twilio):
    message_id = queued(db)
    message = db.get(Message, message_id)
    message.status, message.claimed_until = "sending", utcnow() + timedelta(minutes=5)
    db.commit()
    worker = make_worker(app)
    assert worker.run_once().claimed == 0
    worker.now = later(1)
    assert worker.run_once().sent == 1


def post_status(client, sid, status, **extra):
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID, **extra}
    return client.post(
        "/sms/twilio/status", data=params, headers=signed("/sms/twilio/status", params)
    )


def test_delivery_statuses_only_move_forward(app, db, client, fake_twilio):
    message_id = queued(db)
    make_worker(app).run_once()
    sid = fake_twilio.received[0].sid
    assert post_status(client, sid, "delivered").status_code == 204
    assert post_status(client, sid, "sent").status_code == 204  # late, out of order
    db.expire_all()
    assert db.get(Message, message_id).status == "delivered"


def test_undelivered_status_keeps_the_error_code(app, db, client, fake_twilio):
    message_id = queued(db)
    make_worker(app).run_once()
    post_status(client, fake_twilio.received[0].sid, "undelivered", ErrorCode="30003")
    db.expire_all()
    message = db.get(Message, message_id)
    assert (message.status, message.error_code) == ("undelivered", "30003")


def test_unsigned_status_callbacks_are_refused(app, db, client, fake_twilio):
    message_id = queued(db)
    make_worker(app).run_once()
    params = {"MessageSid": fake_twilio.received[0].sid, "MessageStatus": "failed"}
    assert client.post("/sms/twilio/status", data=params).status_code == 403
    db.expire_all()
    assert db.get(Message, message_id).status == "sent"


def test_console_backend_logs_instead_of_sending(app, db, runner, fake_twilio, caplog):
    app.config["SMS_BACKEND"] = "console"
    message_id = queued(db, body="Xin chào bà con")
    result = runner.invoke(args=["outbox", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert "Xin chào bà con" in caplog.text
    assert fake_twilio.received == []
    db.expire_all()
    message = db.get(Message, message_id)
    assert (message.status, message.channel, message.provider_id) == ("sent", "console", None)


def test_the_cli_sends_through_twilio(app, db, runner, fake_twilio):
    queued(db)
    result = runner.invoke(args=["outbox", "work", "--once", "--limit", "5"])
    assert result.exit_code == 0, result.output
    assert "twilio" in result.output and "sent 1" in result.output
    assert len(fake_twilio.accepted()) == 1


def test_backend_choice():
    assert sms_backend({}) == "console"
    assert sms_backend({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"}) == "twilio"
    assert (
        sms_backend(
            {"SMS_BACKEND": "console", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"}
        )
        == "console"
    )


def test_incomplete_twilio_settings_are_a_clear_error(app, runner):
    app.config.update(TWILIO_FROM_NUMBER=None, TWILIO_MESSAGING_SERVICE_SID=None)
    result = runner.invoke(args=["outbox", "work", "--once"])
    assert result.exit_code != 0 and "TWILIO_FROM_NUMBER" in result.output


def test_the_worker_keeps_polling_until_stopped(app, db, fake_twilio):
    queued(db)
    stop = threading.Event()

    def work():
        with app.app_context():
            make_worker(app).run(stop, poll_seconds=0.05)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        for _ in range(200):  # a bounded wait for the worker to pick the message up
            if fake_twilio.accepted():
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(fake_twilio.accepted()) == 1
