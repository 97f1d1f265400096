"""A fake of Twilio's Messages API on 127.0.0.1, for the real twilio client to talk to.

Each `To` number can be told how to answer: 201 (accepted), 400 with a Twilio error code,
429, 500, hang (answer nothing until the client's timeout has passed), or accept the
message and then never answer (`accept-hang`) or drop the connection (`accept-drop`), as a
provider that took it but whose answer was lost. Every request
is recorded, so tests can count what was really sent. `GET …/Messages.json?To=…` lists
the accepted messages, newest first, as Twilio's Messages list does.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from tests.sms_gateway.scripted_api import ScriptedApi

HANG_SECONDS = 3.0  # longer than the client timeout the tests configure


@dataclass(frozen=True)
class Received:
    path: str
    form: dict
    sid: str | None
    date_created: str | None = None  # RFC 2822, as Twilio writes dates


class FakeTwilio(ScriptedApi):
    """Answers "201", "400:<code>", "429", "500" or "hang" per `To` number."""

    def __init__(self):
        self.received: list[Received] = []
        super().__init__()

    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.sid]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                answer = fake._next_answer(form.get("To", ""))
                if answer == "hang":
                    fake.stopping.wait(HANG_SECONDS)
                    with fake.lock:
                        fake.received.append(Received(self.path, form, None))
                    return
                status, payload, sid = fake._payload(answer.removeprefix("accept-"), form)
                if answer.startswith("accept-"):  # accepted, but the answer never arrives
                    with fake.lock:
                        fake.received.append(
                            Received(self.path, form, sid, payload.get("date_created"))
                        )
                    if answer == "accept-hang":
                        fake.stopping.wait(HANG_SECONDS)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                with fake.lock:
                    fake.received.append(
                        Received(self.path, form, sid, payload.get("date_created"))
                    )
                self._json(status, payload)

            def do_GET(self):  # noqa: N802 - http.server's naming
                path, _, query = self.path.partition("?")
                if not path.endswith("/Messages.json"):
                    self._json(404, {"status": 404, "message": "not found"})
                    return
                to = parse_qs(query).get("To", [None])[0]
                with fake.lock:
                    accepted = [r for r in reversed(fake.received) if r.sid]
                records = [
                    {
                        "sid": r.sid,
                        "to": r.form.get("To"),
                        "body": r.form.get("Body"),
                        "status": "sent",
                        "date_created": r.date_created,
                    }
                    for r in accepted
                    if to is None or r.form.get("To") == to
                ]
                self._json(
                    200,
                    {
                        "messages": records,
                        "start": 0,
                        "end": len(records),
                        "page": 0,
                        "page_size": 50,
                        "uri": path,
                        "first_page_uri": path,
                        "next_page_uri": None,
                        "previous_page_uri": None,
                    },
                )

            def _json(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args):
                pass

        return Handler

    @staticmethod
    def _payload(answer: str, form: dict) -> tuple[int, dict, str | None]:
        if answer in ("201", "hang", "drop"):
            sid = "SM" + uuid.uuid4().hex
            return (
                201,
                {
                    "sid": sid,
                    "status": "queued",
                    "to": form.get("To"),
                    "from": form.get("From"),
                    "body": form.get("Body"),
                    "date_created": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
                },
                sid,
            )
        status, _, code = answer.partition(":")
        payload = {
            "status": int(status),
            "message": f"fake error {answer}",
            "more_info": "https://www.twilio.com/docs/errors",
        }
        if code:
            payload["code"] = int(code)
        return int(status), payload, None
