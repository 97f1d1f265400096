"""What /healthz reports beyond "the database answers": the outbox and the SMS channels."""

from __future__ import annotations

from sqlalchemy import func, select

from nghedan.extensions import db
from nghedan.models import Message, utcnow


def sms_health() -> dict:
    """Outbox backlog, age of the oldest unsent message, last inbound time per channel kind,
    and the health of each configured SMS channel."""
    backlog, oldest = db.session.execute(
        select(func.count(Message.id), func.min(Message.created_at)).where(
            Message.direction == "out", Message.status.in_(("queued", "sending"))
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite aggregates lose the type
        from datetime import UTC, datetime

        oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=UTC)
    last_inbound = {
        channel: _iso(at)
        for channel, at in db.session.execute(
            select(Message.channel, func.max(Message.created_at))
            .where(Message.direction == "in")
            .group_by(Message.channel)
        )
    }
    from nghedan.services.sms.channels import channels_health

    return {
        "outbox_backlog": backlog,
        "oldest_unsent_seconds": round((utcnow() - oldest).total_seconds()) if oldest else None,
        "last_inbound": last_inbound,
        # Per configured channel: state, last ping, last inbound, failed sends in the last hour.
        "channels": [row.as_json() for row in channels_health()],
    }


def _iso(value) -> str | None:
    return None if value is None else str(value).replace(" ", "T")
