"""Admin-panel fixtures: two communes, a user of each role, logging in through the form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from werkzeug.security import generate_password_hash

from nghedan.extensions import db as _db
from nghedan.models import Commune, Item, User
from tests.factories import make_commune, make_item
from tests.helpers import csrf_token

PASSWORD = "mat-khau-dai-123"


@cache
def password_hash() -> str:
    """PASSWORD hashed once per test session (scrypt is slow on purpose)."""
    return generate_password_hash(PASSWORD)


@dataclass
class World:
    commune_id: int
    other_commune_id: int
    item_id: int
    other_item_id: int
    denunciation_id: int


@pytest.fixture
def world(app) -> World:
    """Tân Thạnh (ours) and Mỹ Hòa (another commune), their users and a few items."""
    with app.app_context():
        ours = make_commune("Tân Thạnh", code="tan-thanh")
        other = make_commune("Mỹ Hòa", hamlets=("Ấp Một",), code="my-hoa")
        for username, role, commune in (
            ("admin1", "admin", ours),
            ("officer1", "officer", ours),
            ("admin2", "admin", other),
        ):
            _db.session.add(
                User(
                    username=username,
                    role=role,
                    commune_id=commune.id,
                    full_name=username.title(),
                    password_hash=password_hash(),
                )
            )
        _db.session.add(
            User(
                username="super1",
                role="supervisor",
                password_hash=password_hash(),
                supervised_communes=[ours],
            )
        )
        item = make_item(
            ours,
            "Đường ấp Tân Phú bị ngập nước, xe không đi được.",
            contact_phone="0912345678",
            contact_name="Nguyễn Văn An",
            channel="sms",
            hamlet_id=ours.hamlets[0].id,
        )
        other_item = make_item(other, "Đất đai bị lấn chiếm ở ấp Một.", contact_phone="0987654321")
        secret = make_item(
            ours,
            "Tố cáo cán bộ địa chính nhận tiền.",
            legal_type="denunciation",
            contact_phone="0901234567",
            contact_name="Người Tố Cáo",
        )
        _db.session.commit()
        return World(ours.id, other.id, item.id, other_item.id, secret.id)


def login(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    """Log in through the real form (CSRF included); returns the POST's response."""
    url = "/admin/login" + (f"?next={next_url}" if next_url else "")
    page = client.get(url).get_data(as_text=True)
    return client.post(
        url, data={"username": username, "password": password, "csrf_token": csrf_token(page)}
    )


@pytest.fixture
def as_user(client, world):
    """as_user("officer1") logs the test client in and returns it."""

    def _login(username: str):
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


def page_csrf(client, url: str = "/admin/items") -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


__all__ = ["Commune", "Item", "User", "login", "page_csrf", "PASSWORD"]
