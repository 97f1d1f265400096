"""Floors for bench/sms_webhook.py: what a Twilio webhook costs below our code.

`app`: the least a webhook can do and still keep every text: check the signature, store the
text in one INSERT and commit, answer a constant TwiML reply. No ORM, no app hooks, no
parsing: the raw `sqlite3` or psycopg connection of each gunicorn worker.

`schema_app` (SQLite): the same, but the database work of our webhook for a new opinion, as
the real one sends it (captured from it): the text, the sender's state, the contact, the item
(with its search-index triggers), its history entry and the reply, in nghedan's migrated
schema, through the raw `sqlite3` connection. What is left between it and the real webhook is
our Python: Flask with the app's hooks, SQLAlchemy and the services.
"""

import os
import random
import sqlite3
from datetime import UTC, datetime, timedelta

from flask import Flask, Response, request
from twilio.request_validator import RequestValidator

from bench.sms_webhook_bare import TWIML

URL = os.environ["DATABASE_URL"]
VALIDATOR = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
PUBLIC_BASE_URL = os.environ["PUBLIC_BASE_URL"]
CREATE = (
    "CREATE TABLE IF NOT EXISTS floor_texts "
    "(sid VARCHAR(64) PRIMARY KEY, phone VARCHAR(32), body TEXT)"
)

app = Flask(__name__)
_connection = None


def connection():
    """This worker's connection, set up as nghedan's own (WAL, synchronous=NORMAL)."""
    global _connection
    if _connection is None:
        if URL.startswith("sqlite"):
            _connection = sqlite3.connect(URL.split("///", 1)[1], timeout=10, isolation_level=None)
            _connection.execute("PRAGMA journal_mode=WAL")
            _connection.execute("PRAGMA synchronous=NORMAL")
            _connection.execute(CREATE)
        else:
            import psycopg

            _connection = psycopg.connect(URL.replace("postgresql+psycopg", "postgresql"))
            _connection.execute(CREATE)
            _connection.commit()
    return _connection


def _signed(form) -> bool:
    return VALIDATOR.validate(
        PUBLIC_BASE_URL + request.path, form, request.headers.get("X-Twilio-Signature", "")
    )


@app.post("/sms/twilio")
def store_and_answer():
    form = request.form
    if not _signed(form):
        return Response("forbidden\n", status=403)
    conn = connection()
    values = (form["MessageSid"], form["From"], form["Body"])
    if isinstance(conn, sqlite3.Connection):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO floor_texts VALUES (?, ?, ?) ON CONFLICT DO NOTHING", values)
        conn.execute("COMMIT")
    else:
        conn.execute("INSERT INTO floor_texts VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", values)
        conn.commit()
    return Response(TWIML, mimetype="text/xml")


schema_app = Flask("floor_schema", root_path=os.path.dirname(__file__))

_INSERT_MESSAGE = (
    "INSERT INTO messages (direction, channel, provider_id, phone, service_number, body, parts, "
    "encoding, status, kind, flagged, commune_id, attempts, created_at, updated_at) "
    "VALUES ('in', 'twilio', ?, ?, ?, ?, 1, 'UCS-2', 'received', 'inbound', 0, 1, 0, ?, ?) "
    "ON CONFLICT DO NOTHING RETURNING id"
)
_SENDER_STATE = (
    "SELECT (SELECT count(messages.id) FROM messages WHERE messages.phone = ? "
    "AND messages.direction = 'in' AND messages.created_at >= ? AND messages.id != ?), "
    "(SELECT language FROM contacts WHERE phone = ?), "
    "(SELECT opted_out FROM contacts WHERE phone = ?), "
    "(SELECT items.id FROM items WHERE items.contact_phone = ? AND items.commune_id = 1 "
    "AND items.channel = 'sms' AND items.last_message_at >= ? AND items.status = 'new' "
    "ORDER BY items.last_message_at DESC LIMIT 1)"
)
_INSERT_CONTACT = (
    "INSERT INTO contacts (phone, language, opted_out, created_at) "
    "VALUES (?, 'vi', 0, ?) ON CONFLICT DO NOTHING"
)
_INSERT_ITEM = (
    "INSERT INTO items (tracking_code, channel, commune_id, legal_type, text, text_folded, "
    "contact_phone, status, flagged, created_at, updated_at, last_message_at) "
    "VALUES (?, 'sms', 1, 'opinion', ?, ?, ?, 'new', 0, ?, ?, ?) "
    "ON CONFLICT DO NOTHING RETURNING id"
)
_INSERT_EVENT = (
    "INSERT INTO item_events (item_id, at, actor, kind, to_status, detail) "
    "VALUES (?, ?, 'sms', 'created', 'new', 'null') RETURNING id"
)
_UPDATE_MESSAGE = (
    "UPDATE messages SET status = 'processed', reply_body = ?, item_id = ?, "
    "updated_at = ? WHERE messages.id = ?"
)


@schema_app.post("/sms/twilio")
def store_item_and_answer():
    form = request.form
    if not _signed(form):
        return Response("forbidden\n", status=403)
    conn = connection()
    sid, phone, body = form["MessageSid"], form["From"], form["Body"]
    now = datetime.now(UTC).replace(tzinfo=None)
    stamp, ten_minutes_ago = str(now), str(now - timedelta(minutes=10))
    code = str(random.randrange(10_000_000, 99_999_999))
    conn.execute("BEGIN IMMEDIATE")
    message_id = conn.execute(
        _INSERT_MESSAGE, (sid, phone, form["To"], body, stamp, stamp)
    ).fetchone()[0]
    conn.execute(
        _SENDER_STATE, (phone, ten_minutes_ago, message_id, phone, phone, phone, ten_minutes_ago)
    ).fetchone()
    conn.execute(_INSERT_CONTACT, (phone, stamp))
    item_id = conn.execute(
        _INSERT_ITEM, (code, body, body.lower(), phone, stamp, stamp, stamp)
    ).fetchone()[0]
    conn.execute(_INSERT_EVENT, (item_id, stamp)).fetchone()
    conn.execute(
        _UPDATE_MESSAGE, (f"Da nhan y kien, ma tra cuu {code}.", item_id, stamp, message_id)
    )
    conn.execute("COMMIT")
    return Response(TWIML, mimetype="text/xml")
