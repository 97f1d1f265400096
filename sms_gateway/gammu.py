"""A GSM modem run by gammu-smsd (its `files` backend) as a channel.

In: gammu-smsd writes each received text to its inbox directory as
`IN<YYYYMMDD>_<HHMMSS>_<serial>_<sender>_<part>.txt`; the parts `_00`, `_01`… of a long
(concatenated, UDH) text share everything but the part number and are joined here in order.
A text is imported once: stored (its file name is the provider id, so a second import of the
same files stores nothing) and then its files are moved to the `processed` directory.
Out: a text to send is a file `OUTC<date>_<time>_<serial>_<recipient>_nghedan.txt` in its
outbox directory, written under a temporary name and renamed, so gammu-smsd never reads half.
Files are UTF-8 (InboxFormat/OutboxFormat = standard under a UTF-8 locale); UTF-16 files
(`unicode` format) are read too.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nghedan.config import ConfigurationError
from nghedan.database import unit_of_work
from nghedan.models import SmsChannel, utcnow
from nghedan.services.sms_channels import note_inbound
from sms_gateway.inbound import InboundSms, receive_inbound
from sms_gateway.routing import queue_reply
from sms_gateway.senders import SendError

log = logging.getLogger(__name__)

CHANNEL = "gammu"
INBOX_NAME = re.compile(
    r"^IN(?P<date>\d{8})_(?P<time>\d{6})_(?P<serial>\d{2})_(?P<sender>.+)_(?P<part>\d{2})\.txt$"
)
_serial = itertools.count()


@dataclass
class InboxText:
    """One received text: its parts' files in order and what they say together."""

    key: str  # IN<date>_<time>_<serial>_<sender>: the same for every part
    sender: str
    files: list[Path] = field(default_factory=list)

    def body(self) -> str:
        return "".join(read_text(path) for path in self.files)


def read_text(path: Path) -> str:
    """A text file as gammu-smsd wrote it: UTF-16 with a BOM (`unicode`) or UTF-8."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")


def pending_texts(inbox: Path, settle_seconds: float = 0, now: float | None = None
                  ) -> list[InboxText]:
    """The complete texts waiting in the inbox, oldest first. A text whose newest part is
    younger than `settle_seconds` waits for the next run (its parts may still be coming)."""
    now = time.time() if now is None else now
    texts: dict[str, InboxText] = {}
    parts: dict[str, list[tuple[int, Path]]] = {}
    for path in inbox.iterdir():
        match = INBOX_NAME.match(path.name)
        if not match or not path.is_file():
            continue
        key = path.name[: match.start("part") - 1]
        texts.setdefault(key, InboxText(key=key, sender=match["sender"]))
        parts.setdefault(key, []).append((int(match["part"]), path))
    ready = []
    for key, text in sorted(texts.items()):
        ordered = sorted(parts[key])
        if now - max(p.stat().st_mtime for _, p in ordered) < settle_seconds:
            continue
        text.files = [p for _, p in ordered]
        ready.append(text)
    return ready


@dataclass
class ImportReport:
    imported: int = 0
    repeated: int = 0
    replies: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (f"imported {self.imported}, already imported {self.repeated}, "
                f"replies queued {self.replies}, unreadable {self.failed}")


def import_inbox(inbox: Path, processed: Path, *, channel: SmsChannel | None = None,
                 settle_seconds: float = 0) -> ImportReport:
    """Store and answer every complete text in the inbox, then move its files away."""
    processed.mkdir(parents=True, exist_ok=True)
    channel_id = channel.id if channel else None
    recipient = channel.phone_number if channel else None
    report = ImportReport()
    for text in pending_texts(inbox, settle_seconds):
        try:
            with unit_of_work():
                _import_one(text, channel_id, recipient, report)
        except (OSError, UnicodeError) as e:
            log.warning("gammu: could not read %s: %s", text.key, e)
            report.failed += 1
            continue
        for path in text.files:
            os.replace(path, processed / path.name)
    return report


def _import_one(text: InboxText, channel_id: int | None, recipient: str | None,
                report: ImportReport) -> None:
    result = receive_inbound(InboundSms(channel=CHANNEL, sender=text.sender, body=text.body(),
                                        provider_id=text.key, recipient=recipient))
    if channel_id is not None:
        note_inbound(channel_id)
    if not result.created:
        report.repeated += 1
        return
    report.imported += 1
    if queue_reply(result, channel_id) is not None:
        report.replies += 1


class GammuOutbox:
    """Sends by leaving a file in gammu-smsd's outbox directory."""

    channel = CHANNEL

    def __init__(self, outbox: Path):
        self.outbox = outbox

    @classmethod
    def from_channel(cls, channel: SmsChannel) -> GammuOutbox:
        outbox = (channel.settings or {}).get("outbox")
        if not outbox:
            raise ConfigurationError(f"gammu channel {channel.name!r} needs an outbox directory.")
        return cls(Path(outbox))

    def send(self, phone: str, body: str) -> str | None:
        stamp = utcnow().strftime("%Y%m%d_%H%M%S")
        name = f"OUTC{stamp}_{next(_serial) % 100:02d}_{phone}_nghedan{os.getpid()}.txt"
        temporary = self.outbox / f".{name}.tmp"
        try:
            temporary.write_text(body, encoding="utf-8")
            os.replace(temporary, self.outbox / name)
        except OSError as e:
            raise SendError(f"cannot write to gammu outbox {self.outbox}: {e}", code="gammu-io",
                            transient=True) from e
        return name


def channel_dirs(channel: SmsChannel | None, inbox: str | None,
                 processed: str | None) -> tuple[Path, Path]:
    """The inbox and processed directories: given ones first, then the channel's settings."""
    settings = (channel.settings or {}) if channel else {}
    inbox_dir = inbox or settings.get("inbox")
    if not inbox_dir:
        raise ConfigurationError("no gammu inbox: give --inbox or a gammu channel with one")
    processed_dir = processed or settings.get("processed") or str(Path(inbox_dir) / "processed")
    return Path(inbox_dir), Path(processed_dir)


def settle_seconds(config: Mapping) -> float:
    return float(config.get("GAMMU_SETTLE_SECONDS") or 0)
