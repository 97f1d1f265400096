"""Fuzzing the SMS side: the parser, and both Twilio webhooks with random, malformed, huge and
oddly encoded fields, signed (past the signature check) and unsigned. No 5xx, and nothing a
signed delivery carried is lost: each new MessageSid is stored exactly once."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nghedan.models import Message
from nghedan.text import nfc
from sms_gateway import parser
from tests.sms_gateway import conftest as sms
from tests.sms_gateway.conftest import ACCOUNT_SID, COMMUNE_NUMBER, signed

app_config, commune = sms.app_config, sms.commune  # the SMS tests' fixtures

KINDS = parser.KINDS
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Any Unicode a form can carry (no lone surrogates: they cannot be UTF-8 encoded), with
# Vietnamese, combining marks, control characters, emoji and right-to-left text mixed in.
odd_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300) | st.sampled_from(
    [
        "Đường ấp Tân Phú ngập",
        "Duo\u031bng",
        "TT 1234\u00a05671",
        "\x00\x01\x7f",
        "DG 01 \u0663",
        "\u202egnirts\u202c",
        "😀" * 50,
        "\ufeffGY chào",
        "tt" + " " * 500 + "1",
        "%00%ff",
        "a\r\nb",
    ]
)
phone_like = (
    st.sampled_from(
        [
            "+84912345678",
            "0912345678",
            "84912345678",
            "VIETTEL",
            "",
            "+1",
            "+849123456789012345678901234567890",
            "abc\x00",
        ]
    )
    | odd_text
)
huge = st.integers(min_value=2_000, max_value=40_000).map(lambda n: ("Ý kiến rất dài. " * n)[:n])


@given(odd_text | huge)
@settings(max_examples=400, deadline=None)
def test_the_parser_never_raises_and_keeps_the_residents_words(body):
    command = parser.parse(body)
    assert command.kind in KINDS
    if command.kind == parser.OPINION:
        assert command.text and command.text in nfc(body)
    if command.code is not None:
        assert command.code.isdigit()
    if command.score is not None:
        assert parser.MIN_SCORE <= command.score <= parser.MAX_SCORE


webhook_fields = st.fixed_dictionaries(
    {},
    optional={
        "MessageSid": st.one_of(st.just("SM" + "f" * 32), odd_text.map(lambda s: s[:80])),
        "SmsSid": odd_text.map(lambda s: s[:40]),
        "From": phone_like,
        "To": st.sampled_from([COMMUNE_NUMBER, "+84000000000", ""]) | odd_text,
        "Body": odd_text | huge,
        "AccountSid": st.just(ACCOUNT_SID) | odd_text,
        "NumMedia": st.sampled_from(["0", "1", "-1", "999999999999", "x"]),
        "NumSegments": st.sampled_from(["1", "0", "abc"]),
        "MediaUrl0": odd_text,
    },
)


def inbound_rows(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count(Message.id)).where(Message.direction == "in"))


def stored_with_sid(db, sid: str) -> int:
    return db.scalar(
        select(func.count(Message.id)).where(Message.direction == "in", Message.provider_id == sid)
    )


@given(fields=webhook_fields, fresh_sid=st.booleans())
@example(fields={"To": "0" * 33}, fresh_sid=True)  # were 500s on PostgreSQL: a To longer
@example(fields={"From": "abc\x00", "Body": "a\x00b"}, fresh_sid=True)  # than its column,
@example(fields={"MessageSid": "SM" + "1" * 80}, fresh_sid=False)  # NUL, a long id
@FUZZ
def test_signed_inbound_webhook_fuzz(client, db, commune, fields, fresh_sid):
    fields = dict(fields)
    if fresh_sid:
        fields["MessageSid"] = "SM" + uuid.uuid4().hex
    # The provider id as stored: NUL characters dropped, cut to the column (sms_gateway.inbound)
    sid = (fields.get("MessageSid") or fields.get("SmsSid") or "").replace("\x00", "")[:64]
    seen_before = bool(sid) and stored_with_sid(db, sid) > 0
    before = inbound_rows(db)
    response = client.post("/sms/twilio", data=fields, headers=signed("/sms/twilio", fields))
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "text/xml" and response.data.startswith(b"<?xml")
    # Stored once: a new delivery adds exactly one row, a repeated MessageSid adds none.
    assert inbound_rows(db) == before + (0 if seen_before else 1)
    if sid:
        assert stored_with_sid(db, sid) == 1


header_text = odd_text.map(lambda s: s[:100].replace("\r", "").replace("\n", ""))


@given(fields=webhook_fields, signature=st.none() | header_text)
@FUZZ
def test_unsigned_inbound_webhook_fuzz(client, db, commune, fields, signature):
    before = inbound_rows(db)
    headers = (
        {}
        if signature is None
        else {"X-Twilio-Signature": signature.encode("utf-8", "replace").decode("latin-1")}
    )
    response = client.post("/sms/twilio", data=dict(fields), headers=headers)
    assert response.status_code == 403
    assert inbound_rows(db) == before


status_fields = st.fixed_dictionaries(
    {},
    optional={
        "MessageSid": odd_text.map(lambda s: s[:80]),
        "SmsSid": odd_text.map(lambda s: s[:80]),
        "MessageStatus": st.sampled_from(
            ["queued", "sent", "delivered", "undelivered", "failed", "read", "", "DELIVERED"]
        )
        | odd_text,
        "ErrorCode": st.sampled_from(["30003", "", "0"]) | odd_text,
        "AccountSid": st.just(ACCOUNT_SID),
    },
)


@given(fields=status_fields, sign=st.booleans())
@example(fields={"MessageSid": "SM\x00", "MessageStatus": "sent"}, sign=True)  # was a 500
@FUZZ
def test_status_callback_fuzz(client, db, commune, fields, sign):
    fields = dict(fields)
    headers = signed("/sms/twilio/status", fields) if sign else {}
    response = client.post("/sms/twilio/status", data=fields, headers=headers)
    assert response.status_code == (204 if sign else 403), response.data[:500]


def test_a_body_over_the_request_limit_is_refused_before_anything_runs(client, db, commune):
    fields = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "From": "+84912345678",
        "To": COMMUNE_NUMBER,
        "Body": "x" * (3 * 1024 * 1024),
    }
    response = client.post("/sms/twilio", data=fields, headers=signed("/sms/twilio", fields))
    assert response.status_code == 413
    assert inbound_rows(db) == 0


def test_a_body_of_a_hundred_thousand_characters_is_stored_whole(client, db, commune):
    body = ("Đường ngập " * 10_000)[:100_000]  # 380 KB as a form: under Werkzeug's 500 KB
    fields = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "From": "+84912345678",
        "To": COMMUNE_NUMBER,
        "Body": body,
    }
    response = client.post("/sms/twilio", data=fields, headers=signed("/sms/twilio", fields))
    assert response.status_code == 200
    assert db.scalar(
        select(Message.body).where(Message.provider_id == fields["MessageSid"])
    ) == nfc(body)
