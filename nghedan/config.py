"""Settings: defaults, then an optional instance/config.py, then environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

# Settings read from plain environment variables (the contract in DESIGN.md).
ENV_SETTINGS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "PUBLIC_BASE_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM_NUMBER",
    "TWILIO_MESSAGING_SERVICE_SID",
    "TWILIO_API_BASE_URL",
    "SMS_BACKEND",
    "NGHEDAN_ENV",
)

# Values that must never reach production as a secret.
KNOWN_WEAK_SECRETS = {"", "dev", "changeme", "change-me", "secret", "development", "test"}


class ConfigurationError(RuntimeError):
    """A setting is missing or unsafe; the message tells the operator what to do."""


class Defaults:
    NGHEDAN_ENV = "development"
    DATABASE_URL = None  # None: an SQLite file in the instance folder
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    PUBLIC_BASE_URL = None
    PROXY_FIX_HOPS = 0  # trust X-Forwarded-* from this many proxies in front of us
    # Kiosk: idle reset, its visible countdown, the thank-you pause, repeat ratings ignored.
    KIOSK_IDLE_SECONDS = 60
    KIOSK_COUNTDOWN_SECONDS = 10
    KIOSK_THANKS_SECONDS = 6
    KIOSK_RATING_WINDOW_SECONDS = 20
    KIOSK_RETRY_SECONDS = 5  # how often an offline kiosk tries again to send
    KIOSK_LANGUAGE_SWITCH = True  # False: no "English" button on the kiosk (Vietnamese only)
    OFFICER_PHOTO_DIR = None  # None: instance/officer_photos; Officer.photo_path is relative
    OFFICER_PHOTO_MAX_BYTES = 1024 * 1024  # an uploaded photo (JPEG or PNG) at most this big
    ITEM_EVIDENCE_MAX_BYTES = 1536 * 1024  # a resolved item's evidence; under MAX_CONTENT_LENGTH
    # A spoken opinion: files under RECORDING_DIR (None: instance/recordings), at most this long
    # and this big (Opus at 24 kbit/s: two minutes is about 360 KB); under MAX_CONTENT_LENGTH.
    RECORDING_DIR = None
    RECORDING_MAX_SECONDS = 120
    RECORDING_MAX_BYTES = 1536 * 1024
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session (kiosks stay open)
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    ITEM_TEXT_MAX_LENGTH = 5000
    SMS_BACKEND = None  # "console" or "twilio"; unset: twilio once its credentials are set
    TWILIO_ACCOUNT_SID = None
    TWILIO_AUTH_TOKEN = None
    TWILIO_FROM_NUMBER = None
    TWILIO_MESSAGING_SERVICE_SID = None
    TWILIO_API_BASE_URL = None
    SMS_JOIN_WINDOW_SECONDS = 600  # texts from one phone this close together join one item
    RATING_REPEAT_WINDOW_SECONDS = 600  # the same phone rating the same officer counts once
    # SMS gateway: flood guard, outbox worker, quiet hours (see README, section SMS).
    SMS_FLOOD_LIMIT = 10  # more texts than this from one phone in the window: stored, unanswered
    SMS_FLOOD_WINDOW_SECONDS = 600
    SMS_QUIET_HOURS = "21:00-07:00"  # local time with no notices; "" sends at any hour
    # Direct answers go out at any hour (opt_out_ack: the answer to HUY / STOP).
    SMS_QUIET_EXEMPT_KINDS = ("reply", "receipt", "kiosk_receipt", "opt_out_ack")
    OUTBOX_BATCH_SIZE = 20
    OUTBOX_MAX_ATTEMPTS = 6
    OUTBOX_BACKOFF_BASE_SECONDS = 30  # doubles with each attempt, with jitter
    OUTBOX_BACKOFF_MAX_SECONDS = 3600
    OUTBOX_SEND_RATE_PER_SECOND = 1.0  # per worker process
    OUTBOX_POLL_SECONDS = 5
    OUTBOX_CLAIM_MIN_SECONDS = 120  # a dead worker's claimed messages are due again after this
    WORKER_PROCESSES = 1  # `nghedan worker` processes side by side (PostgreSQL: more texts/s)
    TWILIO_TIMEOUT_SECONDS = 10
    # Local SMS channels (Android phone gateway, GSM modem): see README, "Local SMS gateways".
    ANDROID_SIGNATURE_MAX_AGE_SECONDS = 300  # X-Timestamp further off than this is refused
    ANDROID_DUPLICATE_WINDOW_SECONDS = 120  # same phone and text this close: one text
    ANDROID_TIMEOUT_SECONDS = 10  # one request to the phone's API
    # Zalo Official Account (a channel per commune: nghedan zalo add); see deploy/DEPLOY.md.
    ZALO_WEBHOOK_MAX_AGE_SECONDS = 900  # an event whose timestamp is further off is refused
    ZALO_REPLY_WINDOW_HOURS = 168  # consultation messages only this long after their last message
    ZALO_API_BASE_URL = "https://openapi.zalo.me"
    ZALO_OAUTH_BASE_URL = "https://oauth.zaloapp.com"
    ZALO_TIMEOUT_SECONDS = 10  # one request to Zalo, or for a picture a resident sent
    ZALO_IMAGE_HTTPS_ONLY = True  # pictures are fetched only over https (tests: a fake on http)
    GAMMU_SETTLE_SECONDS = 5  # inbox files younger than this may still be being written
    GAMMU_OUTBOX_STUCK_SECONDS = 600  # a text waiting this long in its outbox: modem down
    SMS_CHANNEL_DOWN_AFTER_FAILURES = 3  # consecutive failed sends before a channel is avoided
    SMS_CHANNEL_RETRY_AFTER_SECONDS = 300  # …for this long after its last failure
    SMS_CHANNEL_PING_MAX_AGE_SECONDS = 1800  # a pinging phone silent this long is down
    # Dialogues: invitations N days before, reminder the day before, notice overdue after N days.
    DIALOGUE_INVITATION_DAYS = 5
    DIALOGUE_NOTICE_REMINDER_DAYS = 7
    DIALOGUE_INVITE_HAMLET_CONTACTS = False  # also tell every opted-in contact of the hamlets
    DIALOGUE_SLOT_DAYS = 14  # spacing of the suggested rotation
    NOTICE_SYMBOL = "TB-UBND"  # after the number of a conclusion notice: 15/TB-UBND
    SQLITE_BUSY_TIMEOUT_MS = 10000
    DB_POOL_SIZE = 5
    DB_MAX_OVERFLOW = 10
    # Admin login throttling: failures counted over a sliding window, per account and address.
    LOGIN_THROTTLE_WINDOW_SECONDS = 900
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    # Public status pages (/t/): wrong codes per address and window (kiosk/lookup_throttle.py).
    PUBLIC_LOOKUP_MAX_MISSES = 20
    PUBLIC_LOOKUP_WINDOW_SECONDS = 600
    ADMIN_PAGE_SIZE = 50
    SMS_PRICE_PER_PART = 350  # đồng per SMS part, shown to officials before they reply
    # Admins who may add communes to this deployment (usernames; NGHEDAN_DEPLOYMENT_ADMINS
    # takes "lan,binh" or a JSON list). `nghedan commune add` needs no such account.
    DEPLOYMENT_ADMINS = ()


def load_settings(app: Flask, overrides: dict | None) -> None:
    """Fill app.config from defaults, instance/config.py, the environment and overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for name in ENV_SETTINGS:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env(prefix="NGHEDAN")
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    _settle_secret_key(app)
    if is_production(app):
        _refuse_unsafe_production(app)


def is_production(app: Flask) -> bool:
    return str(app.config.get("NGHEDAN_ENV", "")).lower() == "production"


def database_uri(app: Flask) -> str:
    """The SQLAlchemy URL; PostgreSQL URLs are pointed at psycopg 3."""
    url = app.config.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        return "sqlite:///" + os.path.join(app.instance_path, "nghedan.db")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(config) -> dict:
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": config["SQLITE_BUSY_TIMEOUT_MS"] / 1000}}
    return {
        "pool_pre_ping": True,
        "pool_size": int(config["DB_POOL_SIZE"]),
        "max_overflow": int(config["DB_MAX_OVERFLOW"]),
    }


def _settle_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY") or is_production(app):
        return
    # Development: one random key, generated once and kept in the instance folder.
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def _refuse_unsafe_production(app: Flask) -> None:
    key = app.config.get("SECRET_KEY") or ""
    if key.lower() in KNOWN_WEAK_SECRETS or len(key) < 32:
        raise ConfigurationError(
            "NGHEDAN_ENV=production needs SECRET_KEY set to a random value of at least 32 "
            "characters, e.g. the output of: "
            "python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if app.debug:
        raise ConfigurationError("NGHEDAN_ENV=production refuses to start with debug on.")
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = True
