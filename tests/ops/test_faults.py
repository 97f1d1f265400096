"""Faults in the middle of a burst, CI-sized (bench/reliability.py runs them full size).

After each: every webhook that got a 2xx has exactly one stored message, every text is stored
exactly once in the end (retried deliveries, and what Twilio gave up on after its 15 s of
retries through `nghedan twilio catch-up`), no outbound SMS reached the API twice, and every
queued one was sent once the fault ended.
"""

from __future__ import annotations

import pytest

from tests.ops.scenarios import (
    Load,
    database_outage,
    kill_workers,
    no_loss,
    sms_api_outage,
    sms_api_unanswered,
)
from tests.ops.stack import create_database
from tests.postgres import ThrowawayCluster


def assert_nothing_lost(stack, result: dict) -> None:
    print(result)  # shown with -s, and with the failure
    assert result["inbound_lost"] == 0, (result, stack.logs())
    assert result["stored_more_than_once"] == 0, result
    assert result["accepted_stored_once"] == result["webhooks_accepted"], result
    assert result["outbound_sent_twice_or_more"] == 0, result
    assert result["outbound_never_sent"] == 0, (result, stack.logs())
    assert result["outbound_sent_once"] == result["outbound_queued"], result
    assert result["outbound_rows_not_sent"] == 0, result
    assert no_loss(result)


def test_kill_9_of_a_web_worker_and_of_the_outbox_worker(pg_database, start_stack):
    stack = start_stack(pg_database, settings={"OUTBOX_CLAIM_MIN_SECONDS": 4})
    result = kill_workers(stack, Load(texts=160, outbound=80))
    assert_nothing_lost(stack, result)
    assert result["gunicorn_master_running"] and result["gunicorn_workers_after"] == 2
    assert result["webhooks_given_up_by_provider"] == 0  # every cut delivery was retried
    assert result["stored_before_catch_up"] == result["webhooks"]


@pytest.fixture
def own_cluster():
    """A cluster of this test's own, since the test stops and starts its server."""
    cluster = ThrowawayCluster().start()
    yield cluster
    cluster.stop()


def test_postgresql_down_for_30_seconds(own_cluster, start_stack):
    create_database(own_cluster.admin_url, "outage")
    # Sending at 2 a second, the outbox worker is still busy when the database goes away.
    stack = start_stack(
        own_cluster.url("outage"),
        settings={"OUTBOX_CLAIM_MIN_SECONDS": 4, "OUTBOX_SEND_RATE_PER_SECOND": 2},
    )
    result = database_outage(stack, own_cluster, Load(texts=160, outbound=80), seconds=30)
    # While the database is down a webhook is refused with a 5xx, so Twilio delivers it again.
    assert 500 <= result["webhook_status_while_down"] < 600, result
    assert result["healthz_while_down"] == 503 and result["healthz_after"] == 200
    assert 0 < result["outbound_sent_before_outage"] < result["outbound_queued"], result
    assert result["webhooks_answered_5xx_or_cut_then_retried"] >= 1
    # Twilio retries for 15 s at most: it gave up on the texts that came early in the outage,
    # and `nghedan twilio catch-up` stored them from its log afterwards.
    assert result["webhooks_given_up_by_provider"] >= 1, result
    assert result["stored_before_catch_up"] < result["webhooks"], result
    assert_nothing_lost(stack, result)
    assert result["outbox_workers_survived"] and result["gunicorn_master_running"]


def test_sms_api_failing_for_20_seconds(pg_database, start_stack):
    stack = start_stack(pg_database)
    result = sms_api_outage(stack, Load(texts=80, outbound=60), seconds=20)
    assert result["api_refusals_during_outage"] >= 60 and result["api_accepted_during_outage"] == 0
    assert_nothing_lost(stack, result)


@pytest.mark.parametrize("mode", ["accept-hang", "accept-drop"])
def test_sms_api_accepting_but_never_answering(pg_database, start_stack, mode):
    """The SMS API takes each message but the answer is lost (no answer before the client's
    1 s timeout, or the connection dropped): every message reaches a resident once."""
    stack = start_stack(
        pg_database, settings={"TWILIO_TIMEOUT_SECONDS": 1, "OUTBOX_BACKOFF_BASE_SECONDS": 4}
    )
    result = sms_api_unanswered(stack, Load(texts=40, outbound=30), mode=mode, seconds=10)
    assert result["api_accepted_unanswered"] >= 5, result
    assert result["api_lookups_before_resending"] >= result["api_accepted_unanswered"], result
    assert_nothing_lost(stack, result)
