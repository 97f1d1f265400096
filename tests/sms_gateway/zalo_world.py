"""A commune with its Zalo OA connected, and signed events to post to `/zalo/webhook`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from nghedan.extensions import db as _db
from nghedan.models import Commune, SmsChannel, ZaloAccount, utcnow
from tests.conftest import base_config
from tests.factories import make_commune
from tests.sms_gateway.fake_zalo import signed_event

APP_ID, OA_ID, SECRET = "4291763606161179100", "579745863508352884", "oa-secret-key"
WEBHOOK = "/zalo/webhook"


@dataclass(frozen=True)
class ZaloWorld:
    commune_id: int
    account_id: int


def zalo_config(database_url: str, fake, **more) -> dict:
    """Settings pointing the OA client at a fake Zalo on loopback."""
    return {
        **base_config(database_url),
        "ZALO_API_BASE_URL": fake.base_url,
        "ZALO_OAUTH_BASE_URL": fake.base_url,
        "ZALO_TIMEOUT_SECONDS": 1,
        **more,
    }


def make_zalo_world(app, commune_id: int | None = None) -> ZaloWorld:
    with app.app_context():
        commune = _db.session.get(Commune, commune_id) if commune_id else make_commune()
        account = ZaloAccount(
            channel=SmsChannel(kind="zalo", name="Zalo OA xã", commune_id=commune.id),
            app_id=APP_ID,
            oa_id=OA_ID,
            secret_key=SECRET,
            access_token="AT-0",
            refresh_token="RT-0",
            access_expires_at=utcnow() + timedelta(hours=20),
        )
        _db.session.add(account)
        _db.session.commit()
        return ZaloWorld(commune.id, account.id)


def now_ms() -> int:
    return int(time.time() * 1000)


def post_event(client, payload: dict, *, secret: str = SECRET):
    raw, headers = signed_event(payload, app_id=APP_ID, secret_key=secret)
    return client.post(WEBHOOK, data=raw, headers=headers)
