"""HTTP fixtures for the dialogue pages: the admin panel's world of users and communes."""

from __future__ import annotations

import pytest

from tests.admin.conftest import PASSWORD, World, login, world  # noqa: F401 - fixture reuse


@pytest.fixture
def as_user(client, world):  # noqa: F811
    """as_user("officer1") logs the test client in and returns it."""

    def _login(username: str):
        response = login(client, username, PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login
