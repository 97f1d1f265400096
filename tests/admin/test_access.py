"""Login, logout, sessions, throttling, and who may open which admin URL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from nghedan import create_app
from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Item, User
from nghedan.services.people.users import set_password
from tests.admin.conftest import login, page_csrf
from tests.conftest import TEST_SECRET
from tests.helpers import csrf_token


def _audits(app, action):
    with app.app_context():
        return _db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_login_page_has_the_two_fields_and_csrf(client):
    page = client.get("/admin/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page
    assert csrf_token(page)


def test_login_without_csrf_token_is_refused(client, world):
    response = client.post("/admin/login", data={"username": "admin1", "password": "x" * 12})
    assert response.status_code == 400


def test_login_goes_to_the_inbox_and_is_audited(client, app, world):
    response = login(client, "admin1")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/items"
    assert client.get("/admin/items").status_code == 200
    [entry] = _audits(app, "login")
    assert entry.remote_addr == "127.0.0.1"


def test_wrong_password_is_refused_and_recorded(client, app, world):
    response = login(client, "admin1", "sai-mat-khau-1")
    assert response.status_code == 200
    assert "không đúng" in response.get_data(as_text=True)
    assert client.get("/admin/items").status_code == 302
    assert len(_audits(app, "login_failed")) == 1


def test_unknown_user_gets_the_same_answer(client, world):
    response = login(client, "khong-co-ai", "sai-mat-khau-1")
    assert response.status_code == 200
    assert "không đúng" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/admin/users", "/admin/users"),
        ("https://evil.example/", "/admin/items"),
        ("//evil.example/x", "/admin/items"),
    ],
)
def test_next_only_goes_to_our_own_paths(client, world, target, expected):
    response = login(client, "admin1", next_url=target)
    assert response.headers["Location"] == expected


def test_account_is_throttled_after_repeated_failures(client, app, world):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert login(client, "officer1", "sai-mat-khau-1").status_code == 200
    blocked = login(client, "officer1")  # even the right password waits now
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.get_data(as_text=True)
    # Another account from another address is not affected.
    other = app.test_client()
    page = other.get("/admin/login").get_data(as_text=True)
    response = other.post(
        "/admin/login",
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
        data={"username": "admin1", "password": "mat-khau-dai-123", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302


def test_address_is_throttled_across_accounts(client, app, world):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for name in ("a", "b", "c"):
        login(client, f"khong-co-{name}", "sai-mat-khau-1")
    assert login(client, "admin1").status_code == 429


def test_logout_needs_post_and_ends_the_session(as_user, app):
    client = as_user("officer1")
    assert client.get("/admin/logout").status_code == 405
    response = client.post("/admin/logout", data={"csrf_token": page_csrf(client)})
    assert response.status_code == 302
    assert client.get("/admin/items").status_code == 302
    assert len(_audits(app, "logout")) == 1


def test_supervisor_can_log_out(as_user):
    client = as_user("super1")
    response = client.post("/admin/logout", data={"csrf_token": page_csrf(client)})
    assert response.status_code == 302
    assert client.get("/admin/items").status_code == 302


def test_password_change_logs_out_every_session(as_user, app, world):
    client = as_user("officer1")
    assert client.get("/admin/items").status_code == 200
    with app.app_context():
        user = _db.session.scalar(select(User).where(User.username == "officer1"))
        set_password(user, "mat-khau-moi-456")
        _db.session.commit()
    response = client.get("/admin/items")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_deactivated_user_can_not_log_in(client, app, world):
    with app.app_context():
        user = _db.session.scalar(select(User).where(User.username == "officer1"))
        user.active = False
        _db.session.commit()
    assert login(client, "officer1").status_code == 200
    assert client.get("/admin/items").status_code == 302


def test_session_cookie_flags(client, world):
    response = login(client, "admin1")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("NGHEDAN_ENV", "production")
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": TEST_SECRET})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


# Every admin URL: (method, path template). {item}, {other_item}, {user} are filled in.
ITEM_URLS = [
    ("GET", "/admin/items/{item}"),
    ("POST", "/admin/items/{item}/triage"),
    ("POST", "/admin/items/{item}/reply"),
    ("POST", "/admin/items/{item}/merge"),
    ("GET", "/admin/items/{secret}/sender"),
    ("POST", "/admin/items/{item}/progress"),
    ("POST", "/admin/items/{item}/resolve"),
    ("GET", "/admin/items/{item}/evidence/{item}"),
]
USER_URLS = [
    ("POST", "/admin/users/{user}/role"),
    ("POST", "/admin/users/{user}/password"),
    ("POST", "/admin/users/{user}/active"),
]
LIST_URLS = [
    ("GET", "/admin/"),
    ("GET", "/admin/items"),
    ("GET", "/admin/items.csv"),
    ("POST", "/admin/items/bulk"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("GET", "/admin/items/new"),
    ("POST", "/admin/items/new"),
    ("GET", "/admin/follow-up/officers"),
    ("POST", "/admin/logout"),
    ("GET", "/admin/password"),
    ("POST", "/admin/password"),
]
ALL_URLS = ITEM_URLS + USER_URLS + LIST_URLS


def _fill(template, world, app):
    with app.app_context():
        officer = _db.session.scalar(select(User).where(User.username == "officer1"))
        return template.format(item=world.item_id, secret=world.denunciation_id, user=officer.id)


def test_the_url_table_covers_every_route_of_this_area(app):
    mine = {
        "admin.auth",
        "admin.inbox",
        "admin.item_page",
        "admin.item_followup",
        "admin.intake",
        "admin.users",
    }
    rules = {
        re.sub(r"<int:\w+>", "X", rule.rule)
        for rule in app.url_map.iter_rules()
        if app.view_functions[rule.endpoint].__module__ in mine and rule.endpoint != "admin.login"
    }
    covered = {re.sub(r"\{\w+\}", "X", path) for _, path in ALL_URLS}
    assert rules <= covered, rules - covered


def test_every_admin_url_sends_anonymous_users_to_login(client, app, world):
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    paths = {(m, _fill(p, world, app)) for m, p in ALL_URLS}
    for rule in app.url_map.iter_rules():  # other areas' admin pages too
        if rule.endpoint.startswith("admin.") and rule.endpoint not in (
            "admin.login",
            "admin.static",
        ):
            path = re.sub(r"<(?:int:)?\w+>", "1", rule.rule)
            for method in rule.methods & {"GET", "POST"}:
                paths.add((method, path))
    for method, path in sorted(paths):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302, (method, path, response.status_code)
        assert response.headers["Location"].startswith("/admin/login?next="), (method, path)


def test_login_redirect_keeps_the_query(client, world):
    response = client.get("/admin/items?status=new&q=ngap")
    assert response.headers["Location"] == "/admin/login?next=/admin/items?status%3Dnew%26q%3Dngap"


def test_another_communes_admin_gets_404_on_our_rows(as_user, app, world):
    client = as_user("admin2")
    token = page_csrf(client)
    for method, template in ITEM_URLS + USER_URLS:
        path = _fill(template, world, app)
        response = client.open(
            path,
            method=method,
            data={
                "csrf_token": token,
                "other": 1,
                "body": "x",
                "role": "admin",
                "password": "mat-khau-dai-9",
            },
        )
        assert response.status_code == 404, (method, path, response.status_code)
    bulk = client.post(
        "/admin/items/bulk",
        data={"csrf_token": token, "ids": world.item_id, "action": "reject", "reject": "spam"},
    )
    assert bulk.status_code == 404


def test_another_communes_lists_never_show_our_items(as_user, app, world):
    client = as_user("admin2")
    with app.app_context():
        ours = _db.session.get(Item, world.item_id).tracking_code
        theirs = _db.session.get(Item, world.other_item_id).tracking_code
    for path in (
        "/admin/items",
        "/admin/items.csv",
        "/admin/items?q=ngap",
        f"/admin/items?commune={world.commune_id}",
        "/admin/users",
    ):
        body = client.get(path).get_data(as_text=True)
        assert ours not in body and "officer1" not in body, path
    assert theirs in client.get("/admin/items").get_data(as_text=True)


def test_officer_may_not_manage_users(as_user, app, world):
    client = as_user("officer1")
    token = page_csrf(client)
    assert client.get("/admin/users").status_code == 403
    for method, template in USER_URLS:
        response = client.open(
            _fill(template, world, app), method=method, data={"csrf_token": token}
        )
        assert response.status_code == 403


def test_supervisor_reads_supervised_communes_but_changes_nothing(as_user, app, world):
    client = as_user("super1")
    assert client.get(f"/admin/items/{world.item_id}").status_code == 200
    assert client.get(f"/admin/items/{world.other_item_id}").status_code == 404
    token = page_csrf(client)
    for method, template in ITEM_URLS + USER_URLS + [("POST", "/admin/items/bulk")]:
        if method == "POST":
            response = client.post(_fill(template, world, app), data={"csrf_token": token})
            assert response.status_code == 403, template
    assert client.get("/admin/users").status_code == 403


def test_supervisor_pages_have_no_change_forms(as_user, world):
    client = as_user("super1")
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert 'id="triage"' not in page and 'id="reply"' not in page
    assert 'id="bulk-action"' not in client.get("/admin/items").get_data(as_text=True)


def test_the_nav_links_every_area_that_exists(as_user, app):
    client = as_user("officer1")
    page = client.get("/admin/items").get_data(as_text=True)
    with app.test_request_context():
        from flask import url_for

        for endpoint in ("admin.items", "admin.dialogues", "admin.followup", "admin.reports"):
            if endpoint in app.view_functions:
                assert f'href="{url_for(endpoint)}"' in page, endpoint
        assert url_for("admin.users") not in page  # officers don't manage users
    assert 'class="sub-nav"' not in page


def _change_own_password(client, current, new, confirm=None):
    token = page_csrf(client, "/admin/password")
    return client.post(
        "/admin/password",
        data={"csrf_token": token, "current": current, "password": new, "confirm": confirm or new},
    )


@pytest.mark.parametrize("username", ["officer1", "super1"])
def test_own_password_change_keeps_this_session_and_ends_the_others(app, world, username):
    this, other = app.test_client(), app.test_client()
    for client in (this, other):
        assert login(client, username).status_code == 302
    wrong = _change_own_password(this, "khong-dung-123", "mat-khau-moi-456")
    assert "không đúng" in wrong.get_data(as_text=True)
    mismatch = _change_own_password(this, "mat-khau-dai-123", "mat-khau-moi-456", "khac-han-789")
    assert mismatch.status_code == 200
    assert other.get("/admin/items").status_code == 200  # nothing changed yet
    done = _change_own_password(this, "mat-khau-dai-123", "mat-khau-moi-456")
    assert done.status_code == 302
    assert this.get("/admin/items").status_code == 200
    assert other.get("/admin/items").status_code == 302
    assert login(app.test_client(), username, "mat-khau-moi-456").status_code == 302
    assert len(_audits(app, "user.password_changed")) == 1


# People and places, kiosks, SMS log: {officer}, {hamlet}, {kiosk}, {message} are rows of
# our commune (Tân Thạnh). The last element says who may use the URL.
PEOPLE_URLS = [
    ("GET", "/admin/officers", "all"),
    ("POST", "/admin/officers", "admin"),
    ("GET", "/admin/officers/{officer}", "admin"),
    ("POST", "/admin/officers/{officer}", "admin"),
    ("GET", "/admin/officers/{officer}/photo", "all"),
    ("POST", "/admin/officers/{officer}/photo", "admin"),
    ("POST", "/admin/officers/{officer}/deactivate", "admin"),
    ("GET", "/admin/commune", "all"),
    ("POST", "/admin/commune/settings", "admin"),
    ("POST", "/admin/commune/hamlets", "admin"),
    ("POST", "/admin/commune/hamlets/{hamlet}", "admin"),
    ("POST", "/admin/commune/hamlets/{hamlet}/active", "admin"),
    ("GET", "/admin/kiosks", "all"),
    ("POST", "/admin/kiosks", "admin"),
    ("POST", "/admin/kiosks/{kiosk}/renew", "admin"),
    ("POST", "/admin/kiosks/{kiosk}/revoke", "admin"),
    ("GET", "/admin/sms", "all"),
    ("POST", "/admin/sms/{message}/resend", "staff"),
]


@pytest.fixture
def our_rows(app, world):
    """An officer, a kiosk and a failed outgoing text of our commune; ids for PEOPLE_URLS."""
    from nghedan.models import Commune, Kiosk, Message
    from tests.factories import make_officer

    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        kiosk = Kiosk(commune_id=commune.id, name="Quầy một cửa")
        message = Message(
            direction="out",
            channel="twilio",
            phone="+84912345678",
            body="x",
            status="failed",
            commune_id=commune.id,
        )
        _db.session.add_all([kiosk, message])
        ids = {"officer": make_officer(commune).id, "hamlet": commune.hamlets[0].id}
        _db.session.flush()
        ids.update(kiosk=kiosk.id, message=message.id)
        _db.session.commit()
        return ids


def test_the_people_url_table_covers_every_route_of_those_pages(app):
    mine = {"admin.officers", "admin.commune", "admin.kiosks", "admin.sms_log"}
    rules = {
        (method, re.sub(r"<int:\w+>", "X", rule.rule))
        for rule in app.url_map.iter_rules()
        if app.view_functions[rule.endpoint].__module__ in mine
        for method in rule.methods & {"GET", "POST"}
    }
    covered = {(m, re.sub(r"\{\w+\}", "X", path)) for m, path, _ in PEOPLE_URLS}
    assert rules == covered, rules ^ covered


def test_people_pages_send_anonymous_users_to_login(client, our_rows):
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    for method, template, _ in PEOPLE_URLS:
        path = template.format(**our_rows)
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, path, response.status_code)
        assert response.headers["Location"].startswith("/admin/login?next="), path


def test_another_communes_admin_gets_404_on_our_people_rows(as_user, our_rows):
    client = as_user("admin2")
    token = page_csrf(client)
    for method, template, _ in PEOPLE_URLS:
        if "{" in template:
            path = template.format(**our_rows)
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize("username, allowed", [("officer1", {"all", "staff"}), ("super1", {"all"})])
def test_officers_and_supervisors_on_people_pages(as_user, our_rows, username, allowed):
    client = as_user(username)
    token = page_csrf(client)
    for method, template, who in PEOPLE_URLS:
        if template.endswith("/photo") and method == "GET":
            continue  # the officer has no photo: 404 for everyone
        path = template.format(**our_rows)
        response = client.open(path, method=method, data={"csrf_token": token})
        if who in allowed:
            assert response.status_code in (200, 302), (method, path, response.status_code)
        else:
            assert response.status_code == 403, (method, path, response.status_code)
