"""Test data for reports: ratings and dialogues at chosen times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import AgendaEntry, Dialogue, Hamlet, Rating
from nghedan.services.reports.satisfaction import Period
from tests.factories import make_item


def at(day: str, hour: int = 3) -> datetime:
    """A UTC time on a day (03:00 UTC is 10:00 in Vietnam, the same local day)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def add_ratings(
    officer,
    scores,
    when: datetime,
    *,
    channel: str = "kiosk",
    reasons=(),
    comment: str | None = None,
) -> None:
    """One rating per score in `scores`, all at `when`."""
    for score in scores:
        db.session.add(
            Rating(
                commune_id=officer.commune_id,
                officer_id=officer.id,
                score=score,
                reasons=list(reasons) if score >= 3 else [],
                comment=comment,
                channel=channel,
                created_at=when,
            )
        )
    db.session.flush()


def add_dialogue(
    commune,
    hamlets,
    when: datetime,
    *,
    status: str = "held",
    attendance: int | None = None,
    published: datetime | None = None,
    kind: str = "dialogue",
    number: str | None = None,
    chair: str = "",
) -> Dialogue:
    dialogue = Dialogue(
        commune_id=commune.id,
        kind=kind,
        place="Nhà văn hóa ấp",
        starts_at=when,
        status=status,
        attendance=attendance,
        held_at=when if status == "held" else None,
        notice_published_at=published,
        notice_number=number,
        chair_name=chair,
    )
    dialogue.hamlets = list(hamlets)
    db.session.add(dialogue)
    db.session.flush()
    return dialogue


def add_agenda(dialogue: Dialogue, outcomes) -> None:
    """One item on the dialogue's agenda per outcome (None: left unanswered there)."""
    for position, outcome in enumerate(outcomes):
        item = make_item(
            dialogue.commune,
            f"Ý kiến {position} tại buổi {dialogue.id}",
            hamlet_id=dialogue.hamlets[0].id,
        )
        item.dialogue_id, item.outcome = dialogue.id, outcome
        item.status = "scheduled" if outcome is None else "answered"
        item.answered_at = None if outcome is None else dialogue.starts_at
        item.created_at = dialogue.starts_at - timedelta(days=1)
        db.session.add(AgendaEntry(dialogue_id=dialogue.id, item_id=item.id, position=position))
    db.session.flush()


@dataclass(frozen=True)
class SeededQuarter:
    commune_id: int
    other_commune_id: int
    period: Period
    dialogue_ids: dict  # name in the seed -> id


def seed_quarter(commune, other_commune, now: datetime) -> SeededQuarter:
    """A quarter around `now` holding every supervision case, in `commune`.

    Held with the notice on time (D1: Ấp Tân Phú, 4 opinions), late (D2: Ấp Tân Hòa, one of two
    opinions answered), missing (D3: Ấp Mới and Ấp Tân Phú together), not yet due (D4: Ấp Bắc,
    whose households are unknown); cancelled (D5); overdue (D6: Ấp Bắc); still to come (D7:
    Ấp Mới); a meeting with voters (V1: Ấp Đông, which had no dialogue); one dialogue before
    the period and one of another commune (its notice on time), neither counted.
    """
    hamlets = _hamlets(
        commune,
        {
            "Ấp Tân Phú": (400, 1000),
            "Ấp Tân Hòa": (300, None),
            "Ấp Mới": (200, 500),
            "Ấp Bắc": (None, None),
            "Ấp Đông": (150, 400),
        },
    )
    day = timedelta(days=1)
    d = {}
    d["D1"] = add_dialogue(
        commune,
        [hamlets["Ấp Tân Phú"]],
        now - 50 * day,
        attendance=120,
        published=now - 47 * day,
        number="12/TB-UBND",
        chair="Nguyễn Văn Chủ",
    )
    add_agenda(d["D1"], ["resolved", "explained", "commune_will_resolve", "escalated"])
    d["D2"] = add_dialogue(
        commune,
        [hamlets["Ấp Tân Hòa"]],
        now - 40 * day,
        attendance=90,
        published=now - 24 * day,
        number="15/TB-UBND",
    )
    add_agenda(d["D2"], ["resolved", None])
    d["D3"] = add_dialogue(
        commune, [hamlets["Ấp Mới"], hamlets["Ấp Tân Phú"]], now - 20 * day, attendance=150
    )
    d["D4"] = add_dialogue(commune, [hamlets["Ấp Bắc"]], now - 3 * day, attendance=30)
    d["D5"] = add_dialogue(commune, [hamlets["Ấp Bắc"]], now - 30 * day, status="cancelled")
    d["D6"] = add_dialogue(commune, [hamlets["Ấp Bắc"]], now - 8 * day, status="planned")
    d["D7"] = add_dialogue(commune, [hamlets["Ấp Mới"]], now + 10 * day, status="planned")
    d["V1"] = add_dialogue(
        commune, [hamlets["Ấp Đông"]], now - 15 * day, attendance=200, kind="voters"
    )
    add_agenda(d["V1"], ["resolved"])
    d["before"] = add_dialogue(
        commune, [hamlets["Ấp Đông"]], now - 100 * day, attendance=999, published=now - 98 * day
    )
    d["other"] = add_dialogue(
        other_commune,
        other_commune.hamlets[:1],
        now - 10 * day,
        attendance=77,
        published=now - 8 * day,
    )
    period = Period(local(now - 60 * day).date(), local(now + 30 * day).date())
    return SeededQuarter(
        commune.id, other_commune.id, period, {name: x.id for name, x in d.items()}
    )


def _hamlets(commune, wanted: dict) -> dict:
    """The commune's hamlets by name, those missing added, with households and adults set."""
    have = {h.name: h for h in commune.hamlets}
    for name, (households, adults) in wanted.items():
        hamlet = have.get(name) or Hamlet(commune_id=commune.id, name=name, kind="ap")
        hamlet.households, hamlet.adults = households, adults
        db.session.add(hamlet)
        have[name] = hamlet
    db.session.flush()
    return have
