"""The floor for bench/sms_webhook.py: what a Twilio webhook costs below our code.

`app`: the least a webhook can do and still keep every text: check the signature, store the
text in one INSERT … ON CONFLICT DO NOTHING and commit, answer a constant TwiML reply. No
ORM, no app hooks, no parsing: the raw `sqlite3` or psycopg connection of each gunicorn
worker. What is left between it and the real webhook (which does the same work) is our
Python: Flask with the app's hooks, Flask-SQLAlchemy's session and SQLAlchemy's execution.
"""

import os
import sqlite3

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
