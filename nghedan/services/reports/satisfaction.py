"""Reports: periods, satisfaction with officers, and the SQL helpers the reports share.

Plain values in (commune ids, a period), plain dataclasses out. Every figure is counted by
the database (GROUP BY, conditional sums); Python only pivots the handful of grouped rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, select, true

from nghedan.collation import person_sort_key
from nghedan.extensions import db
from nghedan.formatting import LOCAL_ZONE, local
from nghedan.models import Commune, Officer, Rating
from nghedan.models.ratings import LOW_SCORES

MIN_RATINGS = 10  # below this, an index is "chưa đủ đánh giá", never a percentage
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
    where = [
        Rating.commune_id.in_(list(commune_ids)),
        Rating.created_at >= begin,
        Rating.created_at < after,
    ]
    if channel:
        where.append(Rating.channel == channel)
    return where


def _pivot(rows) -> dict:
    """{key: [n1, n2, n3, n4]} from (key, score, count) rows."""
    counts: dict = {}
    for key, score, n in rows:
        counts.setdefault(key, [0, 0, 0, 0])[score - 1] += n
    return counts


def satisfaction(
    commune_ids,
    period: Period,
    *,
    group: str = "officer",
    channel: str | None = None,
    minimum: int = MIN_RATINGS,
) -> list[SatisfactionRow]:
    """Counts per level and index per officer, desk or commune; rows without ratings left out.

    Desks add up their officers' rows: the scan of ratings needs no join with `officers`.
    """
    where = _rating_scope(commune_ids, period, channel)
    key = Rating.commune_id if group == "commune" else Rating.officer_id
    counts = _pivot(
        db.session.execute(
            select(key, Rating.score, func.count()).where(*where).group_by(key, Rating.score)
        ).all()
    )
    if group == "desk":
        by_desk: dict = {}
        for officer_id, commune_id, desk in db.session.execute(
            select(Officer.id, Officer.commune_id, Officer.desk).where(Officer.id.in_(list(counts)))
        ):
            total = by_desk.setdefault((commune_id, desk), [0, 0, 0, 0])
            for i, n in enumerate(counts[officer_id]):
                total[i] += n
        counts = by_desk
    return _label_rows(group, {k: Levels(tuple(c), minimum) for k, c in counts.items()})


def _label_rows(group: str, by_key: dict) -> list[SatisfactionRow]:
    communes = dict(db.session.execute(select(Commune.id, Commune.name)).all())
    rows = []
    if group == "officer":
        officers = db.session.scalars(select(Officer).where(Officer.id.in_(list(by_key)))).all()
        for o in officers:
            detail = " · ".join(filter(None, (o.title, o.desk)))
            rows.append(
                SatisfactionRow(
                    str(o.id), o.name, detail, communes.get(o.commune_id, ""), by_key[o.id]
                )
            )
        rows.sort(key=lambda r: person_sort_key(r.label))
    elif group == "desk":
        for (commune_id, desk), levels in by_key.items():
            rows.append(
                SatisfactionRow(
                    f"{commune_id}:{desk}", desk or "—", "", communes.get(commune_id, ""), levels
                )
            )
        rows.sort(key=lambda r: (r.commune, r.label))
    else:
        for commune_id, levels in by_key.items():
            name = communes.get(commune_id, "")
            rows.append(SatisfactionRow(str(commune_id), name, "", name, levels))
        rows.sort(key=lambda r: r.label)
    return rows


def total_levels(rows: list[SatisfactionRow], minimum: int = MIN_RATINGS) -> Levels:
    counts = [0, 0, 0, 0]
    for row in rows:
        for i, n in enumerate(row.levels.counts):
            counts[i] += n
    return Levels(tuple(counts), minimum)


def rating_trend(
    commune_ids,
    period: Period,
    *,
    unit: str = "month",
    officer_id: int | None = None,
    channel: str | None = None,
    minimum: int = MIN_RATINGS,
) -> list[TrendPoint]:
    """Counts per level per week (Monday first) or per month, in local time."""
    bucket = _bucket(Rating.created_at, unit)
    where = _rating_scope(commune_ids, period, channel)
    if officer_id is not None:
        where.append(Rating.officer_id == officer_id)
    rows = db.session.execute(
        select(bucket, Rating.score, func.count()).where(*where).group_by(bucket, Rating.score)
    ).all()
    return [
        TrendPoint(_bucket_day(b), Levels(tuple(c), minimum))
        for b, c in sorted(_pivot(rows).items())
    ]


def _bucket_day(value) -> date:
    """A bucket as a local day: PostgreSQL gives a timestamp, SQLite a `YYYY-MM-DD` string."""
    if isinstance(value, datetime):
        return local(value).date()
    return date.fromisoformat(str(value)[:10])


def reason_counts(
    commune_ids, period: Period, *, officer_id: int | None = None, channel: str | None = None
) -> list[tuple[str, int]]:
    """How often each reason was given with the lower levels, most frequent first."""
    if dialect() == "postgresql":
        reasons = func.json_array_elements_text(Rating.reasons).table_valued("value")
    else:
        reasons = func.json_each(Rating.reasons).table_valued("value")
    where = _rating_scope(commune_ids, period, channel) + [Rating.score.in_(LOW_SCORES)]
    if officer_id is not None:
        where.append(Rating.officer_id == officer_id)
    n = func.count().label("n")
    rows = db.session.execute(
        select(reasons.c.value, n)
        .select_from(Rating)
        .join(reasons, true())
        .where(*where)
        .group_by(reasons.c.value)
        .order_by(n.desc(), reasons.c.value)
    ).all()
    return [(str(value), count) for value, count in rows]


def rating_comments(
    commune_ids,
    period: Period,
    *,
    officer_id: int | None = None,
    channel: str | None = None,
    limit: int = COMMENT_LIMIT,
) -> list[RatingComment]:
    """The newest comments left with ratings (no phone numbers)."""
    where = _rating_scope(commune_ids, period, channel) + [Rating.comment.is_not(None)]
    if officer_id is not None:
        where.append(Rating.officer_id == officer_id)
    rows = db.session.execute(
        select(Rating.created_at, Officer.name, Rating.score, Rating.channel, Rating.comment)
        .join(Officer, Officer.id == Rating.officer_id)
        .where(*where)
        .order_by(Rating.created_at.desc(), Rating.id.desc())
        .limit(limit)
    ).all()
    return [RatingComment(*row) for row in rows]


# --- SQL helpers ------------------------------------------------------------------------


def dialect() -> str:
    return db.session.get_bind().dialect.name


def count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def days_between(earlier, later):
    """Days (fractional) from one stored time to another, on either engine."""
    if dialect() == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def _bucket(column, unit: str):
    """The local day that starts the week (Monday) or month of a stored UTC time."""
    if dialect() == "postgresql":  # a timestamptz at local midnight (no text formatting)
        return func.date_trunc(unit, column, str(LOCAL_ZONE))
    offset = f"+{int(LOCAL_ZONE.utcoffset(datetime(2000, 1, 1)).total_seconds() // 3600)} hours"
    if unit == "week":
        return func.date(column, offset, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", column, offset)
