"""Vietnamese number, date and time formats (1.750; 87,5%; 23/11/2026; 15:30)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal, format_percent

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local(dt: datetime) -> datetime:
    """A stored UTC time in Vietnam's time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(LOCAL_ZONE)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime("%d/%m/%Y")


def parse_day(raw: str | None) -> date | None:
    """A day typed as dd/mm/yyyy (the way Vietnamese write dates; `-` or `.` also
    separate, 1-digit day and month allowed) or as ISO yyyy-mm-dd; None when empty.

    Raises ValueError on anything else, or on a day that doesn't exist (31/02/2026).
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    parts = raw.replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"not a day: {raw!r}")
    if len(parts[0]) == 4:  # ISO, as a browser's own date input sends it
        year, month, day = parts
    else:
        day, month, year = parts
    if len(year) != 4:
        raise ValueError(f"not a day: {raw!r}")
    return date(int(year), int(month), int(day))


def fmt_typed_day(raw: str | None) -> str:
    """What a day field shows again: the day as dd/mm/yyyy, or what was typed if unreadable."""
    try:
        day = parse_day(raw)
    except ValueError:
        return raw or ""
    return fmt_date(day)


def fmt_time(value: datetime | None) -> str:
    return local(value).strftime("%H:%M") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return f"{fmt_time(value)} {fmt_date(value)}" if value else ""


def fmt_number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value, locale="vi")


def fmt_percent(value: float | None) -> str:
    """A share (0.875) as `87,5%`."""
    return "" if value is None else format_percent(value, "#,##0.#%", locale="vi")


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        date=fmt_date,
        time=fmt_time,
        datetime=fmt_datetime,
        typed_day=fmt_typed_day,
        number=fmt_number,
        percent=fmt_percent,
    )
