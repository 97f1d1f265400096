"""The floor for bench/sms_webhook.py: a bare Flask route answering a constant TwiML reply."""

from flask import Flask, Response

TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Da nhan y kien, ma tra cuu '
    "12345671. Nhan TT 12345671 de xem ket qua.</Message></Response>"
)

app = Flask(__name__)


@app.post("/sms/twilio")
def constant_twiml():
    return Response(TWIML, mimetype="text/xml")
