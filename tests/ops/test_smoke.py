"""Smoke test of a production deployment: gunicorn, PostgreSQL and the outbox worker as separate
processes, signed Twilio webhooks over HTTP, and an official's SMS reply reaching the (fake)
Twilio API exactly once."""

from __future__ import annotations

import http.client
import json
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode
from xml.etree import ElementTree

from sqlalchemy import select

from nghedan.models import Item, Message
from tests.helpers import csrf_token
from tests.ops.stack import (
    TOKEN,
    WEBHOOK,
    Delivery,
    get,
    post_form,
    signature,
    sms_form,
    wait_until,
)

RESIDENT = "+84912000111"


def empty_twiml(body: bytes) -> bool:
    root = ElementTree.fromstring(body)
    return root.tag == "Response" and len(root) == 0


def next_reply(stack, phone: str, seen: int) -> str:
    """The reply the worker sent `phone` after the `seen` sends it had before (waits)."""

    def sends():
        return [r.form.get("Body") for r in stack.fake.accepted() if r.form.get("To") == phone]

    assert wait_until(lambda: len(sends()) > seen, 30), stack.logs()
    return sends()[seen]


class Browser:
    """An official's browser: cookies kept by hand (production cookies are Secure-only, and
    this test speaks plain HTTP to 127.0.0.1 as nginx does behind TLS)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        return response.status, response.headers, response.read().decode()


def text(stack, body: str, seen: int, **kw) -> tuple[int, str]:
    """Deliver a text; the webhook's status and the reply the worker sent through the API."""
    delivery = stack.provider.deliver(Delivery(sms_form(body, sender=RESIDENT, **kw)))
    assert empty_twiml(delivery.reply)
    return delivery.statuses[-1], next_reply(stack, RESIDENT, seen)


def test_production_stack_answers_texts_and_sends_replies_once(pg_database, start_stack):
    stack = start_stack(pg_database)
    port = stack.gunicorn.port

    status, raw = get(port, "/healthz")
    health = json.loads(raw)
    assert status == 200 and health["status"] == "ok" and health["database"] == "ok"

    # A new opinion: the webhook answers empty TwiML at once; the worker's reply, sent
    # through Twilio's API, carries its tracking code.
    form = sms_form("Cong ranh ap Tan Phu bi nghet, nuoc tran vao nha dan.", sender=RESIDENT)
    delivery = stack.provider.deliver(Delivery(form))
    assert delivery.statuses == [200] and empty_twiml(delivery.reply), stack.logs()
    reply = next_reply(stack, RESIDENT, 0)
    code = re.search(r"\b(\d{8})\b", reply).group(1)

    # Twilio delivering the same text again stores nothing new and sends no second reply.
    again = stack.provider.deliver(Delivery(dict(form)))
    assert again.statuses == [200] and empty_twiml(again.reply)

    status, body = text(stack, f"TT {code}", 1)
    assert status == 200 and code in body
    status, body = text(stack, "DG 01 1", 2)
    assert status == 200 and body
    status, body = text(stack, "HD", 3)
    assert status == 200 and "TT" in body
    assert sum(1 for r in stack.fake.accepted() if r.form.get("To") == RESIDENT) == 4

    # Unsigned and wrongly signed deliveries are refused and not stored.
    refused = sms_form("khong ky", sender=RESIDENT)
    payload = urlencode(refused).encode()
    assert post_form(port, WEBHOOK, payload, {})[0] == 403
    wrong = {"X-Twilio-Signature": signature(refused, token=TOKEN + "x")}
    assert post_form(port, WEBHOOK, payload, wrong)[0] == 403

    counts = stack.db.inbound_counts()
    assert counts[form["MessageSid"]] == 1 and counts[refused["MessageSid"]] == 0
    assert sum(counts[sid] for sid in counts if sid) >= 4

    # An official answers the item from the admin panel; the outbox worker sends it once.
    item_id = stack.db.scalar(select(Item.id).where(Item.tracking_code == code))
    browser = Browser(port)
    _, _, page = browser.request("GET", "/admin/login")
    status, headers, _ = browser.request(
        "POST",
        "/admin/login",
        {"csrf_token": csrf_token(page), "username": "admin", "password": "nghedan-demo"},
    )
    assert status == 302, "login failed"
    _, _, page = browser.request("GET", f"/admin/items/{item_id}")
    answer = "Xã đã cho nạo vét cống ấp Tân Phú ngày 25/11. Cảm ơn bà con."
    status, _, _ = browser.request(
        "POST",
        f"/admin/items/{item_id}/reply",
        {"csrf_token": csrf_token(page), "body": answer, "confirm": "1"},
    )
    assert status == 302

    assert wait_until(lambda: stack.fake.sent_counts()[(RESIDENT, answer)] == 1, 30), stack.logs()
    assert wait_until(
        lambda: stack.db.scalar(select(Message.status).where(Message.body == answer)) == "sent", 10
    )
    assert stack.db.scalar(select(Message.provider_id).where(Message.body == answer)) in {
        r.sid for r in stack.fake.accepted()
    }
    # A few more polls of the worker change nothing: still exactly one send.
    assert not wait_until(lambda: stack.fake.sent_counts()[(RESIDENT, answer)] > 1, 2)
    assert stack.outbox[0].running and stack.gunicorn.running

    status, raw = get(port, "/healthz")
    assert status == 200 and json.loads(raw)["status"] == "ok"
