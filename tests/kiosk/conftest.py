"""Kiosk fixtures: a commune with officers, and a test client enrolled as its kiosk."""

from __future__ import annotations

import re

import pytest

from nghedan.models import Kiosk
from nghedan.services.people import kiosks
from tests.factories import make_commune, make_officer


@pytest.fixture
def commune(db):
    commune = make_commune(sms_number="+84868000115")
    make_officer(commune, "01", "Nguyễn Thị Lan")
    make_officer(commune, "02", "Trần Văn Hùng", title="Công chức Địa chính", desk="Quầy 2")
    db.commit()
    return commune


@pytest.fixture
def enrollment(db, commune):
    enrollment = kiosks.add_kiosk(commune_id=commune.id, name="Quầy một cửa")
    db.commit()
    return enrollment


@pytest.fixture
def kiosk_client(client, enrollment):
    """A browser enrolled as the commune's kiosk."""
    response = client.get(f"/kiosk/enroll/{enrollment.token}")
    assert response.status_code == 302
    return client


def kiosk_row(db, kiosk_id: int) -> Kiosk:
    db.expire_all()
    return db.get(Kiosk, kiosk_id)


SCREEN_KEY = re.compile(r'name="screen_key" value="([0-9a-f]{32})"')


def form_fields(html: str) -> dict:
    """The CSRF token and the screen's idempotency key of a rendered kiosk form."""
    from tests.helpers import csrf_token

    return {"csrf_token": csrf_token(html), "screen_key": SCREEN_KEY.search(html).group(1)}
