"""Zalo OA's protocol (sms_gateway/zalo.py): the webhook's signature and events, and the OA
API client against a fake Zalo on loopback. No database, no real Zalo account."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sms_gateway import zalo
from tests.sms_gateway.fake_zalo import (
    follow_event,
    image_event,
    signed_event,
    text_event,
)

APP_ID, SECRET, OA = "4291763606161179100", "oa-secret-key", "579745863508352884"
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


def _problem(raw: bytes, headers: dict, *, now=NOW, secret=SECRET) -> str | None:
    return zalo.signature_problem(
        headers.get(zalo.SIGNATURE_HEADER),
        raw,
        zalo.read_body(raw),
        app_id=APP_ID,
        secret_key=secret,
        now=now,
        max_age_seconds=900,
    )


def test_a_signed_event_is_accepted_and_a_forged_one_refused():
    event = text_event("2512523625412515", "TT 1234 5671", msg_id="m1", oa_id=OA, at_ms=NOW_MS)
    raw, headers = signed_event(event, app_id=APP_ID, secret_key=SECRET)
    assert _problem(raw, headers) is None
    assert _problem(raw, headers, secret="another-oa") == "wrong signature"
    assert _problem(raw, {}) == "no signature"
    tampered = raw.replace(b"TT 1234", b"TT 9999")
    assert _problem(tampered, headers) == "wrong signature"


def test_a_stale_event_is_refused_even_when_signed():
    event = text_event("25125", "Alo", msg_id="m1", oa_id=OA, at_ms=NOW_MS)
    raw, headers = signed_event(event, app_id=APP_ID, secret_key=SECRET)
    assert _problem(raw, headers, now=NOW + timedelta(minutes=16)) == "stale timestamp"
    assert _problem(raw, headers, now=NOW + timedelta(minutes=14)) is None


@given(st.binary(min_size=1, max_size=40), st.integers(min_value=0, max_value=200))
def test_any_change_to_the_body_breaks_the_signature(noise, where):
    event = text_event("25125", "Đường ấp 3 bị ngập", msg_id="m1", oa_id=OA, at_ms=NOW_MS)
    raw, headers = signed_event(event, app_id=APP_ID, secret_key=SECRET)
    changed = raw[: where % len(raw)] + noise + raw[where % len(raw) :]
    try:
        payload = zalo.read_body(changed)
    except ValueError:
        return  # not JSON any more: the webhook refuses it before any signature
    problem = zalo.signature_problem(
        headers[zalo.SIGNATURE_HEADER],
        changed,
        payload,
        app_id=APP_ID,
        secret_key=SECRET,
        now=NOW,
        max_age_seconds=900,
    )
    assert problem is not None


def test_ids_beyond_64_bits_are_kept_exactly_as_text():
    raw = (
        b'{"event_name":"user_send_text","timestamp":1733218200000,'
        b'"sender":{"id":123456789012345678901234567890},"recipient":{"id":"1"},'
        b'"message":{"msg_id":98765432109876543210987,"text":"xin chao"}}'
    )
    event = zalo.event_from(zalo.read_body(raw))
    assert event.user_id == "123456789012345678901234567890"
    assert event.msg_id == "98765432109876543210987"


def test_events_are_read_for_what_the_pipeline_needs():
    text = zalo.event_from(text_event("u1", "DG 01 4", msg_id="m1", oa_id=OA, at_ms=NOW_MS))
    assert (text.name, text.user_id, text.oa_id, text.msg_id, text.text) == (
        zalo.TEXT,
        "u1",
        OA,
        "m1",
        "DG 01 4",
    )
    assert text.at == NOW
    image = zalo.event_from(
        image_event("u1", "https://photo.zdn.vn/a.jpg", msg_id="m2", oa_id=OA, at_ms=NOW_MS)
    )
    assert image.image_urls == ("https://photo.zdn.vn/a.jpg",)
    follow = zalo.event_from(follow_event(zalo.FOLLOW, "u2", oa_id=OA, at_ms=NOW_MS))
    assert (follow.name, follow.user_id, follow.oa_id, follow.msg_id) == (
        zalo.FOLLOW,
        "u2",
        OA,
        None,
    )


@pytest.mark.parametrize(
    "raw", [b"[]", b'"x"', b'{"event_name": {"a": 1}, "sender": 5, "message": []}']
)
def test_odd_but_valid_json_never_crashes_the_reader(raw):
    try:
        payload = zalo.read_body(raw)
    except ValueError:
        return
    event = zalo.event_from(payload)
    assert event.user_id is None and event.text == ""


@pytest.fixture
def fake(fake_zalo):
    return fake_zalo


@pytest.fixture
def client(fake):
    return zalo.ZaloClient(
        app_id=APP_ID,
        secret_key=SECRET,
        api_base_url=fake.base_url,
        oauth_base_url=fake.base_url,
        timeout=1,
    )


def test_a_message_is_sent_and_its_zalo_id_returned(fake, client):
    assert client.send_text("AT-0", "u1", "Đã nhận ý kiến, mã 12345671.") == "zmsg000001"
    assert [(s.user_id, s.text) for s in fake.delivered()] == [
        ("u1", "Đã nhận ý kiến, mã 12345671.")
    ]


@pytest.mark.parametrize(
    "answer, kind",
    [
        ("error:-230", zalo.WINDOW),
        ("error:-213", zalo.BLOCKED),
        ("error:-201", zalo.PERMANENT),
        ("500", zalo.TRANSIENT),
        ("hang", zalo.TRANSIENT),
    ],
)
def test_each_refusal_says_what_to_do(fake, client, answer, kind):
    fake.answer("u1", answer)
    with pytest.raises(zalo.ZaloError) as refused:
        client.send_text("AT-0", "u1", "xin chào")
    assert refused.value.kind == kind
    assert fake.delivered() == []


def test_an_expired_token_is_told_apart_and_a_refresh_gives_a_new_pair(fake, client):
    fake.expire_access_token()
    with pytest.raises(zalo.ZaloError) as refused:
        client.send_text("AT-0", "u1", "xin chào")
    assert refused.value.kind == zalo.TOKEN
    tokens = client.refresh("RT-0")
    assert (tokens.access_token, tokens.refresh_token, tokens.expires_in) == (
        "AT-1",
        "RT-1",
        86400,
    )
    assert client.send_text(tokens.access_token, "u1", "xin chào")
    with pytest.raises(zalo.ZaloError):  # single use: the old refresh token is spent
        client.refresh("RT-0")
    assert fake.refresh_reuse == 1


def test_the_fake_answers_like_zalo_on_the_wire(fake):
    import requests

    body = requests.post(
        fake.base_url + zalo.SEND_PATH,
        headers={"access_token": "wrong"},
        json={"recipient": {"user_id": "u1"}, "message": {"text": "x"}},
        timeout=2,
    )
    assert body.status_code == 200
    assert json.loads(body.text) == {"error": zalo.TOKEN_INVALID, "message": "invalid token"}
