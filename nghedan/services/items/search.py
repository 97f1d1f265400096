"""Finding items: the inbox's filters, diacritic-insensitive text search, keyset pages.

Text search uses the database's own index over `items.text_folded` (lower case, no
diacritics): an FTS5 table kept in step by triggers on SQLite, a pg_trgm GIN index on
PostgreSQL (see migration 0006_admin_search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, func, literal, literal_column, select, text, tuple_
from sqlalchemy.orm import selectinload

from nghedan import tracking_codes
from nghedan.extensions import db
from nghedan.formatting import LOCAL_ZONE
from nghedan.models import Category, Commune, Dialogue, Hamlet, Item
from nghedan.models.items import OPEN_STATUSES, STATUSES
from nghedan.services.items.categories import ordered_categories
from nghedan.text import fold_diacritics

_WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_WORDS = 8
TEXT_DRIVEN_LIMIT = 20_000  # SQLite: up to this many text matches, start from them
COUNT_CAP = 10_000  # counts per status stop here


@dataclass(frozen=True)
class ItemFilter:
    """What the inbox shows; every field is optional except the communes in scope."""

    commune_ids: tuple[int, ...]
    status: str | None = None
    channel: str | None = None
    category_id: int | None = None
    legal_type: str | None = None
    hamlet_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    flagged: bool = False
    q: str | None = None


@dataclass(frozen=True)
class Cursor:
    """A position in the newest-first list: the last row seen."""

    created_at: datetime
    id: int

    def encode(self) -> str:
        return f"{self.created_at.astimezone(UTC).strftime('%Y%m%d%H%M%S%f')}-{self.id}"


@dataclass
class Page:
    items: list[Item]
    next_cursor: Cursor | None
    prev_cursor: Cursor | None = None
    extra: dict = field(default_factory=dict)


def menu_choices(commune_ids: list[int], chosen: tuple[int, ...] | None = None) -> dict:
    """The options of the filter and bulk-action menus.

    Hamlets and dialogues belong to one commune: they are offered once the list shows one
    commune (a province's supervisor would otherwise get thousands of hamlets).
    """
    one = list(chosen if chosen is not None else commune_ids)
    one = one if len(one) == 1 else []
    return {
        "communes": db.session.scalars(
            select(Commune).where(Commune.id.in_(commune_ids)).order_by(Commune.name)
        ).all(),
        "categories": ordered_categories(),
        "hamlets": db.session.scalars(
            select(Hamlet).where(Hamlet.commune_id.in_(one)).order_by(Hamlet.name)
        ).all(),
        "dialogues": db.session.scalars(
            select(Dialogue)
            .where(Dialogue.commune_id.in_(one), Dialogue.status == "planned")
            .order_by(Dialogue.starts_at)
        ).all(),
    }


def category_code(category_id: int | None) -> str | None:
    """The code of the category with this id (None when there is none)."""
    category = db.session.get(Category, category_id) if category_id else None
    return category.code if category else None


def items_by_ids(ids: list[int]) -> list[Item]:
    """The items with these ids (those that exist)."""
    return list(db.session.scalars(select(Item).where(Item.id.in_(ids))))


def item_for_code(q: str | None, commune_ids) -> Item | None:
    """The item whose tracking code the search is (spaces and dashes allowed), if in scope."""
    code = tracking_codes.normalize(q or "")
    if not code or not tracking_codes.is_valid(code):
        return None
    item = db.session.scalar(select(Item).where(Item.tracking_code == code))
    return item if item is not None and item.commune_id in commune_ids else None


def search_words(q: str | None) -> list[str]:
    """The folded words of a search: `Ngập  nước!` → ["ngap", "nuoc"]."""
    if not q:
        return []
    return _WORD.findall(fold_diacritics(q))[:MAX_SEARCH_WORDS]


def _fts_rowids(words: list[str]) -> Select:
    match = " AND ".join(f'"{w}"' for w in words)
    return (
        select(literal_column("rowid"))
        .select_from(text("items_fts"))
        .where(text("items_fts MATCH :fts_match").bindparams(fts_match=match))
    )


def drives_from_text(words: list[str]) -> bool:
    """SQLite: whether the search is narrow enough to start from the FTS index.

    Left alone, SQLite walks the commune's index newest first and probes the matches: fast
    for common words, a full walk for rare ones. Counting the matches first (cheap in FTS5)
    lets a narrow search start from its matches instead.
    """
    if not words or db.engine.dialect.name != "sqlite":
        return False
    matches = db.session.scalar(select(func.count()).select_from(_fts_rowids(words).subquery()))
    return matches <= TEXT_DRIVEN_LIMIT


def text_match(words: list[str]):
    """A WHERE clause: the item's folded text contains every word (engine's own index)."""
    if db.engine.dialect.name == "sqlite":
        return Item.id.in_(_fts_rowids(words))
    # pg_trgm's GIN index serves LIKE; the regex then keeps whole words only.
    clauses = []
    for w in words:
        clauses.append(Item.text_folded.like(f"%{w}%"))
        clauses.append(Item.text_folded.op("~")(rf"\m{w}\M"))
    return and_(*clauses)


def local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)


def local_today() -> date:
    return datetime.now(LOCAL_ZONE).date()


def conditions(f: ItemFilter, *, with_status: bool = True) -> list:
    """The WHERE clauses of a filter."""
    words = search_words(f.q)
    # `commune_id + 0` hides the commune's indexes from SQLite, so a narrow search starts
    # from its text matches (see drives_from_text).
    commune = Item.commune_id + 0 if drives_from_text(words) else Item.commune_id
    where = [commune.in_(f.commune_ids) if f.commune_ids else Item.id.is_(None)]
    if with_status and f.status:
        where.append(Item.status == f.status)
    for column, value in (
        (Item.channel, f.channel),
        (Item.category_id, f.category_id),
        (Item.legal_type, f.legal_type),
        (Item.hamlet_id, f.hamlet_id),
    ):
        if value is not None:
            where.append(column == value)
    if f.date_from:
        where.append(Item.created_at >= local_day_start(f.date_from))
    if f.date_to:
        where.append(Item.created_at < local_day_start(f.date_to + timedelta(days=1)))
    if f.overdue:
        where.append(and_(Item.due_date < local_today(), Item.status.in_(OPEN_STATUSES)))
    if f.flagged:
        where.append(Item.flagged.is_(True))
    if words:
        where.append(text_match(words))
    return where


def filtered(f: ItemFilter) -> Select:
    # A list shows each row's hamlet and category: two IN queries, not one query per row.
    return (
        select(Item)
        .where(*conditions(f))
        .options(selectinload(Item.hamlet), selectinload(Item.category))
    )


def page(
    f: ItemFilter, *, after: Cursor | None = None, before: Cursor | None = None, size: int = 50
) -> Page:
    """One page, newest first, starting after (or ending before) a cursor; no OFFSET."""
    key = tuple_(Item.created_at, Item.id)
    query = filtered(f)
    if before is not None:
        query = query.where(key > _position(before))
        rows = list(
            db.session.scalars(query.order_by(Item.created_at.asc(), Item.id.asc()).limit(size + 1))
        )
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        nxt = _cursor(rows[-1]) if rows else None
        return Page(rows, nxt, _cursor(rows[0]) if rows and more_before else None)
    if after is not None:
        query = query.where(key < _position(after))
    rows = list(
        db.session.scalars(query.order_by(Item.created_at.desc(), Item.id.desc()).limit(size + 1))
    )
    more = len(rows) > size
    rows = rows[:size]
    prev = _cursor(rows[0]) if rows and after is not None else None
    return Page(rows, _cursor(rows[-1]) if more else None, prev)


def _position(cursor: Cursor):
    return tuple_(
        literal(cursor.created_at, type_=Item.created_at.type),
        literal(cursor.id, type_=Item.id.type),
    )


def _cursor(item: Item) -> Cursor:
    return Cursor(item.created_at, item.id)


def status_counts(f: ItemFilter, cap: int | None = None) -> dict[str, int]:
    """How many items of the filter (ignoring its status) are in each status.

    Counting stops at `cap` + 1 per status (shown as "10.000+"): an exact count of a
    million closed items costs a walk over all of them on every inbox page.
    """
    cap = COUNT_CAP if cap is None else cap
    where = conditions(f, with_status=False)
    words = search_words(f.q)
    # A search's rows come from the text index anyway (PostgreSQL's bitmap scan, SQLite's
    # narrow FTS5 match): one exact GROUP BY over them beats nine capped index walks.
    if words and (db.engine.dialect.name == "postgresql" or drives_from_text(words)):
        query = select(Item.status, func.count(Item.id)).where(*where).group_by(Item.status)
        return {status: count for status, count in db.session.execute(query)}
    counts = {}
    for status in STATUSES:
        capped = select(Item.id).where(*where, Item.status == status).limit(cap + 1).subquery()
        count = db.session.scalar(select(func.count()).select_from(capped))
        if count:
            counts[status] = count
    return counts


def row_batches(f: ItemFilter, batch: int = 500):
    """Every item of a filter, newest first, as lists of `batch` items fetched by keyset (for
    exports). The caller may end the transaction between batches (the next batch continues
    from the last row's key); a batch's items leave the session once the next is asked for,
    so memory stays flat over a long export."""
    cursor = None
    while True:
        result = page(f, after=cursor, size=batch)
        yield result.items
        for item in result.items:
            if item in db.session:
                db.session.expunge(item)
        if result.next_cursor is None:
            return
        cursor = result.next_cursor


def without_text(f: ItemFilter) -> ItemFilter:
    return replace(f, q=None)
