"""Choosing a channel per outgoing SMS: commune, the resident's carrier, health, fallback."""

from __future__ import annotations

from datetime import timedelta

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import carrier as phone_carrier
from sqlalchemy import select

from nghedan.models import Message, SmsChannel, utcnow
from nghedan.services.sms.channels import CARRIER_PREFIXES, carrier_of, channels_health
from nghedan.services.sms.outbox import queue_sms
from sms_gateway.outbox_worker import OutboxWorker, WorkerSettings
from sms_gateway.routing import (
    ChannelRouter,
    Route,
    RoutedSend,
    plan_routes,
    sender_from_config,
    via,
)
from sms_gateway.senders import ConsoleSender, SendError
from tests.conftest import base_config
from tests.factories import make_commune

VIETTEL_PHONE = "+84971234567"
VINA_PHONE = "+84912345678"
MOBI_PHONE = "+84901234567"

# phonenumbers' carrier names for the same prefixes (its data is independent of ours).
LIBRARY_NAMES = {
    "viettel": "Viettel",
    "vinaphone": "Vinaphone",
    "mobifone": "MobiFone",
    "vietnamobile": "Vietnamobile",
    "gmobile": "G-Mobile",
}
# Sample numbers whose prefix phonenumbers knows well enough to name (089x and 099x are
# only partly allocated, so a specific block is used for them).
SAMPLE_SUFFIX = {"89": "8123456", "99": "3123456"}


@pytest.mark.parametrize(
    "carrier, prefix",
    [(carrier, prefix) for carrier, prefixes in CARRIER_PREFIXES.items() for prefix in prefixes],
)
def test_each_prefix_is_the_carrier_phonenumbers_names(carrier, prefix):
    number = f"+84{prefix}{SAMPLE_SUFFIX.get(prefix, '1234567')}"
    assert carrier_of(number) == carrier
    assert carrier_of("0" + number[3:]) == carrier  # written the Vietnamese way
    parsed = phonenumbers.parse(number)
    assert phone_carrier.name_for_number(parsed, "en") == LIBRARY_NAMES[carrier]


@pytest.mark.parametrize("number", ["+14155550123", "0241234567", "VIETTEL", "", None, "1234"])
def test_foreign_landline_and_non_numbers_have_no_carrier(number):
    assert carrier_of(number) is None


@given(st.text(max_size=30))
def test_carrier_of_never_raises(text):
    assert carrier_of(text) in (None, *CARRIER_PREFIXES)


@pytest.fixture
def app_config(database_url):
    return {
        **base_config(database_url),
        "SMS_CHANNEL_DOWN_AFTER_FAILURES": 2,
        "SMS_CHANNEL_RETRY_AFTER_SECONDS": 300,
        "SMS_CHANNEL_PING_MAX_AGE_SECONDS": 600,
    }


def console_channel(db, commune, name, carrier, **kw) -> SmsChannel:
    channel = SmsChannel(
        kind="console",
        name=name,
        commune_id=commune.id if commune else None,
        carrier=carrier,
        active=kw.pop("active", True),
        settings={},
        **kw,
    )
    db.add(channel)
    db.flush()
    return channel


def outgoing(db, commune, phone, channel="auto") -> Message:
    message = queue_sms(phone, "Xin chào", kind="notice", commune_id=commune.id, channel=channel)
    db.flush()
    return message


def names(routes) -> list[str]:
    return [route.name for route in routes]


def test_a_sim_on_the_residents_carrier_comes_first(app, db):
    commune = make_commune()
    console_channel(db, commune, "Viettel", "viettel")
    console_channel(db, commune, "VinaPhone", "vinaphone")
    assert names(plan_routes(outgoing(db, commune, VINA_PHONE), app.config)) == [
        "VinaPhone",
        "Viettel",
    ]
    assert names(plan_routes(outgoing(db, commune, VIETTEL_PHONE), app.config)) == [
        "Viettel",
        "VinaPhone",
    ]
    assert names(plan_routes(outgoing(db, commune, MOBI_PHONE), app.config)) == [
        "Viettel",
        "VinaPhone",
    ]


def test_the_channel_a_text_came_in_on_answers_it(app, db):
    commune = make_commune()
    console_channel(db, commune, "Viettel", "viettel")
    vina = console_channel(db, commune, "VinaPhone", "vinaphone")
    message = outgoing(db, commune, VIETTEL_PHONE, channel=via(vina.id))
    assert names(plan_routes(message, app.config))[0] == "VinaPhone"


