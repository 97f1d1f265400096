"""Dialogues against their plan: the per-dialogue register and the figures communes report.

"Planned" is every dialogue planned for the period, whatever became of it (held, cancelled,
still pending); a planned one whose day has passed without being held is overdue. Meetings
with voters (kind "voters") are the deputies' meetings, not the commune's dialogues: they
are counted apart and never in the dialogues' figures. A held dialogue's conclusion notice
is on time when issued within the deadline (`DIALOGUE_NOTICE_REMINDER_DAYS`, 7 days after
the dialogue's day by default), late after it, missing when the deadline passed without it.

A period holds a few dialogues per commune (about one a fortnight per commune), so the
register is read with four statements whatever its length, and the figures add up its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import AgendaEntry, Commune, Dialogue, Hamlet, Item, dialogue_hamlets, utcnow
from nghedan.models.people import Officer
from nghedan.services.reports.satisfaction import Period

ON_THE_SPOT = ("resolved", "explained")  # answered at the meeting itself
NOTICE_STATES = ("on_time", "late", "missing", "not_due")


@dataclass(frozen=True)
class DialogueEntry:
    """One dialogue (or meeting with voters) of the register."""

    id: int
    commune_id: int
    commune: str
    kind: str
    status: str
    starts_at: datetime
    chair: str
    attendance: int | None
    notice_number: str | None
    notice_published_at: datetime | None
    hamlets: tuple[str, ...] = ()
    households: int | None = None  # of the hamlets covered, when every one is known
    adults: int | None = None
    opinions: int = 0  # items on its agenda, those raised in the room included
    outcomes: dict = field(default_factory=dict)  # outcome -> items answered so here
    overdue: bool = False  # planned, its day passed, not held
    notice_state: str | None = None  # NOTICE_STATES, for held dialogues
    notice_delay_days: float | None = None  # from the meeting to the published notice

    @property
    def is_voters(self) -> bool:
        return self.kind == "voters"

    @property
    def on_the_spot(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in ON_THE_SPOT)

    @property
    def to_resolve(self) -> int:
        return self.outcomes.get("commune_will_resolve", 0)

    @property
    def escalated(self) -> int:
        return self.outcomes.get("escalated", 0)

    @property
    def household_rate(self) -> float | None:
        return _rate(self.attendance, self.households) if self.status == "held" else None

    @property
    def adult_rate(self) -> float | None:
        return _rate(self.attendance, self.adults) if self.status == "held" else None


def _rate(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None


@dataclass(frozen=True)
class DialogueFigures:
    """What a commune reports upward about its dialogues over a period."""

    planned: int = 0  # every dialogue planned for the period: held, cancelled, pending
    held: int = 0
    cancelled: int = 0
    overdue: int = 0  # its day passed without being held
    pending: int = 0  # planned for a day still to come
    attendance: int = 0  # lượt người, at held dialogues
    # Attendance over the held dialogues whose hamlets' households (adults) are all known,
    # and those households (adults): the bases of the attendance rates.
    attendance_of_households: int = 0
    households: int = 0
    attendance_of_adults: int = 0
    adults: int = 0
    opinions: int = 0
    on_the_spot: int = 0
    to_resolve: int = 0
    escalated: int = 0
    notices_on_time: int = 0
    notices_late: int = 0
    notices_missing: int = 0
    notices_not_due: int = 0
    notice_delay_days: float | None = None  # mean, over the issued notices

    @property
    def answered(self) -> int:
        """Opinions given an outcome at the dialogue (on the spot, to resolve, escalated)."""
        return self.on_the_spot + self.to_resolve + self.escalated

    @property
    def notices(self) -> int:
        return self.notices_on_time + self.notices_late

    @property
    def without_notice(self) -> int:
        return self.notices_missing + self.notices_not_due

    @property
    def household_rate(self) -> float | None:
        return _rate(self.attendance_of_households, self.households)

    @property
    def adult_rate(self) -> float | None:
        return _rate(self.attendance_of_adults, self.adults)

    @property
    def problems(self) -> int:
        """What a supervisor looks at first: overdue dialogues and missing notices."""
        return self.overdue + self.notices_missing


def figures_of(entries) -> DialogueFigures:
    """The figures of some register rows (all of one kind: dialogues, or voters' meetings)."""
    entries = list(entries)
    held = [e for e in entries if e.status == "held"]
    states = [e.notice_state for e in held]
    delays = [e.notice_delay_days for e in held if e.notice_delay_days is not None]
    with_households = [e for e in held if e.households and e.attendance is not None]
    with_adults = [e for e in held if e.adults and e.attendance is not None]
    return DialogueFigures(
        planned=len(entries),
        held=len(held),
        cancelled=sum(e.status == "cancelled" for e in entries),
        overdue=sum(e.overdue for e in entries),
        pending=sum(e.status == "planned" and not e.overdue for e in entries),
        attendance=sum(e.attendance or 0 for e in held),
        attendance_of_households=sum(e.attendance for e in with_households),
        households=sum(e.households for e in with_households),
        attendance_of_adults=sum(e.attendance for e in with_adults),
        adults=sum(e.adults for e in with_adults),
        opinions=sum(e.opinions for e in held),
        on_the_spot=sum(e.on_the_spot for e in held),
        to_resolve=sum(e.to_resolve for e in held),
        escalated=sum(e.escalated for e in held),
        **{f"notices_{state}": states.count(state) for state in NOTICE_STATES},
        notice_delay_days=sum(delays) / len(delays) if delays else None,
    )


def notice_deadline_days() -> int:
    """Days after the dialogue within which its conclusion notice is due."""
    return int(current_app.config["DIALOGUE_NOTICE_REMINDER_DAYS"])


def register(
    commune_ids, period: Period, now: datetime | None = None, deadline_days: int | None = None
) -> list[DialogueEntry]:
    """Every dialogue and meeting with voters planned for the period, by day; four statements."""
    now = now or utcnow()
    deadline_days = notice_deadline_days() if deadline_days is None else deadline_days
    begin, after = period.bounds
    scope = (
        Dialogue.commune_id.in_(list(commune_ids)),
        Dialogue.starts_at >= begin,
        Dialogue.starts_at < after,
    )
    ids = select(Dialogue.id).where(*scope).scalar_subquery()
    hamlets = _hamlets_of(ids)
    opinions = dict(
        db.session.execute(
            select(AgendaEntry.dialogue_id, func.count())
            .where(AgendaEntry.dialogue_id.in_(ids))
            .group_by(AgendaEntry.dialogue_id)
        ).all()
    )
    outcomes: dict[int, dict] = {}
    for dialogue_id, outcome, n in db.session.execute(
        select(Item.dialogue_id, Item.outcome, func.count())
        .where(Item.dialogue_id.in_(ids), Item.outcome.is_not(None))
        .group_by(Item.dialogue_id, Item.outcome)
    ):
        outcomes.setdefault(dialogue_id, {})[outcome] = n
    chair = func.coalesce(func.nullif(Dialogue.chair_name, ""), Officer.name, "")
    rows = db.session.execute(
        select(
            Dialogue.id,
            Dialogue.commune_id,
            Commune.name,
            Dialogue.kind,
            Dialogue.status,
            Dialogue.starts_at,
            chair,
            Dialogue.attendance,
            Dialogue.notice_number,
            Dialogue.notice_published_at,
            Dialogue.held_at,
        )
        .join(Commune, Commune.id == Dialogue.commune_id)
        .outerjoin(Officer, Officer.id == Dialogue.chair_officer_id)
        .where(*scope)
        .order_by(Dialogue.starts_at, Dialogue.id)
    ).all()
    today = local(now).date()
    return [
        _entry(
            row,
            hamlets.get(row[0], []),
            opinions.get(row[0], 0),
            outcomes.get(row[0], {}),
            today,
            deadline_days,
        )
        for row in rows
    ]


def _hamlets_of(dialogue_ids) -> dict[int, list[tuple]]:
    """{dialogue id: [(name, households, adults), …]} for the dialogues selected."""
    out: dict[int, list[tuple]] = {}
    for dialogue_id, name, households, adults in db.session.execute(
        select(dialogue_hamlets.c.dialogue_id, Hamlet.name, Hamlet.households, Hamlet.adults)
        .join(Hamlet, Hamlet.id == dialogue_hamlets.c.hamlet_id)
        .where(dialogue_hamlets.c.dialogue_id.in_(dialogue_ids))
        .order_by(Hamlet.name)
    ):
        out.setdefault(dialogue_id, []).append((name, households, adults))
    return out


def _known_sum(values) -> int | None:
    """The sum when every value is known, else None (a partial base would inflate the rate)."""
    values = list(values)
    return sum(values) if values and all(v for v in values) else None


def _entry(
    row, hamlets: list[tuple], opinions: int, outcomes: dict, today: date, deadline_days: int
) -> DialogueEntry:
    (
        dialogue_id,
        commune_id,
        commune,
        kind,
        status,
        starts_at,
        chair,
        attendance,
        number,
        published,
        held_at,
    ) = row
    state = delay = None
    if status == "held" and kind != "voters":  # the deputies', not the commune's, to report
        state = _notice_state(
            local(starts_at).date() + timedelta(days=deadline_days), published, today
        )
        if published is not None:
            delay = (published - (held_at or starts_at)).total_seconds() / 86400
    return DialogueEntry(
        dialogue_id,
        commune_id,
        commune,
        kind,
        status,
        starts_at,
        chair or "",
        attendance,
        number,
        published,
        tuple(h[0] for h in hamlets),
        _known_sum(h[1] for h in hamlets),
        _known_sum(h[2] for h in hamlets),
        opinions,
        outcomes,
        overdue=status == "planned" and local(starts_at).date() < today,
        notice_state=state,
        notice_delay_days=delay,
    )


def _notice_state(deadline: date, published: datetime | None, today: date) -> str:
    if published is not None:
        return "on_time" if local(published).date() <= deadline else "late"
    return "missing" if today > deadline else "not_due"
