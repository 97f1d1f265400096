"""Activity reports: dialogues, attendance, notices, and what became of residents' items.

The dialogues' figures add up the per-dialogue register (`report_dialogues`).

The items of a period are read with conditional sums grouped by commune (the figures) and,
for the page's breakdowns, counted per (channel, category, legal type, hamlet) in the same
statement (its shape depends on the engine, see `item_tally`); Python only adds up the
grouped rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Integer, and_, case, cast, func, literal, null, or_, select, union_all

from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import Category, Commune, Dialogue, Hamlet, Item, dialogue_hamlets, utcnow
from nghedan.models.base import UTCDateTime
from nghedan.models.items import OPEN_STATUSES
from nghedan.services.reports import dialogues as report_dialogues
from nghedan.services.reports.dialogues import DialogueEntry, DialogueFigures
from nghedan.services.reports.satisfaction import Period, count_if, days_between, dialect

DEFAULT_TARGET_DAYS = 15  # when an item has no category
BREAKDOWNS = ("channel", "category", "legal_type", "hamlet")
FIGURES = ("received", "answered", "answered_at_dialogue", "on_time", "overdue", "escalated_open")


@dataclass(frozen=True)
class ItemFigures:
    received: int = 0
    answered: int = 0
    answered_at_dialogue: int = 0
    on_time: int = 0
    overdue: int = 0
    escalated_open: int = 0

    def share(self, part: int, whole: int | None = None) -> float | None:
        whole = self.received if whole is None else whole
        return part / whole if whole else None


@dataclass(frozen=True)
class CommuneActivity:
    commune_id: int
    commune: str
    dialogues: DialogueFigures
    items: ItemFigures
    hamlets_without_dialogue: list[str] = field(default_factory=list)
    voters: DialogueFigures = DialogueFigures()  # meetings with voters, never dialogues
    register: list[DialogueEntry] = field(default_factory=list)  # both kinds, by day

    @property
    def dialogue_entries(self) -> list[DialogueEntry]:
        return [e for e in self.register if not e.is_voters]

    @property
    def voters_entries(self) -> list[DialogueEntry]:
        return [e for e in self.register if e.is_voters]

    @property
    def overdue_hamlets(self) -> list[str]:
        """Hamlets of the dialogues whose day passed without being held."""
        return sorted({h for e in self.dialogue_entries if e.overdue for h in e.hamlets})


def dialogue_figures(
    commune_ids, period: Period, now: datetime | None = None
) -> dict[int, DialogueFigures]:
    """Dialogues planned for the period (meetings with voters left out), per commune."""
    by_commune: dict[int, list[DialogueEntry]] = {}
    for entry in report_dialogues.register(commune_ids, period, now):
        if not entry.is_voters:
            by_commune.setdefault(entry.commune_id, []).append(entry)
    return {cid: report_dialogues.figures_of(entries) for cid, entries in by_commune.items()}


@dataclass(frozen=True)
class ItemTally:
    """The period's figures per commune and items received per breakdown key.

    `received` rows are (channel, category_id, legal_type, hamlet_id, count) over all the
    communes together (the breakdowns are of the whole scope).
    """

    per_commune: dict[int, ItemFigures]
    received: list[tuple]

    def figures(self) -> dict[int, ItemFigures]:
        """Per commune."""
        return self.per_commune

    def breakdown(self, by: str) -> list[tuple[str, int]]:
        """Items received per channel, category, legal type or hamlet, most first."""
        position = BREAKDOWNS.index(by)
        counts: dict = {}
        for row in self.received:
            counts[row[position]] = counts.get(row[position], 0) + row[-1]
        names = _names(by, list(counts))
        pairs = [(names.get(k, k) if k is not None else "", n) for k, n in counts.items()]
        return sorted(pairs, key=lambda pair: (-pair[1], str(pair[0])))


def _item_scope(commune_ids, period: Period) -> list:
    """Items received in the period, spam left out (a range of `ix_items_report`)."""
    begin, after = period.bounds
    return [
        Item.commune_id.in_(list(commune_ids)),
        Item.created_at >= begin,
        Item.created_at < after,
        Item.status != "rejected",
    ]


def _voters_meetings(commune_ids) -> list[int]:
    """The communes' meetings with voters: an item answered there was not answered at a dialogue."""
    return list(
        db.session.scalars(
            select(Dialogue.id).where(
                Dialogue.commune_id.in_(list(commune_ids)), Dialogue.kind == "voters"
            )
        )
    )


