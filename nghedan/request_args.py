"""Ids and days read from a URL, a query string or a form, as the database can take them.

An id is a positive whole number that an INTEGER column holds (PostgreSQL's ends at
2**31 - 1; SQLite's and Python's go further, so a bigger one would fail in the database);
a day lies in a range every date computation here can handle (a day ± a time zone or a
week in year 1 or 9999 overflows). Anything else counts as not given, so a bad value in a
filter shows the unfiltered list, and a bad id in a path is a 404.
"""

from __future__ import annotations

from datetime import date

from werkzeug.routing import IntegerConverter

from nghedan.formatting import parse_day

MAX_ID = 2**31 - 1
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def id_value(raw: str | None) -> int | None:
    """`raw` as a row id (ASCII digits, 1 … MAX_ID), else None."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def day_value(raw: str | None) -> date | None:
    """`raw` as a day (`03/12/2026`, or ISO `2026-12-03` as a browser's date input sends it)
    between FIRST_DAY and LAST_DAY, else None."""
    try:
        day = parse_day(raw)
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number beyond MAX_ID matches no route (404), not a 500."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