def test_a_channel_that_keeps_failing_or_stopped_pinging_goes_last(app, db):
    commune = make_commune()
    viettel = console_channel(db, commune, "Viettel", "viettel")
    vina = console_channel(db, commune, "VinaPhone", "vinaphone")
    viettel.consecutive_failures, viettel.last_failure_at = 2, utcnow()
    assert names(plan_routes(outgoing(db, commune, VIETTEL_PHONE), app.config)) == [
        "VinaPhone",
        "Viettel",
    ]
    viettel.last_failure_at = utcnow() - timedelta(minutes=10)  # time to try it again
    assert names(plan_routes(outgoing(db, commune, VIETTEL_PHONE), app.config))[0] == "Viettel"
    vina.last_ping_at = utcnow() - timedelta(hours=1)
    assert names(plan_routes(outgoing(db, commune, VINA_PHONE), app.config)) == [
        "Viettel",
        "VinaPhone",
    ]
    states = {row.name: (row.state, row.down_reason) for row in channels_health()}
    assert states == {"Viettel": ("ok", None), "VinaPhone": ("down", "no_ping")}


def test_only_the_communes_own_and_shared_active_channels_are_used(app, db):
    commune, other = make_commune(), make_commune(name="Tân Hòa")
    console_channel(db, commune, "Ours", "viettel")
    console_channel(db, other, "Theirs", "viettel")
    console_channel(db, None, "Province", "mobifone")
    console_channel(db, commune, "Retired", "vinaphone", active=False)
    assert names(plan_routes(outgoing(db, commune, VINA_PHONE), app.config)) == ["Ours", "Province"]


def test_a_commune_without_channels_uses_the_configured_backend(app, db):
    commune = make_commune()
    fallback = ConsoleSender()
    router = ChannelRouter(fallback, app.config)
    assert router.for_message(outgoing(db, commune, VINA_PHONE)) is fallback


def test_a_misconfigured_channel_is_left_out_not_fatal(app, db):
    commune = make_commune()
    db.add(
        SmsChannel(
            kind="android",
            name="No password",
            commune_id=commune.id,
            carrier="vinaphone",
            active=True,
            settings={"base_url": "http://x"},
        )
    )
    console_channel(db, commune, "Console", "viettel")
    db.flush()
    assert names(plan_routes(outgoing(db, commune, VINA_PHONE), app.config)) == ["Console"]
    assert db.scalar(select(SmsChannel).where(SmsChannel.name == "No password")).active


def test_with_sms_backend_channels_a_commune_without_one_keeps_its_texts_queued(app, db):
    app.config["SMS_BACKEND"] = "channels"
    app.config["SMS_QUIET_HOURS"] = ""
    with_channel, without = make_commune(), make_commune(name="Tân Hòa")
    console_channel(db, with_channel, "Console", "viettel")
    ids = [outgoing(db, with_channel, VINA_PHONE).id, outgoing(db, without, VINA_PHONE).id]
    db.commit()
    worker = OutboxWorker(
        ChannelRouter(sender_from_config(app.config), app.config),
        WorkerSettings.from_config(app.config),
    )
    report = worker.run_once()
    assert (report.sent, report.retried) == (1, 1)
    db.expire_all()
    sent, waiting = (db.get(Message, i) for i in ids)
    assert (sent.status, sent.channel) == ("sent", "console")
    assert (waiting.status, waiting.error_code) == ("queued", "no-channel")


class _Answerless:
    """A provider that took the text but whose answer was lost (or, `found`, that lists it)."""

    channel = "twilio"

    def __init__(self, found: str | None = None):
        self.sends, self.found = 0, found

    def send(self, phone, body):
        self.sends += 1
        raise SendError("no answer", code="timeout", transient=True, maybe_accepted=True)

    def find_sent(self, phone, body, since):
        return self.found


class _Counting:
    channel = "console"

    def __init__(self):
        self.sends = 0

    def send(self, phone, body):
        self.sends += 1
        return "next-1"


def test_a_send_that_may_have_been_accepted_is_not_handed_to_the_next_channel(app, db):
    commune = make_commune()
    first, second = (console_channel(db, commune, name, "viettel") for name in ("A", "B"))
    lost, fallback = _Answerless(found="SMfound"), _Counting()
    routed = RoutedSend(
        [Route(first.id, "twilio", "A", lost), Route(second.id, "console", "B", fallback)]
    )
    with pytest.raises(SendError) as raised:
        routed.send("+84912345678", "Xin chào")
    assert raised.value.maybe_accepted and (lost.sends, fallback.sends) == (1, 0)
    # The retry asks the routes that can be asked, and adopts what the provider has.
    assert routed.find_sent("+84912345678", "Xin chào", utcnow()) == "SMfound"
    assert routed.channel == "twilio" and fallback.sends == 0
