"""POST /sms/android against hostile input: absurd timestamps, bodies nested thousands deep,
a phone speaking for another commune, and fuzzed headers and bodies (signed and not).
Never a 5xx, and nothing stored from a refused request."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nghedan.models import Item, Message
from tests.factories import make_commune
from tests.sms_gateway import test_android_webhook as android_tests
from tests.sms_gateway.fake_android import payload, post_event, signed_headers
from tests.sms_gateway.test_android_webhook import KEY, OTHER_KEY, add_channel, received

# The Android webhook tests' fixtures.
app_config, commune = android_tests.app_config, android_tests.commune
channel = android_tests.channel

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def stored(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count(Message.id)))


def test_a_timestamp_of_hundreds_of_digits_is_refused(client, db, channel):
    raw = json.dumps(payload("sms_received")).encode()
    for stamp in ("9" * 400, "1" * 13, "١٧٠٠٠٠٠٠٠٠", "-1", "1e9", " "):
        headers = signed_headers(KEY, raw)
        headers["X-Timestamp"] = stamp
        headers["X-Signature"] = signed_headers(KEY, raw, 0)["X-Signature"]
        assert post_event(client, raw, KEY, headers=headers).status_code in (401, 403), stamp
    assert stored(db) == 0


def test_a_body_nested_thousands_deep_is_a_400_and_nothing_is_stored(client, db, channel):
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"event":' * 50_000 + b"1" + b"}" * 50_000):
        response = post_event(client, raw, KEY)
        assert response.status_code == 400 and response.json["error"]
    assert stored(db) == 0


def test_a_phone_of_one_commune_can_not_store_a_text_in_another(client, db, commune):
    other = make_commune(name="Tân Hòa", sms_number="+84868000999")
    add_channel(db, other, name="Tân Hòa Viettel", key_env="ANDROID_KEY_2", number="+84868000222")
    db.commit()
    ours_id = commune.id
    # Tân Hòa's phone claims the text was sent to our commune's number.
    response = post_event(
        client, received("Cầu khỉ ấp 3 sắp sập", recipient=commune.sms_number), OTHER_KEY
    )
    assert response.status_code == 200
    item = db.scalar(select(Item))
    assert item.commune_id == other.id != ours_id
    assert db.scalar(select(Message).where(Message.direction == "in")).commune_id == other.id


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
_stamps = (
    st.integers(min_value=-(10**30), max_value=10**400).map(str)
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
    | st.text("0123456789٠١٢٣٤٥٦٧٨٩ \t+-.e", max_size=500)
)


@FUZZ
@example(stamp="9" * 400, signature="ab" * 32, body=b"{}")
@example(stamp="1" * 4400, signature="", body=b"[" * 5000)
@given(
    stamp=_stamps,
    signature=st.text(max_size=80) | st.just("0" * 64),
    body=st.binary(max_size=200) | _json.map(lambda v: json.dumps(v).encode()),
)
def test_fuzzed_headers_never_make_a_server_error(client, db, channel, stamp, signature, body):
    """Any X-Timestamp, X-Signature and body: 401 or 403, nothing stored."""
    headers = {"X-Signature": signature, "X-Timestamp": stamp, "Content-Type": "application/json"}
    try:
        headers_ok = all(v.encode("latin-1") is not None for v in headers.values())
    except UnicodeEncodeError:
        headers_ok = False
    if not headers_ok:  # a header an HTTP client could not send
        return
    assert post_event(client, body, KEY, headers=headers).status_code in (401, 403)
    assert stored(db) == 0


@FUZZ
@given(
    event=st.fixed_dictionaries(
        {
            "event": st.sampled_from(
                ["sms:received", "sms:sent", "sms:failed", "system:ping", "x"]
            ),
            "payload": _json,
        }
    )
    | _json,
    depth=st.integers(min_value=0, max_value=3000),
)
def test_fuzzed_signed_bodies_are_answered_without_a_server_error(
    client, db, channel, event, depth
):
    """Signed bodies of any shape (and nested up to 3000 deep): 200 or a clear 400."""
    raw = b"[" * depth + json.dumps(event).encode() + b"]" * depth
    assert post_event(client, raw, KEY).status_code in (200, 400)
