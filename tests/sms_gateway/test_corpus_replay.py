"""The whole corpus through Twilio's webhook: each text has the effect its meaning says."""

from __future__ import annotations

from tests.sms_gateway.conftest import post_sms, reply_of
from tests.sms_gateway.replay import replay


def test_the_corpus_through_the_twilio_webhook(db, client, commune):
    def send(body: str, sender: str):
        return reply_of(post_sms(client, body, sender=sender))

    assert replay(send, db) == []
