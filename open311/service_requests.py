"""Items as GeoReport v2 service requests: what may be published, and how it reads.

Never published: residents' phones and names, denunciations (tố cáo), rejected items
(spam, abuse). The text of an item is published only once officials have looked at it
(any status after `new`), with phone numbers, ID numbers and e-mail addresses blanked out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nghedan.extensions import db
from nghedan.formatting import LOCAL_ZONE
from nghedan.models import Category, Commune, Item, utcnow
from nghedan.models.items import OPEN_STATUSES
from nghedan.services.items.status import describe_status

CLOSED_STATUSES = ("answered", "closed", "duplicate")
HIDDEN_LEGAL_TYPES = ("denunciation",)
HIDDEN_STATUSES = ("rejected",)
MAX_RESULTS = 1000
DEFAULT_WINDOW = timedelta(days=90)
# Digit runs that look like phone or ID numbers (with spaces, dots or dashes inside).
_NUMBERS = re.compile(r"\+?\d[\d .\-]{6,}\d")
_EMAILS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
REDACTED = "[…]"


@dataclass(frozen=True)
class RequestQuery:
    codes: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()  # "open", "closed"
    commune_id: int | None = None


def redact(text: str) -> str:
    """The text without phone numbers, ID numbers and e-mail addresses."""
    return _NUMBERS.sub(REDACTED, _EMAILS.sub(REDACTED, text))


def public_status(item: Item) -> str:
    return "open" if item.status in OPEN_STATUSES else "closed"


def _visible():
    return [Item.legal_type.not_in(HIDDEN_LEGAL_TYPES), Item.status.not_in(HIDDEN_STATUSES)]


def find(query: RequestQuery) -> list[Item]:
    """Published items matching the GeoReport filters, newest first, at most 1000."""
    stmt = (
        select(Item)
        .where(*_visible())
        .options(joinedload(Item.category), joinedload(Item.hamlet), joinedload(Item.commune))
    )
    if query.commune_id is not None:
        stmt = stmt.where(Item.commune_id == query.commune_id)
    if query.codes:  # the spec: other filters are ignored when ids are given
        return list(
            db.session.scalars(
                stmt.where(Item.tracking_code.in_(query.codes)).order_by(Item.created_at.desc())
            )
        )
    end = query.end or utcnow()
    start = query.start or end - DEFAULT_WINDOW
    stmt = stmt.where(Item.created_at >= start, Item.created_at <= end)
    if query.service_codes:
        stmt = stmt.join(Category, Category.id == Item.category_id).where(
            Category.code.in_(query.service_codes)
        )
    if query.statuses and set(query.statuses) != {"open", "closed"}:
        wanted = OPEN_STATUSES if "open" in query.statuses else CLOSED_STATUSES
        stmt = stmt.where(Item.status.in_(wanted))
    return list(
        db.session.scalars(
            stmt.order_by(Item.created_at.desc(), Item.id.desc()).limit(MAX_RESULTS)
        ).unique()
    )


def by_code(code: str) -> Item | None:
    return db.session.scalar(select(Item).where(Item.tracking_code == code, *_visible()))


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(LOCAL_ZONE).isoformat(timespec="seconds") if value else None


def _expected(due: date | None) -> str | None:
    if due is None:
        return None
    return datetime.combine(due, time(23, 59, 59), LOCAL_ZONE).isoformat(timespec="seconds")


def agency_responsible(item: Item) -> str:
    """Who must act: the higher body, the department, the officer, else the commune."""
    if item.status == "escalated" and item.escalated_to:
        return item.escalated_to
    if item.status == "forwarded" and item.forwarded_to:
        return item.forwarded_to
    return item.responsible or f"UBND {_commune_name(item.commune)}"


def _commune_name(commune: Commune) -> str:
    kind = {"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu"}.get(commune.kind, "")
    return f"{kind} {commune.name}".strip()


def status_notes(item: Item) -> str:
    """The answer once given; otherwise what is happening, in plain words."""
    if item.status in ("answered", "closed") and item.answer:
        return item.answer
    if item.status in ("new", "triaged"):
        return ""
    return describe_status(item)


def as_request(item: Item, locale: str = "vi") -> dict:
    """One service request, in the GeoReport v2 field order."""
    category = item.category
    name = None
    if category is not None:
        name = category.name_en if locale == "en" else category.name
    address = ", ".join(
        filter(
            None,
            (
                item.hamlet.name if item.hamlet else None,
                _commune_name(item.commune),
                item.commune.province,
            ),
        )
    )
    return {
        "service_request_id": item.tracking_code,
        "status": public_status(item),
        "status_notes": status_notes(item),
        "service_name": name,
        "service_code": category.code if category is not None else None,
        "description": redact(item.text) if item.status != "new" else "",
        "agency_responsible": agency_responsible(item),
        "service_notice": "",
        "requested_datetime": _iso(item.created_at),
        "updated_datetime": _iso(item.updated_at),
        "expected_datetime": _expected(item.due_date),
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def parse_datetime(raw: str) -> datetime:
    """A W3C datetime (`2026-11-23T15:30:00+07:00`, or a date); local time when no zone."""
    raw = raw.strip().replace("Z", "+00:00")
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_ZONE)
    return value.astimezone(UTC)
