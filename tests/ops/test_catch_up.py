"""`nghedan twilio catch-up`: texts Twilio kept in its log while the webhook could not store
them are stored once, answered by SMS through the outbox, and never twice."""

from __future__ import annotations

from sqlalchemy import func, select

from nghedan.models import Message
from tests.ops.stack import FaultyTwilio
from tests.sms_gateway import conftest as sms
from tests.sms_gateway.conftest import fake_twilio_fixtures, post_sms, run_pipeline, sms_params

commune = sms.commune  # the SMS tests' fixture: a commune with its SMS number

fake_twilio, app_config = fake_twilio_fixtures(FaultyTwilio)


def stored(db, sid: str) -> int:
    return db.scalar(
        select(func.count(Message.id)).where(Message.direction == "in", Message.provider_id == sid)
    )


def test_catch_up_stores_and_answers_what_the_webhook_missed(
    client, db, runner, commune, fake_twilio
):
    texts = [
        sms_params(body, sender=sender)
        for body, sender in (
            ("Đường ấp Tân Phú bị ngập", "+84912000001"),  # reached the webhook
            ("Cống ấp Tân Lợi bị nghẹt", "+84912000002"),  # arrived while the database was down
            ("DG 01 1", "+84912000003"),
        )
    ]
    for form in texts:
        fake_twilio.log_inbound(form)
    first = texts[0]
    assert (
        post_sms(client, first["Body"], sender=first["From"], sid=first["MessageSid"]).status_code
        == 200
    )

    result = runner.invoke(args=["twilio", "catch-up", "--hours", "1"])
    assert result.exit_code == 0, result.output
    assert "3 texts received by Twilio, 2 were missing" in result.output
    db.expire_all()
    assert [stored(db, form["MessageSid"]) for form in texts] == [1, 1, 1]
    run_pipeline()  # the worker answers every stored text, recovered or not, through the outbox
    replies = db.execute(
        select(Message.phone, Message.status, Message.kind).where(Message.direction == "out")
    ).all()
    assert sorted(replies) == [
        ("+84912000001", "queued", "reply"),
        ("+84912000002", "queued", "reply"),
        ("+84912000003", "queued", "reply"),
    ]

    again = runner.invoke(args=["twilio", "catch-up", "--hours", "1"])
    assert "3 texts received by Twilio, 0 were missing" in again.output
    late = texts[1]  # Twilio's own retry arriving after the catch-up changes nothing
    assert (
        post_sms(client, late["Body"], sender=late["From"], sid=late["MessageSid"]).status_code
        == 200
    )
    run_pipeline()
    db.expire_all()
    assert stored(db, late["MessageSid"]) == 1
    assert db.scalar(select(func.count(Message.id)).where(Message.direction == "out")) == 3


def test_catch_up_says_why_when_twilio_cannot_be_read(runner, commune, fake_twilio, app):
    app.config["TWILIO_API_BASE_URL"] = "http://127.0.0.1:9"
    result = runner.invoke(args=["twilio", "catch-up"])
    assert result.exit_code != 0
    assert "could not be read" in result.output
