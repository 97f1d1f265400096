"""`nghedan worker`: both threads against a live database (LISTEN/NOTIFY on PostgreSQL,
polling on SQLite), its heartbeat, and what /healthz says without it."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import select

from nghedan.database import unit_of_work
from nghedan.models import Message, WorkerHeartbeat, utcnow
from nghedan.services.health import beat
from sms_gateway.outbox_worker import OutboxWorker, WorkerSettings
from sms_gateway.routing import ChannelRouter, sender_from_config
from sms_gateway.worker import run_worker
from tests.sms_gateway.conftest import post_sms


def wait_until(check, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_healthz_says_when_no_worker_was_seen_and_when_texts_wait(app, db, client, commune):
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok"  # the web app itself is fine: still 200
    assert health["sms"]["alerts"] == ["worker_not_running"]
    with unit_of_work():
        beat("host:1")
    assert client.get("/healthz").get_json()["sms"]["worker"]["running"] is True
    post_sms(client, "Đường hư")
    message = db.scalar(select(Message))
    message.created_at = utcnow() - timedelta(minutes=5)
    db.get(WorkerHeartbeat, "host:1").seen_at = utcnow() - timedelta(minutes=5)
    db.commit()
    worker = client.get("/healthz").get_json()["sms"]["worker"]
    assert worker["alerts"] == ["worker_not_running", "inbound_waiting_too_long"]
    assert worker["inbound_waiting"] == 1 and worker["oldest_inbound_waiting_seconds"] >= 300


def test_the_worker_answers_a_text_through_the_outbox_and_beats(app, db, client, commune):
    outbox = OutboxWorker(
        ChannelRouter(sender_from_config(app.config), app.config),
        WorkerSettings(rate_per_second=1000),
    )
    stop, codes = threading.Event(), []
    thread = threading.Thread(
        target=lambda: codes.append(run_worker(app, stop, outbox, outbox_poll_seconds=120))
    )
    thread.start()
    try:
        assert wait_until(lambda: _seen(db)), "no heartbeat"
        assert post_sms(client, "Đèn đường ấp Tân Phú bị hư").status_code == 200
        # Sent well before the outbox's own poll (two minutes here): the inbound side woke it.
        # Generous for a loaded CI machine, which may take seconds, never minutes.
        assert wait_until(lambda: _reply_status(db) == "sent", 45), _reply_status(db)
        assert client.get("/healthz").get_json()["sms"]["worker"]["running"] is True
    finally:
        stop.set()
        thread.join(30)
    assert codes == [0]
    db.expire_all()
    assert db.scalars(select(WorkerHeartbeat)).all() == []  # a clean stop forgets itself


def _seen(db) -> bool:
    db.rollback()
    return db.scalar(select(WorkerHeartbeat.name)) is not None


def _reply_status(db) -> str | None:
    db.rollback()
    return db.scalar(select(Message.status).where(Message.direction == "out"))
