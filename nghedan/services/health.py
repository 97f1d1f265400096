"""What /healthz reports beyond "the database answers": the worker, the inbound texts waiting
for it, the outbox and the SMS channels."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from nghedan.extensions import db
from nghedan.models import Message, WorkerHeartbeat, utcnow

# Alerts (codes, for monitoring; the admin panel says them in words).
WORKER_NOT_RUNNING = "worker_not_running"
INBOUND_WAITING = "inbound_waiting_too_long"
ZALO_TOKEN_FAILED = "zalo_token_refresh_failed"


def sms_health() -> dict:
    """Worker heartbeat, inbound texts waiting, outbox backlog, age of the oldest unsent
    message, last inbound time per channel kind, and the health of each configured channel."""
    from flask import current_app

    backlog, oldest = db.session.execute(
        select(func.count(Message.id), func.min(Message.created_at)).where(
            Message.direction == "out", Message.status.in_(("queued", "sending"))
        )
    ).one()
    last_inbound = {
        channel: _iso(at)
        for channel, at in db.session.execute(
            select(Message.channel, func.max(Message.created_at))
            .where(Message.direction == "in")
            .group_by(Message.channel)
        )
    }
    from nghedan.services.sms.channels import channels_health

    worker = worker_health(current_app.config)
    zalo = zalo_health()
    return {
        "worker": worker,
        "alerts": worker["alerts"] + ([ZALO_TOKEN_FAILED] if zalo else []),
        # Zalo OAs whose token renewal failed (someone must authorise the app again).
        "zalo_token_failures": zalo,
        "outbox_backlog": backlog,
        "oldest_unsent_seconds": _rounded(_age(oldest)),
        "last_inbound": last_inbound,
        # Per configured channel: state, last ping, last inbound, failed sends in the last hour.
        "channels": [row.as_json() for row in channels_health()],
    }


def zalo_health() -> list[dict]:
    """Each Zalo OA whose last token renewal failed: when and why (never a token)."""
    from nghedan.models import ZaloAccount

    return [
        {"oa_id": oa_id, "failed_at": _iso(at), "error": error}
        for oa_id, at, error in db.session.execute(
            select(
                ZaloAccount.oa_id, ZaloAccount.refresh_failed_at, ZaloAccount.refresh_error
            ).where(ZaloAccount.refresh_error.is_not(None))
        )
    ]


def worker_health(config: Mapping) -> dict:
    """Whether a worker was seen recently, and how long received texts wait for one."""
    seen = db.session.scalar(select(func.max(WorkerHeartbeat.seen_at)))
    waiting, oldest = db.session.execute(
        select(func.count(Message.id), func.min(Message.created_at)).where(
            Message.direction == "in", Message.status == "received"
        )
    ).one()
    seen_ago, oldest_age = _age(seen), _age(oldest)
    alerts = []
    if seen_ago is None or seen_ago > float(config.get("WORKER_STALE_SECONDS", 60)):
        alerts.append(WORKER_NOT_RUNNING)
    if oldest_age is not None and oldest_age > float(config.get("INBOUND_WAIT_ALERT_SECONDS", 60)):
        alerts.append(INBOUND_WAITING)
    return {
        "running": WORKER_NOT_RUNNING not in alerts,
        "last_seen_seconds": _rounded(seen_ago),
        "inbound_waiting": waiting,
        "oldest_inbound_waiting_seconds": _rounded(oldest_age),
        "alerts": alerts,
    }


def worker_alerts() -> list[str]:
    """The worker's alerts in words, for the admin panel's banner."""
    from flask import current_app
    from flask_babel import gettext as _

    words = {
        WORKER_NOT_RUNNING: _(
            "Bộ xử lý tin nhắn (nghedan worker) không chạy: tin nhắn đến được lưu nhưng "
            "chưa được trả lời, tin nhắn đi chưa được gửi."
        ),
        INBOUND_WAITING: _("Có tin nhắn đến chờ xử lý quá lâu."),
    }
    return [words[alert] for alert in worker_health(current_app.config)["alerts"]]


def worker_name() -> str:
    """This process as a worker: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def beat(name: str) -> None:
    """Record that the worker `name` is alive (in the caller's transaction)."""
    heartbeat = db.session.get(WorkerHeartbeat, name)
    if heartbeat is None:
        db.session.add(WorkerHeartbeat(name=name))
    else:
        heartbeat.seen_at = utcnow()


def forget(name: str) -> None:
    """The worker `name` stopped cleanly."""
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.name == name))


def _age(moment) -> float | None:
    if moment is None:
        return None
    if isinstance(moment, str) or moment.tzinfo is None:  # SQLite aggregates lose the type
        moment = datetime.fromisoformat(str(moment)).replace(tzinfo=UTC)
    return (utcnow() - moment).total_seconds()


def _rounded(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds)


def _iso(value) -> str | None:
    return None if value is None else str(value).replace(" ", "T")
