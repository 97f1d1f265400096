"""A Zalo OA's tokens (sms_gateway/zalo_tokens.py): renewed before expiry, the single-use
refresh token spent once even when two workers need a token at the same moment, and a
failed renewal remembered for /healthz."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import SmsChannel, ZaloAccount, utcnow
from sms_gateway import zalo, zalo_tokens
from tests.factories import make_commune


@pytest.fixture
def fake(fake_zalo):
    return fake_zalo


@pytest.fixture
def client(fake):
    return zalo.ZaloClient(
        app_id="app",
        secret_key="secret",
        api_base_url=fake.base_url,
        oauth_base_url=fake.base_url,
        timeout=2,
    )


@pytest.fixture
def account_id(app):
    with app.app_context():
        commune = make_commune()
        channel = SmsChannel(kind="zalo", name="Zalo OA xã", commune_id=commune.id)
        account = ZaloAccount(
            channel=channel,
            app_id="app",
            oa_id="579745863508352884",
            secret_key="secret",
            access_token="AT-0",
            refresh_token="RT-0",
            access_expires_at=utcnow() + timedelta(hours=20),
        )
        _db.session.add(account)
        _db.session.commit()
        return account.id


def _account(app, account_id) -> ZaloAccount:
    with app.app_context():
        account = _db.session.scalar(select(ZaloAccount).where(ZaloAccount.id == account_id))
        _db.session.expunge(account)
        return account


def _expire_soon(app, account_id, minutes=5):
    with app.app_context():
        account = _db.session.get(ZaloAccount, account_id)
        account.access_expires_at = utcnow() + timedelta(minutes=minutes)
        _db.session.commit()


def test_a_fresh_token_is_used_as_it_is(app, account_id, fake, client):
    with app.app_context():
        assert zalo_tokens.access_token(account_id, client) == "AT-0"
    assert fake.refreshes == 0


def test_a_token_about_to_expire_is_renewed_and_the_new_pair_kept(app, account_id, fake, client):
    _expire_soon(app, account_id)
    with app.app_context():
        assert zalo_tokens.access_token(account_id, client) == "AT-1"
    account = _account(app, account_id)
    assert (account.access_token, account.refresh_token) == ("AT-1", "RT-1")
    assert account.access_expires_at > utcnow() + timedelta(hours=23)
    assert account.refresh_started_at is None and account.refresh_error is None
    with app.app_context():  # and used from then on
        assert zalo_tokens.access_token(account_id, client) == "AT-1"
    assert fake.refreshes == 1


def test_two_workers_needing_a_token_at_once_spend_the_refresh_token_once(
    app, account_id, fake, client
):
    _expire_soon(app, account_id)
    fake.refresh_delay = 0.5  # both workers arrive while the first renewal is under way
    tokens, errors = [], []

    def worker():
        try:
            with app.app_context():
                tokens.append(zalo_tokens.access_token(account_id, client))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert tokens == ["AT-1"] * 4
    assert (fake.refreshes, fake.refresh_reuse) == (1, 0)


def test_a_failed_renewal_is_remembered_and_the_lease_given_back(app, account_id, fake, client):
    _expire_soon(app, account_id)
    fake.refresh_answer = "500"
    with app.app_context(), pytest.raises(zalo.ZaloError):
        zalo_tokens.access_token(account_id, client)
    account = _account(app, account_id)
    assert account.refresh_failed_at is not None and "HTTP 500" in account.refresh_error
    assert account.refresh_started_at is None
    assert account.refresh_token == "RT-0"  # not spent: Zalo never answered with a new pair
    fake.refresh_answer = "ok"  # Zalo is back: the next need renews and clears the alert
    with app.app_context():
        assert zalo_tokens.access_token(account_id, client) == "AT-1"
    assert _account(app, account_id).refresh_error is None


def test_a_token_zalo_refuses_is_renewed_at_once(app, account_id, fake, client):
    with app.app_context():
        assert zalo_tokens.renew_now(account_id, client) == "AT-1"
        assert client.send_text(zalo_tokens.access_token(account_id, client), "u1", "x")
    assert fake.refreshes == 1


def test_tokens_an_official_saves_during_a_renewal_are_not_overwritten(
    app, account_id, fake, client
):
    _expire_soon(app, account_id)
    fake.refresh_delay = 0.5
    renewed = []
    worker = threading.Thread(
        target=lambda: renewed.append(_renew_in_context(app, account_id, client))
    )
    worker.start()
    time.sleep(0.2)  # the worker has spent RT-0 and waits for Zalo's answer
    with app.app_context():  # what the admin page and `nghedan zalo tokens` do
        account = _db.session.get(ZaloAccount, account_id)
        account.refresh_token, account.access_token = "RT-new", "AT-new"
        account.access_expires_at = utcnow() + timedelta(hours=24)
        account.refresh_started_at = None
        _db.session.commit()
    worker.join(10)
    assert renewed == ["AT-1"]  # the worker's own send still had a token
    account = _account(app, account_id)
    assert (account.access_token, account.refresh_token) == ("AT-new", "RT-new")


def _renew_in_context(app, account_id, client) -> str:
    with app.app_context():
        return zalo_tokens.access_token(account_id, client)