def _figure_columns(now: datetime | None, commune_ids) -> list:
    """Received, answered, …, escalated and open (FIGURES' order), as sums over items.

    The categories' target days enter as constants (a CASE over the few categories), not
    as a join; days to answer are computed only for answered items. Meetings with voters
    enter as a constant list of ids (a few a year per commune).
    """
    now = now or utcnow()
    targets = dict(db.session.execute(select(Category.id, Category.target_days)).all())
    target = _by_category(targets, literal(DEFAULT_TARGET_DAYS))
    # Open items created before their category's deadline (as of now) are overdue.
    deadline = _by_category(
        {cid: literal(now - timedelta(days=days), UTCDateTime) for cid, days in targets.items()},
        literal(now - timedelta(days=DEFAULT_TARGET_DAYS), UTCDateTime),
    )
    answered = Item.answered_at.is_not(None)
    overdue = and_(
        Item.status.in_(OPEN_STATUSES),
        or_(
            Item.due_date < local(now).date(),
            and_(Item.due_date.is_(None), Item.created_at < deadline),
        ),
    )
    on_time = case(
        (Item.answered_at.is_(None), 0),
        (days_between(Item.created_at, Item.answered_at) <= target, 1),
        else_=0,
    )
    at_dialogue = [answered, Item.outcome.is_not(None), Item.dialogue_id.is_not(None)]
    if voters := _voters_meetings(commune_ids):
        at_dialogue.append(Item.dialogue_id.not_in(voters))
    return [
        func.count(),
        count_if(answered),
        count_if(and_(*at_dialogue)),
        func.sum(on_time),
        count_if(overdue),
        count_if(Item.status == "escalated"),
    ]


def _figures_from(rows) -> dict[int, ItemFigures]:
    """{commune_id: ItemFigures} from (commune_id, *FIGURES) rows."""
    return {row[0]: ItemFigures(*(int(v or 0) for v in row[1:])) for row in rows}


def item_figures(
    commune_ids, period: Period, now: datetime | None = None
) -> dict[int, ItemFigures]:
    """Items received in the period (spam left out) and what became of them, per commune.

    Grouped by commune only, which SQLite reads in the covering index's order: no sort.
    """
    return _figures_from(
        db.session.execute(
            select(Item.commune_id, *_figure_columns(now, commune_ids))
            .where(*_item_scope(commune_ids, period))
            .group_by(Item.commune_id)
        ).all()
    )


def item_tally(commune_ids, period: Period, now: datetime | None = None) -> ItemTally:
    """The figures per commune and the breakdowns of the items received, in one statement.

    PostgreSQL aggregates by hashing: one GROUP BY over (commune, channel, category, legal
    type, hamlet) with the figures' sums is its cheapest plan. SQLite groups only by sorting,
    and sorting the period's rows with every column the figures read costs far more than
    with the four keys alone; so there, two parts joined by UNION ALL: the figures grouped by
    commune (read in the covering index's order, no sort) and the count per key. Either way
    the figures and the breakdowns count the same items (docs/PERFORMANCE.md).
    """
    keys = (Item.channel, Item.category_id, Item.legal_type, Item.hamlet_id)
    scope = _item_scope(commune_ids, period)
    if dialect() == "postgresql":
        rows = db.session.execute(
            select(Item.commune_id, *keys, *_figure_columns(now, commune_ids))
            .where(*scope)
            .group_by(Item.commune_id, *keys)
        ).all()
        sums: dict[int, list[int]] = {}
        for row in rows:
            total = sums.setdefault(row[0], [0] * len(FIGURES))
            for i, n in enumerate(row[5:]):
                total[i] += int(n or 0)
        return ItemTally(
            _figures_from((cid, *values) for cid, values in sums.items()),
            [tuple(row[1:6]) for row in rows],
        )
    no_keys = [cast(null(), key.type) for key in keys]
    no_figures = [cast(null(), Integer)] * (len(FIGURES) - 1)
    figures = (
        select(literal(0), Item.commune_id, *no_keys, *_figure_columns(now, commune_ids))
        .where(*scope)
        .group_by(Item.commune_id)
    )
    # Integer keys first: SQLite's sorter compares them fastest (about 10% less time).
    received = (
        select(literal(1), cast(null(), Integer), *keys, func.count(), *no_figures)
        .where(*scope)
        .group_by(Item.hamlet_id, Item.category_id, Item.channel, Item.legal_type)
    )
    rows = db.session.execute(union_all(figures, received)).all()
    return ItemTally(
        _figures_from(row[1:2] + row[6:] for row in rows if row[0] == 0),
        [tuple(row[2:7]) for row in rows if row[0] == 1],
    )


