"""A refusal escaping a view (nghedan/refusals.py): rolled back, then answered as the request
expects: the form again (422), JSON (422), or a message and the page it came from."""

from __future__ import annotations

import pytest
from flask import Blueprint, get_flashed_messages, render_template_string
from sqlalchemy import func, select

from nghedan.errors import ValidationError
from nghedan.extensions import csrf
from nghedan.extensions import db as _db
from nghedan.models import Contact
from nghedan.refusals import on_refusal

PHONE = "+84912345678"


@pytest.fixture
def app(app):
    probe = Blueprint("probe", __name__)

    def write_then_refuse():
        _db.session.add(Contact(phone=PHONE))
        _db.session.flush()
        raise ValidationError("Số điện thoại không hợp lệ.")

    @probe.post("/probe/form")
    def form():
        on_refusal(lambda e: render_template_string("<p>form again: {{ m }}</p>", m=e.message))
        write_then_refuse()

    @probe.route("/probe/plain", methods=["GET", "POST"])
    def plain():
        write_then_refuse()

    @probe.get("/probe/messages")
    def messages():
        return " | ".join(get_flashed_messages())

    csrf.exempt(probe)  # what is probed is the refusal, not the form's token
    app.register_blueprint(probe)
    return app


def _contacts(app) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count(Contact.id)))


def test_a_form_the_domain_refuses_comes_back_with_the_message_and_nothing_is_kept(app, client):
    response = client.post("/probe/form")
    assert response.status_code == 422
    assert "form again: Số điện thoại không hợp lệ." in response.get_data(as_text=True)
    assert _contacts(app) == 0


def test_a_refusal_without_a_form_goes_back_to_the_page_it_came_from(app, client):
    response = client.post("/probe/plain", headers={"Referer": "http://localhost/probe/messages"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/probe/messages"
    assert client.get("/probe/messages").get_data(as_text=True) == "Số điện thoại không hợp lệ."
    assert _contacts(app) == 0


@pytest.mark.parametrize("referrer", ["https://evil.example/x", None])
def test_without_one_of_our_pages_to_go_back_to_the_message_has_a_page_of_its_own(
    app, client, referrer
):
    headers = {"Referer": referrer} if referrer else {}
    response = client.post("/probe/plain", headers=headers)
    assert response.status_code == 422
    assert "Số điện thoại không hợp lệ." in response.get_data(as_text=True)
    assert _contacts(app) == 0


def test_a_refused_fetch_gets_json(app, client):
    response = client.post("/probe/plain", headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert response.get_json() == {"error": "Số điện thoại không hợp lệ.", "code": "invalid"}
    assert _contacts(app) == 0


def test_a_page_refused_on_its_own_address_shows_the_message_instead_of_looping(app, client):
    response = client.get("/probe/plain", headers={"Referer": "http://localhost/probe/plain"})
    assert response.status_code == 422
    assert "Số điện thoại không hợp lệ." in response.get_data(as_text=True)
    assert _contacts(app) == 0
