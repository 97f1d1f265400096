"""`nghedan sms-channel …`: operators add channels (secrets by variable name), list their
health, and turn them off and on."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.models import SmsChannel
from nghedan.services.sms.channels import channels_health
from tests.factories import make_commune
from tests.sms_gateway.conftest import COMMUNE_NUMBER


def test_add_an_android_phone_and_a_modem_then_list_them(runner, db):
    commune = make_commune(code="tan-thanh")
    db.commit()
    result = runner.invoke(
        args=[
            "sms-channel",
            "add",
            "--kind",
            "android",
            "--name",
            "Viettel 1",
            "--number",
            "0868 000 115",
            "--base-url",
            "http://192.168.1.20:8080",
            "--login",
            "sms",
            "--password-env",
            "ANDROID_PASSWORD_1",
            "--signing-key-env",
            "ANDROID_KEY_1",
            "--sim",
            "1",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "sms-channel",
            "add",
            "--kind",
            "gammu",
            "--name",
            "Modem",
            "--commune",
            "tan-thanh",
            "--number",
            "+84912000111",
            "--inbox",
            "/var/spool/gammu/inbox",
            "--outbox",
            "/var/spool/gammu/outbox",
            "--error",
            "/var/spool/gammu/error",
        ]
    )
    assert result.exit_code == 0, result.output
    db.expire_all()
    phone = db.scalar(select(SmsChannel).where(SmsChannel.name == "Viettel 1"))
    assert (phone.kind, phone.phone_number, phone.carrier, phone.commune_id) == (
        "android",
        "+84868000115",
        "viettel",
        commune.id,
    )
    assert phone.settings == {
        "base_url": "http://192.168.1.20:8080",
        "login": "sms",
        "password_env": "ANDROID_PASSWORD_1",
        "signing_key_env": "ANDROID_KEY_1",
        "sim_number": 1,
    }
    modem = db.scalar(select(SmsChannel).where(SmsChannel.name == "Modem"))
    assert modem.carrier == "vinaphone"
    assert modem.settings == {
        "inbox": "/var/spool/gammu/inbox",
        "outbox": "/var/spool/gammu/outbox",
        "error": "/var/spool/gammu/error",
    }
    listing = runner.invoke(args=["sms-channel", "list"]).output
    assert "Viettel 1\tandroid\tviettel\tok" in listing and "Modem\tgammu\tvinaphone\tok" in listing


def test_add_refuses_incomplete_or_wrong_settings(runner, db):
    make_commune()
    db.commit()
    cases = [
        (["--kind", "android", "--name", "A"], "--base-url, --password-env, --signing-key-env"),
        (["--kind", "gammu", "--name", "G", "--inbox", "/x"], "--outbox"),
        (["--kind", "console", "--name", "C", "--number", "12"], "is not a phone number"),
    ]
    for args, expected in cases:
        result = runner.invoke(args=["sms-channel", "add", *args])
        assert result.exit_code != 0 and expected in result.output, result.output
    runner.invoke(args=["sms-channel", "add", "--kind", "console", "--name", "C"])
    again = runner.invoke(args=["sms-channel", "add", "--kind", "console", "--name", "C"])
    assert again.exit_code != 0 and "exists already" in again.output
    db.expire_all()
    assert [c.name for c in db.scalars(select(SmsChannel))] == ["C"]


def test_disable_and_enable(runner, db):
    make_commune()
    db.commit()
    runner.invoke(args=["sms-channel", "add", "--kind", "console", "--name", "C"])
    assert runner.invoke(args=["sms-channel", "disable", "C"]).exit_code == 0
    assert "C\tconsole\t-\tinactive" in runner.invoke(args=["sms-channel", "list"]).output
    assert runner.invoke(args=["sms-channel", "enable", "C"]).exit_code == 0
    db.expire_all()
    assert db.scalar(select(SmsChannel.active)) is True
    assert runner.invoke(args=["sms-channel", "disable", "nope"]).exit_code != 0


def test_a_twilio_channel_is_listed_with_the_last_text_its_webhook_took(runner, db, commune, text):
    result = runner.invoke(
        args=[
            "sms-channel",
            "add",
            "--kind",
            "twilio",
            "--name",
            "Twilio",
            "--number",
            COMMUNE_NUMBER,
        ]
    )
    assert result.exit_code == 0, result.output
    [before] = channels_health()
    assert before.last_inbound_at is None
    text("Đường ấp Tân Phú bị ngập")
    db.expire_all()
    [after] = channels_health()
    assert after.last_inbound_at is not None and after.carrier == "viettel"
    assert db.scalar(select(SmsChannel.last_inbound_at)) is None  # computed, not written
