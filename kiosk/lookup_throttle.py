"""A limit on wrong codes typed on the public status pages (/t/), per address.

Tracking codes are random, so many codes that find nothing come from a script trying codes,
not from a resident: after PUBLIC_LOOKUP_MAX_MISSES of them within
PUBLIC_LOOKUP_WINDOW_SECONDS, an address gets "try again later" (429) until its oldest miss
leaves the window. A resident who mistypes a few times never meets it. The pages hold no
personal data (Open311 publishes the same statuses); the limit keeps a scan from costing the
commune's server.

The count lives in each worker process's memory: the public pages only read the database
(see `reads_only`), and a status page must not wait for the write lock. With N workers an
address can try at most N times the limit; deploy/nginx/nghedan.conf adds a limit across
workers in front of them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

from flask import current_app, request

# Addresses remembered at most per process (the least recently seen are forgotten first).
MAX_ADDRESSES = 10_000


class MissCounter:
    """Recent misses per address, in one process."""

    def __init__(self, window_seconds: float, limit: int):
        self.window, self.limit = window_seconds, limit
        self._misses: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers serve several requests at once

    def seconds_blocked(self, address: str) -> int:
        """How long this address must wait before looking up again (0: it may now)."""
        with self._lock:
            recent = self._recent(address)
            if recent is None or len(recent) < self.limit:
                return 0
            return max(1, int(recent[0] + self.window - time.monotonic()) + 1)

    def record_miss(self, address: str) -> None:
        with self._lock:
            recent = self._recent(address)
            if recent is None:
                recent = self._misses[address] = deque()
                if len(self._misses) > MAX_ADDRESSES:
                    self._misses.popitem(last=False)
            recent.append(time.monotonic())

    def _recent(self, address: str) -> deque[float] | None:
        """This address's misses within the window, oldest first (None: none remembered)."""
        recent = self._misses.get(address)
        if recent is None:
            return None
        self._misses.move_to_end(address)
        start = time.monotonic() - self.window
        while recent and recent[0] <= start:
            recent.popleft()
        return recent


def seconds_blocked() -> int:
    """How long the requesting address must wait before its next lookup (0: none)."""
    return _counter().seconds_blocked(_address())


def record_miss() -> None:
    """The requesting address typed a code that found nothing."""
    _counter().record_miss(_address())


def _counter() -> MissCounter:
    extensions = current_app.extensions
    counter = extensions.get("public_lookup_misses")
    if counter is None:
        config = current_app.config
        counter = extensions.setdefault(
            "public_lookup_misses",
            MissCounter(
                float(config["PUBLIC_LOOKUP_WINDOW_SECONDS"]),
                int(config["PUBLIC_LOOKUP_MAX_MISSES"]),
            ),
        )
    return counter


def _address() -> str:
    return request.remote_addr or "unknown"
