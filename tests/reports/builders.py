"""Test data for reports: ratings and dialogues at chosen times."""

from __future__ import annotations

from datetime import UTC, datetime

from nghedan.extensions import db
from nghedan.models import Dialogue, Rating


def at(day: str, hour: int = 3) -> datetime:
    """A UTC time on a day (03:00 UTC is 10:00 in Vietnam, the same local day)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def add_ratings(officer, scores, when: datetime, *, channel: str = "kiosk",
                reasons=(), comment: str | None = None) -> None:
    """One rating per score in `scores`, all at `when`."""
    for score in scores:
        db.session.add(Rating(commune_id=officer.commune_id, officer_id=officer.id, score=score,
                              reasons=list(reasons) if score >= 3 else [], comment=comment,
                              channel=channel, created_at=when))
    db.session.flush()


def add_dialogue(commune, hamlets, when: datetime, *, status: str = "held",
                 attendance: int | None = None, published: datetime | None = None,
                 kind: str = "dialogue") -> Dialogue:
    dialogue = Dialogue(commune_id=commune.id, kind=kind, place="Nhà văn hóa ấp",
                        starts_at=when, status=status, attendance=attendance,
                        held_at=when if status == "held" else None,
                        notice_published_at=published)
    dialogue.hamlets = list(hamlets)
    db.session.add(dialogue)
    db.session.flush()
    return dialogue