def _by_category(values: dict, default):
    """A CASE over the item's category: a constant per category, without a join."""
    return case(values, value=Item.category_id, else_=default) if values else default


def _names(by: str, keys: list) -> dict:
    ids = [k for k in keys if k is not None]
    if by == "category" and ids:
        return dict(
            db.session.execute(select(Category.id, Category.name).where(Category.id.in_(ids))).all()
        )
    if by == "hamlet" and ids:
        return dict(
            db.session.execute(select(Hamlet.id, Hamlet.name).where(Hamlet.id.in_(ids))).all()
        )
    return {}


def hamlets_without_dialogue(commune_ids, period: Period) -> dict[int, list[str]]:
    """Active hamlets with no held dialogue in the period (a meeting with voters is none)."""
    begin, after = period.bounds
    had = (
        select(dialogue_hamlets.c.hamlet_id)
        .join(Dialogue, Dialogue.id == dialogue_hamlets.c.dialogue_id)
        .where(
            Dialogue.status == "held",
            Dialogue.kind != "voters",
            Dialogue.starts_at >= begin,
            Dialogue.starts_at < after,
        )
    )
    rows = db.session.execute(
        select(Hamlet.commune_id, Hamlet.name)
        .where(
            Hamlet.commune_id.in_(list(commune_ids)), Hamlet.active.is_(True), Hamlet.id.not_in(had)
        )
        .order_by(Hamlet.commune_id, Hamlet.name)
    ).all()
    out: dict[int, list[str]] = {}
    for commune_id, name in rows:
        out.setdefault(commune_id, []).append(name)
    return out


def activity(
    commune_ids, period: Period, now: datetime | None = None, tally: ItemTally | None = None
) -> list[CommuneActivity]:
    """One row per commune: dialogues against plan, voters' meetings apart, items, and the
    hamlets left without a dialogue."""
    communes = db.session.execute(
        select(Commune.id, Commune.name)
        .where(Commune.id.in_(list(commune_ids)))
        .order_by(Commune.name)
    ).all()
    entries: dict[int, list[DialogueEntry]] = {}
    for entry in report_dialogues.register(commune_ids, period, now):
        entries.setdefault(entry.commune_id, []).append(entry)
    items = tally.figures() if tally else item_figures(commune_ids, period, now)
    missing = hamlets_without_dialogue(commune_ids, period)
    return [
        _commune_row(
            cid, name, entries.get(cid, []), items.get(cid, ItemFigures()), missing.get(cid, [])
        )
        for cid, name in communes
    ]


def _commune_row(
    commune_id: int, name: str, entries: list[DialogueEntry], items: ItemFigures, missing: list[str]
) -> CommuneActivity:
    figures = report_dialogues.figures_of
    return CommuneActivity(
        commune_id,
        name,
        figures(e for e in entries if not e.is_voters),
        items,
        missing,
        figures(e for e in entries if e.is_voters),
        entries,
    )


def activity_total(rows: list[CommuneActivity]) -> CommuneActivity:
    """The sum of several communes' rows."""
    entries = sorted((e for r in rows for e in r.register), key=lambda e: (e.starts_at, e.id))
    items = ItemFigures(*(sum(getattr(r.items, f) for r in rows) for f in FIGURES))
    hamlets = [h for r in rows for h in r.hamlets_without_dialogue]
    return _commune_row(0, "", entries, items, hamlets)
