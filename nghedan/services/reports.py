"""Reports: satisfaction with officers, dialogue activity, items, the quarterly summary.

Plain values in (commune ids, a period), plain dataclasses out. Every figure is counted by
the database (GROUP BY, conditional sums); Python only pivots the handful of grouped rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal, or_, select, true

from nghedan.extensions import db
from nghedan.formatting import LOCAL_ZONE, local
from nghedan.models import Category, Commune, Dialogue, Hamlet, Item, Officer, Rating, utcnow
from nghedan.models.base import UTCDateTime
from nghedan.models.items import OPEN_STATUSES
from nghedan.models.ratings import LOW_SCORES

MIN_RATINGS = 10  # below this, an index is "chưa đủ đánh giá", never a percentage
DEFAULT_TARGET_DAYS = 15
COMMENT_LIMIT = 50
GROUPS = ("officer", "desk", "commune")
TREND_UNITS = ("week", "month")


@dataclass(frozen=True)
class Period:
    """Local calendar days, both ends included."""

    start: date
    end: date

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """[from, to) in UTC for comparing stored times."""
        begin = datetime.combine(self.start, time(), LOCAL_ZONE).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(), LOCAL_ZONE)
        return begin, after.astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def quarter_of(day: date) -> Period:
    """The calendar quarter containing `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end)


def quarter_number(period: Period) -> int:
    return (period.start.month - 1) // 3 + 1


def is_quarter(period: Period) -> bool:
    return quarter_of(period.start) == period


# --- satisfaction -----------------------------------------------------------------------


@dataclass(frozen=True)
class Levels:
    """Counts per level 1–4 and the satisfaction index (share of levels 1 and 2)."""

    counts: tuple[int, int, int, int] = (0, 0, 0, 0)
    minimum: int = MIN_RATINGS

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def enough(self) -> bool:
        return self.total >= self.minimum

    @property
    def index(self) -> float | None:
        """None when there are too few ratings to say anything."""
        if not self.enough or self.total == 0:
            return None
        return (self.counts[0] + self.counts[1]) / self.total

    @property
    def low(self) -> int:
        return self.counts[2] + self.counts[3]


@dataclass(frozen=True)
class SatisfactionRow:
    key: str
    label: str
    detail: str
    commune: str
    levels: Levels


@dataclass(frozen=True)
class TrendPoint:
    bucket: date
    levels: Levels


@dataclass(frozen=True)
class RatingComment:
    at: datetime
    officer: str
    score: int
    channel: str
    comment: str


def _rating_scope(commune_ids, period: Period, channel: str | None) -> list:
    begin, after = period.bounds
    where = [Rating.commune_id.in_(list(commune_ids)), Rating.created_at >= begin,
             Rating.created_at < after]
    if channel:
        where.append(Rating.channel == channel)
    return where


def _pivot(rows, minimum: int) -> dict:
    """{key: Levels} from (key, score, count) rows."""
    counts: dict = {}
    for key, score, n in rows:
        counts.setdefault(key, [0, 0, 0, 0])[score - 1] += n
    return {key: Levels(tuple(c), minimum) for key, c in counts.items()}


def satisfaction(commune_ids, period: Period, *, group: str = "officer",
                 channel: str | None = None, minimum: int = MIN_RATINGS) -> list[SatisfactionRow]:
    """Counts per level and index per officer, desk or commune; rows without ratings left out."""
    where = _rating_scope(commune_ids, period, channel)
    if group == "officer":
        key = Rating.officer_id
        stmt = select(key, Rating.score, func.count()).where(*where)
    elif group == "desk":
        key = Officer.desk
        stmt = select(Officer.commune_id, key, Rating.score, func.count()).join(
            Officer, Officer.id == Rating.officer_id).where(*where).group_by(Officer.commune_id)
    else:
        key = Rating.commune_id
        stmt = select(key, Rating.score, func.count()).where(*where)
    rows = db.session.execute(stmt.group_by(key, Rating.score)).all()
    if group == "desk":
        rows = [((commune_id, desk), score, n) for commune_id, desk, score, n in rows]
    return _label_rows(group, _pivot(rows, minimum))


def _label_rows(group: str, by_key: dict) -> list[SatisfactionRow]:
    communes = dict(db.session.execute(select(Commune.id, Commune.name)).all())
    rows = []
    if group == "officer":
        officers = db.session.scalars(select(Officer).where(Officer.id.in_(list(by_key)))).all()
        for o in officers:
            detail = " · ".join(filter(None, (o.title, o.desk)))
            rows.append(SatisfactionRow(str(o.id), o.name, detail,
                                        communes.get(o.commune_id, ""), by_key[o.id]))
        rows.sort(key=lambda r: _vietnamese_name_key(r.label))
    elif group == "desk":
        for (commune_id, desk), levels in by_key.items():
            rows.append(SatisfactionRow(f"{commune_id}:{desk}", desk or "—", "",
                                        communes.get(commune_id, ""), levels))
        rows.sort(key=lambda r: (r.commune, r.label))
    else:
        for commune_id, levels in by_key.items():
            name = communes.get(commune_id, "")
            rows.append(SatisfactionRow(str(commune_id), name, "", name, levels))
        rows.sort(key=lambda r: r.label)
    return rows


def _vietnamese_name_key(name: str) -> tuple[str, str]:
    """Vietnamese lists sort by the given name (last word), then the family name."""
    words = name.split()
    return (words[-1].lower() if words else "", name.lower())


def total_levels(rows: list[SatisfactionRow], minimum: int = MIN_RATINGS) -> Levels:
    counts = [0, 0, 0, 0]
    for row in rows:
        for i, n in enumerate(row.levels.counts):
            counts[i] += n
    return Levels(tuple(counts), minimum)


def rating_trend(commune_ids, period: Period, *, unit: str = "month", officer_id: int | None = None,
                 channel: str | None = None, minimum: int = MIN_RATINGS) -> list[TrendPoint]:
    """Counts per level per week (Monday first) or per month, in local time."""
    bucket = _bucket(Rating.created_at, unit)
    where = _rating_scope(commune_ids, period, channel)
    if officer_id is not None:
        where.append(Rating.officer_id == officer_id)
    rows = db.session.execute(
        select(bucket, Rating.score, func.count()).where(*where).group_by(bucket, Rating.score)
    ).all()
    by_bucket = _pivot(rows, minimum)
    return [TrendPoint(date.fromisoformat(str(b)[:10]), levels)
            for b, levels in sorted(by_bucket.items())]


def reason_counts(commune_ids, period: Period, *, officer_id: int | None = None,
                  channel: str | None = None) -> list[tuple[str, int]]:
    """How often each reason was given with the lower levels, most frequent first."""
    if _dialect() == "postgresql":
        reasons = func.json_array_elements_text(Rating.reasons).table_valued("value")
    else:
        reasons = func.json_each(Rating.reasons).table_valued("value")
    where = _rating_scope(commune_ids, period, channel) + [Rating.score.in_(LOW_SCORES)]
    if officer_id is not None:
        where.append(Rating.officer_id == officer_id)
    n = func.count().label("n")
    rows = db.session.execute(
        select(reasons.c.value, n).select_from(Rating).join(reasons, true()).where(*where)
        .group_by(reasons.c.value).order_by(n.desc(), reasons.c.value)
    ).all()
    return [(str(value), count) for value, count in rows]


def rating_comments(commune_ids, period: Period, *, officer_id: int | None = None,
                    channel: str | None = None, limit: int = COMMENT_LIMIT) -> list[RatingComment]:
    """The newest comments left with ratings (no phone numbers)."""
    where = _rating_scope(commune_ids, period, channel) + [Rating.comment.is_not(None)]
    if officer_id is not None:
        where.append(Rating.officer_id == officer_id)
    rows = db.session.execute(
        select(Rating.created_at, Officer.name, Rating.score, Rating.channel, Rating.comment)
        .join(Officer, Officer.id == Rating.officer_id).where(*where)
        .order_by(Rating.created_at.desc(), Rating.id.desc()).limit(limit)
    ).all()
    return [RatingComment(*row) for row in rows]


# --- activity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DialogueFigures:
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    attendance: int = 0
    notices: int = 0
    notice_delay_days: float | None = None  # mean days from meeting to published notice

    @property
    def without_notice(self) -> int:
        return self.held - self.notices


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


def dialogue_figures(commune_ids, period: Period) -> dict[int, DialogueFigures]:
    """Dialogues starting in the period, per commune."""
    begin, after = period.bounds
    held = Dialogue.status == "held"
    published = and_(held, Dialogue.notice_published_at.is_not(None))
    delay = _days_between(func.coalesce(Dialogue.held_at, Dialogue.starts_at),
                          Dialogue.notice_published_at)
    rows = db.session.execute(
        select(Dialogue.commune_id, _count_if(Dialogue.status == "planned"), _count_if(held),
               _count_if(Dialogue.status == "cancelled"),
               func.sum(case((held, func.coalesce(Dialogue.attendance, 0)), else_=0)),
               _count_if(published), func.avg(case((published, delay))))
        .where(Dialogue.commune_id.in_(list(commune_ids)), Dialogue.starts_at >= begin,
               Dialogue.starts_at < after)
        .group_by(Dialogue.commune_id)
    ).all()
    return {row[0]: DialogueFigures(*(int(v or 0) for v in row[1:6]),
                                    None if row[6] is None else float(row[6])) for row in rows}


def item_figures(commune_ids, period: Period,
                 now: datetime | None = None) -> dict[int, ItemFigures]:
    """Items received in the period (spam left out), per commune, and what became of them."""
    now = now or utcnow()
    today = local(now).date()
    begin, after = period.bounds
    target = func.coalesce(Category.target_days, DEFAULT_TARGET_DAYS)
    is_open = Item.status.in_(OPEN_STATUSES)
    answered = Item.answered_at.is_not(None)
    age = _days_between(Item.created_at, literal(now, UTCDateTime))
    overdue = and_(is_open, or_(Item.due_date < today,
                                and_(Item.due_date.is_(None), age > target)))
    on_time = and_(answered, _days_between(Item.created_at, Item.answered_at) <= target)
    rows = db.session.execute(
        select(Item.commune_id, func.count(), _count_if(answered),
               _count_if(and_(answered, Item.outcome.is_not(None), Item.dialogue_id.is_not(None))),
               _count_if(on_time),
               _count_if(overdue), _count_if(Item.status == "escalated"))
        .outerjoin(Category, Category.id == Item.category_id)
        .where(*_item_scope(commune_ids, begin, after))
        .group_by(Item.commune_id)
    ).all()
    return {row[0]: ItemFigures(*(int(v or 0) for v in row[1:])) for row in rows}


def _item_scope(commune_ids, begin: datetime, after: datetime) -> list:
    return [Item.commune_id.in_(list(commune_ids)), Item.created_at >= begin,
            Item.created_at < after, Item.status != "rejected"]


BREAKDOWNS = ("channel", "category", "legal_type", "hamlet")


def item_breakdown(commune_ids, period: Period, by: str) -> list[tuple[str, int]]:
    """Items received in the period per channel, category, legal type or hamlet."""
    begin, after = period.bounds
    column = {"channel": Item.channel, "category": Item.category_id,
              "legal_type": Item.legal_type, "hamlet": Item.hamlet_id}[by]
    n = func.count().label("n")
    rows = db.session.execute(
        select(column, n).where(*_item_scope(commune_ids, begin, after))
        .group_by(column).order_by(n.desc())
    ).all()
    names = _names(by, [key for key, _ in rows])
    return [(names.get(key, key) if key is not None else "", count) for key, count in rows]


def _names(by: str, keys: list) -> dict:
    ids = [k for k in keys if k is not None]
    if by == "category" and ids:
        return dict(db.session.execute(select(Category.id, Category.name)
                                       .where(Category.id.in_(ids))).all())
    if by == "hamlet" and ids:
        return dict(db.session.execute(select(Hamlet.id, Hamlet.name)
                                       .where(Hamlet.id.in_(ids))).all())
    return {}


def hamlets_without_dialogue(commune_ids, period: Period) -> dict[int, list[str]]:
    """Active hamlets with no held dialogue in the period, per commune."""
    from nghedan.models import dialogue_hamlets

    begin, after = period.bounds
    had = (select(dialogue_hamlets.c.hamlet_id)
           .join(Dialogue, Dialogue.id == dialogue_hamlets.c.dialogue_id)
           .where(Dialogue.status == "held", Dialogue.starts_at >= begin,
                  Dialogue.starts_at < after))
    rows = db.session.execute(
        select(Hamlet.commune_id, Hamlet.name)
        .where(Hamlet.commune_id.in_(list(commune_ids)), Hamlet.active.is_(True),
               Hamlet.id.not_in(had))
        .order_by(Hamlet.commune_id, Hamlet.name)
    ).all()
    out: dict[int, list[str]] = {}
    for commune_id, name in rows:
        out.setdefault(commune_id, []).append(name)
    return out


def activity(commune_ids, period: Period, now: datetime | None = None) -> list[CommuneActivity]:
    """One row per commune: dialogues, items and the hamlets left without a dialogue."""
    communes = db.session.execute(
        select(Commune.id, Commune.name).where(Commune.id.in_(list(commune_ids)))
        .order_by(Commune.name)
    ).all()
    dialogues = dialogue_figures(commune_ids, period)
    items = item_figures(commune_ids, period, now)
    missing = hamlets_without_dialogue(commune_ids, period)
    return [CommuneActivity(cid, name, dialogues.get(cid, DialogueFigures()),
                            items.get(cid, ItemFigures()), missing.get(cid, []))
            for cid, name in communes]


def activity_total(rows: list[CommuneActivity]) -> CommuneActivity:
    """The sum of several communes' rows (the notice delay weighted by notices)."""
    d = [r.dialogues for r in rows]
    notices = sum(x.notices for x in d)
    delay = (sum((x.notice_delay_days or 0) * x.notices for x in d) / notices) if notices else None
    dialogues = DialogueFigures(sum(x.planned for x in d), sum(x.held for x in d),
                                sum(x.cancelled for x in d), sum(x.attendance for x in d),
                                notices, delay)
    i = [r.items for r in rows]
    items = ItemFigures(*(sum(getattr(x, f) for x in i) for f in (
        "received", "answered", "answered_at_dialogue", "on_time", "overdue", "escalated_open")))
    hamlets = [h for r in rows for h in r.hamlets_without_dialogue]
    return CommuneActivity(0, "", dialogues, items, hamlets)


def answered_at_held_dialogues(commune_ids, period: Period) -> int:
    """Items answered at the dialogues held in the period (the figure communes report)."""
    begin, after = period.bounds
    return db.session.scalar(
        select(func.count(Item.id)).join(Dialogue, Dialogue.id == Item.dialogue_id)
        .where(Dialogue.commune_id.in_(list(commune_ids)), Dialogue.status == "held",
               Dialogue.starts_at >= begin, Dialogue.starts_at < after,
               Item.outcome.is_not(None))
    ) or 0


# --- SQL helpers ------------------------------------------------------------------------


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def _days_between(earlier, later):
    """Days (fractional) from one stored time to another, on either engine."""
    if _dialect() == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def _bucket(column, unit: str):
    """The local day that starts the week (Monday) or month of a stored UTC time."""
    if _dialect() == "postgresql":
        local_time = func.timezone(str(LOCAL_ZONE), column)
        return func.to_char(func.date_trunc(unit, local_time), "YYYY-MM-DD")
    offset = f"+{int(LOCAL_ZONE.utcoffset(datetime(2000, 1, 1)).total_seconds() // 3600)} hours"
    if unit == "week":
        return func.date(column, offset, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", column, offset)

