"""A fake of SMS Gateway for Android's API on 127.0.0.1, for the real `android-sms-gateway`
client to talk to (local-server mode: `POST /messages` with Basic auth, JSON).

Each recipient can be told how to answer: "202" (accepted, state Pending), "failed" (the
phone answers with state Failed), "400", "401", "500", or "hang" (no answer until the
client's timeout has passed). A message id the phone already has gets 409, as the app
answers. Every request is recorded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.sms_gateway.scripted_api import ScriptedApi

HANG_SECONDS = 4.0  # longer than the client timeout the tests configure


@dataclass(frozen=True)
class Request:
    path: str
    auth: str | None
    body: dict
    message_id: str | None  # set when the message was accepted


class FakeAndroid(ScriptedApi):
    default_answer = "202"

    def __init__(self, login: str = "sms", password: str = "phone-pass"):
        self.expected_auth = "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()
        self.requests: list[Request] = []
        self.ids: set[str] = set()  # message ids the phone has (it refuses a repeat: 409)
        super().__init__()

    def accepted(self) -> list[Request]:
        return [r for r in self.requests if r.message_id]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                auth = self.headers.get("Authorization")
                if self.path.split("?")[0] != "/messages":
                    return self._json(404, {"message": "not found"})
                if auth != fake.expected_auth:
                    return self._record_and_answer(body, auth, 401, {"message": "Unauthorized"})
                phone = (body.get("phoneNumbers") or [""])[0]
                answer = fake._next_answer(phone)
                if answer == "hang":
                    fake.stopping.wait(HANG_SECONDS)
                    return self._record(body, auth, None)
                if body.get("id") and body["id"] in fake.ids:  # as the app answers a repeat
                    return self._record_and_answer(
                        body, auth, 409, {"message": "Message with the same ID already exists"}
                    )
                if answer in ("202", "failed"):
                    message_id = body.get("id") or uuid.uuid4().hex[:21]
                    with fake.lock:
                        fake.ids.add(message_id)
                    state = "Pending" if answer == "202" else "Failed"
                    error = None if answer == "202" else "RESULT_ERROR_GENERIC_FAILURE"
                    return self._record_and_answer(
                        body,
                        auth,
                        202,
                        {
                            "id": message_id,
                            "state": state,
                            "isHashed": False,
                            "isEncrypted": False,
                            "deviceId": "dev-fake",
                            "recipients": [{"phoneNumber": phone, "state": state, "error": error}],
                            "states": {},
                        },
                        message_id if answer == "202" else None,
                    )
                return self._record_and_answer(
                    body, auth, int(answer), {"message": f"fake error {answer}"}
                )

            def _record(self, body, auth, message_id):
                with fake.lock:
                    fake.requests.append(Request(self.path, auth, body, message_id))

            def _record_and_answer(self, body, auth, status, payload, message_id=None):
                self._record(body, auth, message_id)
                self._json(status, payload)

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args):
                pass

        return Handler


# -- The app's side of the webhooks: payloads signed as the phone signs them ---------------

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str, **changes) -> dict:
    """A recorded-shape webhook (`payloads/android_<name>.json`), with payload fields changed."""
    event = json.loads((PAYLOADS / f"android_{name}.json").read_text(encoding="utf-8"))
    event["payload"].update(changes)
    return event


def signed_headers(key: str, raw: bytes, timestamp: int | None = None) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(key.encode(), raw + stamp.encode(), hashlib.sha256).hexdigest()
    return {"X-Signature": signature, "X-Timestamp": stamp, "Content-Type": "application/json"}


def post_event(
    client,
    event: dict | bytes,
    key: str,
    *,
    timestamp: int | None = None,
    headers: dict | None = None,
):
    """POST one webhook to /sms/android, signed with `key` (the phone's signing key); then
    the worker's inbound step runs once, so a received text's reply waits in the outbox."""
    from tests.sms_gateway.conftest import _app_context, run_pipeline

    raw = event if isinstance(event, bytes) else json.dumps(event, ensure_ascii=False).encode()
    response = client.post(
        "/sms/android",
        data=raw,
        headers=headers if headers is not None else signed_headers(key, raw, timestamp),
    )
    if response.status_code == 200:
        with _app_context(client.application):
            run_pipeline()
    return response
