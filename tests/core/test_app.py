import pytest
from sqlalchemy import select

from nghedan import create_app
from nghedan.config import ConfigurationError
from nghedan.models import Commune, User
from tests.conftest import TEST_SECRET


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["sms"] == {
        "worker": {
            "running": False,  # no `nghedan worker` in this test: said, still 200
            "last_seen_seconds": None,
            "inbound_waiting": 0,
            "oldest_inbound_waiting_seconds": None,
            "alerts": ["worker_not_running"],
        },
        "alerts": ["worker_not_running"],
        "outbox_backlog": 0,
        "oldest_unsent_seconds": None,
        "last_inbound": {},
        "channels": [],
        "zalo_token_failures": [],
    }


def test_healthz_reports_outbox_backlog_and_last_inbound(client, db):
    from datetime import timedelta

    from nghedan.models import Message, utcnow
    from nghedan.services.sms.outbox import queue_sms

    queued = queue_sms("+84912345678", "Xin chào", kind="notice")
    queued.created_at = utcnow() - timedelta(minutes=5)
    db.add(
        Message(
            direction="in", channel="twilio", phone="+84912345678", body="gy", status="processed"
        )
    )
    db.commit()
    sms = client.get("/healthz").get_json()["sms"]
    assert sms["outbox_backlog"] == 1
    assert 290 <= sms["oldest_unsent_seconds"] <= 400
    assert set(sms["last_inbound"]) == {"twilio"}


def test_healthz_is_503_without_a_database(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
            "SECRET_KEY": TEST_SECRET,
            "TESTING": True,
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_front_page_is_vietnamese_first_and_switches_to_english(client):
    page = client.get("/").get_data(as_text=True)
    assert "Nghe dân nói, nói dân hiểu, làm cho dân tin" in page
    switched = client.get("/lang/en?next=/")
    assert switched.status_code == 302 and switched.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Listen to residents" in page
    assert '<html lang="en">' in page


def test_language_switch_never_redirects_elsewhere(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get("/lang/vi", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_development_secret_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    key_file = tmp_path / "key"
    assert first.config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert not key_file.exists()


@pytest.mark.parametrize("secret", [None, "", "changeme", "short"])
def test_production_refuses_missing_or_default_secret(monkeypatch, secret):
    monkeypatch.setenv("NGHEDAN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"DATABASE_URL": "sqlite://"}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(config)


def test_production_refuses_debug(monkeypatch):
    monkeypatch.setenv("NGHEDAN_ENV", "production")
    with pytest.raises(ConfigurationError, match="debug"):
        create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": TEST_SECRET, "DEBUG": True})


def test_production_with_a_real_secret_starts_with_secure_cookies(monkeypatch):
    monkeypatch.setenv("NGHEDAN_ENV", "production")
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": TEST_SECRET})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://xa.example.vn")
    monkeypatch.setenv("NGHEDAN_SMS_JOIN_WINDOW_SECONDS", "300")
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": TEST_SECRET})
    assert app.config["PUBLIC_BASE_URL"] == "https://xa.example.vn"
    assert app.config["SMS_JOIN_WINDOW_SECONDS"] == 300


def test_postgres_urls_use_psycopg3():
    app = create_app({"DATABASE_URL": "postgresql://u@h/db", "SECRET_KEY": TEST_SECRET})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    from sqlalchemy import text

    from nghedan.extensions import db

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": TEST_SECRET})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.rollback()


def test_seed_demo_twice_and_cli_user(runner, app):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["seed-demo"])
    assert "demo commune loaded" in result.output and "admin / nghedan-demo" in result.output
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "already present" in result.output
    result = runner.invoke(
        args=["user", "create", "--username", "Thu", "--role", "officer", "--password-stdin"],
        input="mat-khau-dai\n",
    )
    assert result.exit_code == 0, result.output  # --commune defaults to the only commune
    result = runner.invoke(
        args=["user", "create", "--username", "x", "--role", "officer", "--password-stdin"],
        input="ngan\n",
    )
    assert result.exit_code != 0 and "ít nhất 8" in result.output
    with app.app_context():
        from nghedan.extensions import db

        commune = db.session.scalar(select(Commune))
        assert len(commune.hamlets) == 6
        user = db.session.scalar(select(User).where(User.username == "thu"))
        assert user.commune_id == commune.id and user.role == "officer"


def test_demo_has_the_promised_shape(runner, app):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        from sqlalchemy import func

        from nghedan.extensions import db
        from nghedan.models import Dialogue, Item, Officer, Rating

        count = lambda m: db.session.scalar(select(func.count()).select_from(m))  # noqa: E731
        assert count(Officer) == 8
        assert count(Dialogue) == 2
        assert 40 <= count(Item) <= 60
        assert count(Rating) == 200
        channels = set(db.session.scalars(select(Item.channel).distinct()))
        assert {"sms", "kiosk", "admin"} <= channels
        statuses = set(db.session.scalars(select(Item.status).distinct()))
        assert {"new", "triaged", "scheduled", "answered", "closed"} <= statuses


def test_security_headers_on_every_page(client):
    for path in ("/", "/healthz", "/khong-co"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_hsts_behind_tls(client):
    headers = client.get("/", base_url="https://xa.example.vn").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_one_json_log_line_per_request_without_query_or_personal_data(client):
    import io
    import json
    import logging

    from nghedan.logs import JsonLineFormatter, log_event

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    logging.getLogger("nghedan").addHandler(handler)
    try:
        client.get("/khong-co?q=0912345678")
        log_event("sms_in", phone="+84912345678", body="bí mật", channel="twilio")
    finally:
        logging.getLogger("nghedan").removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_line = next(line for line in lines if line["event"] == "request")
    assert request_line["path"] == "/khong-co" and request_line["status"] == 404
    assert "0912345678" not in json.dumps(lines)
    sms_line = next(line for line in lines if line["event"] == "sms_in")
    assert sms_line["channel"] == "twilio" and "phone" not in sms_line and "body" not in sms_line
    assert logging.getLogger("nghedan").propagate is False


def test_a_nul_byte_in_a_query_or_form_is_a_400_not_a_crash(client):
    assert client.get("/open311/v2/requests.json?jurisdiction_id=%00").status_code == 400
    assert client.get("/t/1234%005678").status_code in (400, 404)
    assert client.get("/?q=a%00b").status_code == 400
    login = client.post("/admin/login", data={"username": "a\x00", "password": "x"})
    assert login.status_code == 400
