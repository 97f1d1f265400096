"""Fixtures for the SMS gateway: Twilio settings, a commune with an SMS number, signed texts,
and the worker's inbound step run once (`run_pipeline`), so a test sends a text and reads
the reply the worker queued in the outbox."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from xml.etree import ElementTree

import pytest
from flask import current_app
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from nghedan.extensions import db as _db
from nghedan.models import Message
from nghedan.phones import to_e164
from nghedan.services.sms.outbox import OPT_OUT_ACK
from sms_gateway.inbound import InboundSms, store
from sms_gateway.pipeline import process_inbound
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
    """POST a signed inbound text as Twilio would; the response (it remembers the text)."""
    params = sms_params(body, **kw)
    response = client.post("/sms/twilio", data=params, headers=signed("/sms/twilio", params))
    response.app, response.phone = client.application, params["From"]
    return response


def run_pipeline() -> list[Message]:
    """The worker's inbound step, run once now: every stored text resolved; the replies it
    queued in the outbox (oldest first). Needs an app context."""
    before = _db.session.scalar(select(func.max(Message.id))) or 0
    process_inbound()
    return list(
        _db.session.scalars(
            select(Message)
            .where(
                Message.direction == "out",
                Message.id > before,
                Message.kind.in_(("reply", OPT_OUT_ACK)),
            )
            .order_by(Message.id)
        )
    )


def reply_to(phone: str | None) -> str | None:
    """Run the pipeline once; the one reply queued (for `phone` when given), or None."""
    replies = [
        m.body for m in run_pipeline() if phone is None or m.phone == (to_e164(phone) or phone)
    ]
    assert len(replies) <= 1, replies
    return replies[0] if replies else None


def reply_of(response) -> str | None:
    """The reply to the text a `post_sms` response stored: the webhook answered at once with
    an empty TwiML response, the worker's step (run here) queued the reply in the outbox."""
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == "Response" and len(root) == 0  # nothing said in the webhook's answer
    with _app_context(getattr(response, "app", None)):
        return reply_to(getattr(response, "phone", None))


def deliver(sms: InboundSms) -> str | None:
    """Store a text as a channel would and run the pipeline once; its reply, if any."""
    store(sms)
    _db.session.commit()
    return reply_to(sms.sender)


@contextmanager
def _app_context(app):
    """The test's own app context when it has one (so its session sees the same rows)."""
    try:
        active = current_app._get_current_object()
    except RuntimeError:
        active = None
    if active is not None and app in (None, active):
        yield
        return
    with app.app_context():
        yield


@pytest.fixture
def text(client, commune):
    """Send a signed text from a resident and get the reply: text("TT 12345671")."""

    def send(body: str, **kw) -> str | None:
        return reply_of(post_sms(client, body, **kw))

    return send


@pytest.fixture
def fake_zalo():
    """A fake Zalo API on loopback, for one test (tests/sms_gateway/fake_zalo.py)."""
    from tests.sms_gateway.fake_zalo import FakeZalo

    api = FakeZalo().start()
    yield api
    api.stop()
