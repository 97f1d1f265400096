"""A fake of Zalo's OA API on 127.0.0.1: consultation messages and token refresh.

Each user id can be told how to answer a message: "ok", "error:<code>" (Zalo's way: HTTP 200
with a negative `error`), "500", or "hang". Access tokens are checked: only the latest one
issued works, and one past its life answers -124. A refresh token can be spent once; spending
it twice answers an error and is counted in `refresh_reuse`, which tests expect to stay 0.

It also plays Zalo's picture server: `picture_url(name, data, answer)` is a link to put in an
image event, answered "ok" (the bytes), "404", "hang", "huge" (more than any limit, its size
declared), "endless" (more than any limit, undeclared), "html" (a web page sent as
image/jpeg), "redirect:<name>" or "loop" (redirects to itself); each request is counted in
`picture_requests`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from sms_gateway import zalo
from tests.sms_gateway.scripted_api import ScriptedApi

HANG_SECONDS = 3.0  # longer than the client timeout the tests configure
MEDIA_PATH = "/media/"
HUGE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Sent:
    user_id: str
    text: str
    access_token: str
    message_id: str | None  # None: refused


class FakeZalo(ScriptedApi):
    default_answer = "ok"

    def __init__(self, *, access_token="AT-0", refresh_token="RT-0", token_life=86400):
        self.sent: list[Sent] = []
        self.access_token, self.refresh_token = access_token, refresh_token
        self.token_life = token_life
        self.access_expires = time.time() + token_life
        self.spent: set[str] = set()
        self.refreshes = 0
        self.refresh_reuse = 0
        self.refresh_answer = "ok"  # or "500", "hang", "error:-14014"
        self.refresh_delay = 0.0  # seconds, to widen a race between two workers
        self._counter = 0
        self._refresh_lock = threading.Lock()
        self.pictures: dict[str, tuple[str, bytes]] = {}
        self.picture_requests: dict[str, int] = {}
        super().__init__()

    def picture_url(self, name: str, data: bytes = b"", answer: str = "ok") -> str:
        """A link to a picture this fake serves (see the module's docstring for `answer`)."""
        self.pictures[name] = (answer, data)
        return f"{self.base_url}{MEDIA_PATH}{name}"

    def requests_for(self, name: str) -> int:
        return self.picture_requests.get(name, 0)

    def delivered(self) -> list[Sent]:
        return [s for s in self.sent if s.message_id]

    def expire_access_token(self) -> None:
        self.access_expires = time.time() - 1

    def _send(self, token: str, payload: dict) -> tuple[int, dict]:
        user_id = str((payload.get("recipient") or {}).get("user_id") or "")
        text = str((payload.get("message") or {}).get("text") or "")
        if token != self.access_token:
            return 200, self._refused(user_id, text, token, zalo.TOKEN_INVALID, "invalid token")
        if time.time() > self.access_expires:
            return 200, self._refused(user_id, text, token, zalo.TOKEN_EXPIRED, "token expired")
        answer = self._next_answer(user_id)
        if answer == "hang":
            self.stopping.wait(HANG_SECONDS)
            return 0, {}
        if answer == "500":
            return 500, {"message": "internal error"}
        if answer.startswith("error:"):
            code = int(answer.split(":", 1)[1])
            return 200, self._refused(user_id, text, token, code, "refused")
        with self.lock:
            self._counter += 1
            message_id = f"zmsg{self._counter:06d}"
            self.sent.append(Sent(user_id, text, token, message_id))
        return 200, {"error": 0, "message": "Success", "data": {"message_id": message_id}}

    def _refused(self, user_id, text, token, code, message) -> dict:
        with self.lock:
            self.sent.append(Sent(user_id, text, token, None))
        return {"error": code, "message": message}

    def _refresh(self, form: dict) -> tuple[int, dict]:
        time.sleep(self.refresh_delay)
        if self.refresh_answer == "500":
            return 500, {"message": "internal error"}
        if self.refresh_answer.startswith("error:"):
            return 200, {"error": int(self.refresh_answer.split(":", 1)[1]), "message": "bad"}
        with self._refresh_lock:
            token = form.get("refresh_token", "")
            if token in self.spent or token != self.refresh_token:
                self.refresh_reuse += token in self.spent
                return 200, {"error": -14014, "error_name": "Invalid refresh token"}
            self.spent.add(token)
            self.refreshes += 1
            self.access_token = f"AT-{self.refreshes}"
            self.refresh_token = f"RT-{self.refreshes}"
            self.access_expires = time.time() + self.token_life
            return 200, {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": str(self.token_life),  # Zalo sends it as a string
            }

    def _serve_picture(self, handler: BaseHTTPRequestHandler, name: str) -> None:
        with self.lock:
            self.picture_requests[name] = self.picture_requests.get(name, 0) + 1
        answer, data = self.pictures.get(name, ("404", b""))
        if answer == "hang":
            self.stopping.wait(HANG_SECONDS)
            return
        if answer.startswith("redirect:") or answer == "loop":
            target = answer.split(":", 1)[1] if answer != "loop" else name
            handler.send_response(302)
            handler.send_header("Location", MEDIA_PATH + target)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if answer == "404":
            handler.send_error(404)
            return
        if answer == "html":
            data = b"<!doctype html><html><body>Not found</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        if answer in ("huge", "endless"):
            if answer == "huge":
                handler.send_header("Content-Length", str(HUGE_BYTES))
            handler.end_headers()
            _stream(handler, b"\xff\xd8\xff\xe0" + bytes(HUGE_BYTES - 4))
            return
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                if self.path.startswith(MEDIA_PATH):
                    fake._serve_picture(self, self.path[len(MEDIA_PATH) :])
                else:
                    self.send_error(404)

            def do_POST(self):  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == zalo.SEND_PATH:
                    status, body = fake._send(self.headers.get("access_token", ""), _json(raw))
                elif self.path == zalo.REFRESH_PATH:
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    status, body = fake._refresh(form)
                else:
                    status, body = 404, {"message": "not found"}
                if status == 0:  # hung: the client gave up long ago
                    return
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


def _stream(handler: BaseHTTPRequestHandler, data: bytes) -> None:
    """Send a large body until the client hangs up (as it should, past its size limit)."""
    try:
        for start in range(0, len(data), 64 * 1024):
            handler.wfile.write(data[start : start + 64 * 1024])
    except (BrokenPipeError, ConnectionResetError):
        pass


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def signed_event(payload: dict, *, app_id: str, secret_key: str) -> tuple[bytes, dict]:
    """A webhook request as Zalo sends it: the raw body and its signature header."""
    raw = json.dumps(payload, ensure_ascii=False).encode()
    signature = zalo.expected_signature(app_id, raw, str(payload["timestamp"]), secret_key)
    return raw, {zalo.SIGNATURE_HEADER: signature, "Content-Type": "application/json"}


def text_event(user_id: str, text: str, *, msg_id: str, oa_id: str, at_ms: int) -> dict:
    """A `user_send_text` event as Zalo's documentation shows it (ids as strings)."""
    return {
        "app_id": "app",
        "user_id_by_app": "uba" + user_id,
        "event_name": zalo.TEXT,
        "timestamp": str(at_ms),
        "sender": {"id": user_id},
        "recipient": {"id": oa_id},
        "message": {"msg_id": msg_id, "text": text},
    }


def image_event(user_id: str, url: str, *, msg_id: str, oa_id: str, at_ms: int) -> dict:
    return {
        "app_id": "app",
        "event_name": zalo.IMAGE,
        "timestamp": str(at_ms),
        "sender": {"id": user_id},
        "recipient": {"id": oa_id},
        "message": {
            "msg_id": msg_id,
            "text": "",
            "attachments": [{"type": "image", "payload": {"thumbnail": url, "url": url}}],
        },
    }


def follow_event(name: str, user_id: str, *, oa_id: str, at_ms: int) -> dict:
    """`follow` or `unfollow`."""
    return {
        "app_id": "app",
        "oa_id": oa_id,
        "event_name": name,
        "timestamp": str(at_ms),
        "source": "oa_profile",
        "follower": {"id": user_id},
    }
