"""Logging out ends the session on the server's side: a copy of the cookie taken before
(a shared computer, a stolen cookie) no longer opens the panel."""

from __future__ import annotations

import pytest

from tests.admin.conftest import login, page_csrf


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


@pytest.mark.parametrize("username", ["officer1", "super1", "admin1"])
def test_a_copied_session_cookie_no_longer_works_after_logout(app, world, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    copied = _session_cookie(client)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/admin/items").status_code == 200  # the copy works while logged in
    assert client.post("/admin/logout", data={"csrf_token": page_csrf(client)}).status_code == 302
    response = thief.get("/admin/items")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert login(client, username).status_code == 302  # logging in again works
    assert client.get("/admin/items").status_code == 200
    assert thief.get("/admin/items").status_code == 302


def test_logging_out_without_the_form_token_ends_nothing(app, world):
    client = app.test_client()
    assert login(client, "officer1").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", _session_cookie(client))
    client.post("/admin/logout", data={})
    assert thief.get("/admin/items").status_code == 200
