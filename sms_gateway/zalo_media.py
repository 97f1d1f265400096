"""Pictures residents send on Zalo, fetched by the worker so they stay with the item.

A `user_send_image` event carries only links to Zalo's servers, and such links do not last:
the worker fetches each picture once, before the event's transaction (a slow server never
holds the database, and the webhook never waits for it), and the pipeline keeps the bytes as
the item's attachment. A picture that can't be had (gone, too slow, too big, not a picture)
is not tried again: the pipeline writes its link and the reason in the item's history.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from nghedan.services.items.evidence import picture_type_of

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
# Reasons a picture was not kept, stored in Vietnamese (an official reads them in the history).
NOT_FOUND = "máy chủ Zalo trả lời lỗi HTTP %s"
TIMEOUT = "quá thời gian chờ"
UNREACHABLE = "không kết nối được"
TOO_BIG = "ảnh quá lớn (tối đa %s KB)"
NOT_A_PICTURE = "không phải ảnh JPEG, PNG, GIF hoặc WebP"
TOO_MANY_REDIRECTS = "chuyển hướng quá nhiều lần"
NOT_HTTPS = "địa chỉ không an toàn (không phải https)"


@dataclass(frozen=True)
class Picture:
    """One link of an image event: the picture's bytes, or why there are none."""

    url: str
    data: bytes | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Limits:
    timeout: float  # seconds for each connection and read; the whole fetch gets three times it
    max_bytes: int
    https_only: bool = True

    @classmethod
    def from_config(cls, config: Mapping, max_bytes: int) -> Limits:
        return cls(
            timeout=float(config.get("ZALO_TIMEOUT_SECONDS", 10)),
            max_bytes=max_bytes,
            https_only=bool(config.get("ZALO_IMAGE_HTTPS_ONLY", True)),
        )


def fetch_all(urls: Iterable[str], limits: Limits) -> list[Picture]:
    """Each link's picture, in order; never raises."""
    return [fetch(url, limits) for url in urls]


def fetch(url: str, limits: Limits) -> Picture:
    """The picture at `url` (a few redirects followed), or why it can't be had."""
    deadline = time.monotonic() + 3 * limits.timeout
    try:
        with requests.Session() as session:
            for _hop in range(MAX_REDIRECTS + 1):
                if limits.https_only and urlsplit(url).scheme != "https":
                    return Picture(url, problem=NOT_HTTPS)
                response = session.get(
                    url, timeout=limits.timeout, stream=True, allow_redirects=False
                )
                with response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("Location", ""))
                        continue
                    return _read(url, response, limits, deadline)
            return Picture(url, problem=TOO_MANY_REDIRECTS)
    except requests.Timeout:
        return Picture(url, problem=TIMEOUT)
    except (requests.RequestException, ValueError):  # refused, reset, a malformed link
        return Picture(url, problem=UNREACHABLE)


def _read(url: str, response: requests.Response, limits: Limits, deadline: float) -> Picture:
    if response.status_code != 200:
        return Picture(url, problem=NOT_FOUND % response.status_code)
    too_big = Picture(url, problem=TOO_BIG % (limits.max_bytes // 1024))
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        return too_big
    data = bytearray()
    try:
        for chunk in response.iter_content(CHUNK):
            data += chunk
            if len(data) > limits.max_bytes:
                return too_big
            if time.monotonic() > deadline:  # a server that drips bytes never holds the worker
                return Picture(url, problem=TIMEOUT)
    except requests.ConnectionError as e:  # requests reports a read timeout mid-body so
        stalled = bool(e.args) and isinstance(e.args[0], ReadTimeoutError)
        return Picture(url, problem=TIMEOUT if stalled else UNREACHABLE)
    if picture_type_of(bytes(data[:16])) is None:
        return Picture(url, problem=NOT_A_PICTURE)
    return Picture(url, data=bytes(data))
