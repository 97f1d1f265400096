"""Fixtures for the SMS gateway: Twilio settings, a commune with an SMS number, signed texts."""

from __future__ import annotations

import uuid
from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from tests.conftest import base_config
from tests.factories import make_commune, make_officer

TOKEN = "test-twilio-auth-token-0123456789"
ACCOUNT_SID = "AC" + "0" * 32
PUBLIC_BASE_URL = "https://xa.example.vn"
COMMUNE_NUMBER = "+84868000115"
RESIDENT = "+84912345678"


def twilio_config(database_url: str, **more) -> dict:
    return {
        **base_config(database_url),
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_FROM_NUMBER": COMMUNE_NUMBER,
        **more,
    }


@pytest.fixture
def app_config(database_url):
    return twilio_config(database_url)


def fake_twilio_fixtures(fake_class, **settings):
    """`fake_twilio` and `app_config` fixtures for a module that sends through a fake Twilio API
    on loopback: a `fake_class` server started for each test, and the Twilio settings pointing
    at it, with no send pacing and no quiet hours, plus `settings` (timeouts, attempts, …).

        fake_twilio, app_config = fake_twilio_fixtures(FakeTwilio, TWILIO_TIMEOUT_SECONDS=0.5)
    """

    @pytest.fixture
    def fake_twilio():
        fake = fake_class().start()
        yield fake
        fake.stop()

    @pytest.fixture
    def app_config(database_url, fake_twilio):
        return twilio_config(
            database_url,
            SMS_BACKEND="twilio",
            TWILIO_API_BASE_URL=fake_twilio.base_url,
            OUTBOX_SEND_RATE_PER_SECOND=1000,
            SMS_QUIET_HOURS="",
            **settings,
        )

    return fake_twilio, app_config


def commune_with_officers(db, sms_number: str):
    """A commune texted at `sms_number`, with officers 01, 02 and 03 (committed)."""
    commune = make_commune(sms_number=sms_number)
    make_officer(commune, code="01", name="Nguyễn Thị Lan")
    make_officer(commune, code="02", name="Trần Văn Hùng")
    make_officer(commune, code="03", name="Lê Thị Thu Hà")
    db.commit()
    return commune


@pytest.fixture
def commune(db):
    return commune_with_officers(db, COMMUNE_NUMBER)


def signed(path: str, params: dict, *, url: str | None = None) -> dict:
    """Headers with the signature Twilio would compute for these form fields."""
    url = url or PUBLIC_BASE_URL + path
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}


def sms_params(
    body: str, *, sender: str = RESIDENT, sid: str | None = None, to: str = COMMUNE_NUMBER
) -> dict:
    return {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "SmsSid": sid or "",
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "FromCountry": "VN",
        "ToCountry": "VN",
    }


def post_sms(client, body: str, **kw):
    """POST a signed inbound text as Twilio would; the response."""
    params = sms_params(body, **kw)
    return client.post("/sms/twilio", data=params, headers=signed("/sms/twilio", params))


def reply_of(response) -> str | None:
    """The text of the TwiML reply (None when the response has no <Message>)."""
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text if messages else None


@pytest.fixture
def text(client, commune):
    """Send a signed text from a resident and get the reply: text("TT 12345671")."""

    def send(body: str, **kw) -> str | None:
        return reply_of(post_sms(client, body, **kw))

    return send
