"""A GSM modem run by gammu-smsd (its `files` backend) as a channel.

In: gammu-smsd writes each received text to its inbox directory as
`IN<YYYYMMDD>_<HHMMSS>_<serial>_<sender>_<part>.txt`; the parts `_00`, `_01`… of a long
(concatenated, UDH) text share sender and serial (each part keeps its own network
timestamp) and are joined here in part order.
A text is imported once: stored (its file name is the provider id, so a second import of the
same files stores nothing) and then its files are moved to the `processed` directory.
Out: a text to send is a file `OUTC<date>_<time>_<serial>_<recipient>_<our id>.txt` in its
outbox directory, written under a temporary name and renamed, so gammu-smsd never reads half.
Inbox files are read as UTF-16 when they start with a byte-order mark (InboxFormat =
unicode, the recommended setting) and as UTF-8 otherwise (standard, under a UTF-8 locale).
Outbox files are written as UTF-16 with a byte-order mark, which gammu-smsd reads as Unicode
whatever its locale and OutboxFormat.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from nghedan.config import ConfigurationError
from nghedan.database import unit_of_work
from nghedan.extensions import db
from nghedan.models import Message, SmsChannel, utcnow
from nghedan.services.sms.channels import (
    note_failure,
    note_inbound,
    note_ping,
    requeue_failed_send,
    service_number,
)
from sms_gateway.inbound import InboundSms, store
from sms_gateway.senders import SendError

log = logging.getLogger(__name__)

CHANNEL = "gammu"
INBOX_NAME = re.compile(
    r"^IN(?P<date>\d{8})_(?P<time>\d{6})_(?P<serial>\d{2})_(?P<sender>.+)_(?P<part>\d{2})\.txt$"
)
PART_GAP = 60  # seconds between the network timestamps of two parts of one text
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
    """A text file as gammu-smsd wrote it: UTF-16 after a byte-order mark (InboxFormat =
    unicode) or the locale's encoding, UTF-8 here (standard)."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")


def encoded_for_outbox(body: str) -> bytes:
    """A text as gammu-smsd reads it whatever its locale: UTF-16 with a byte-order mark."""
    return b"\xfe\xff" + body.encode("utf-16-be")


def pending_texts(
    inbox: Path, settle_seconds: float = 0, now: float | None = None
) -> list[InboxText]:
    """The complete texts waiting in the inbox, oldest first.

    gammu-smsd names each part by its own timestamp from the network, so the parts of one
    long text may differ by a second or two (and arrive out of order): the parts of a text
    come from the same sender with the same serial within PART_GAP of each other, each part
    number once; they are joined in part order. A text whose newest file is younger than
    `settle_seconds` waits for the next run (gammu-smsd may still be writing its parts)."""
    now = time.time() if now is None else now
    found = []
    for path in inbox.iterdir():
        match = INBOX_NAME.match(path.name)
        if match and path.is_file():
            moment = match["date"] + match["time"]
            found.append((match["sender"], match["serial"], moment, int(match["part"]), path))
    texts: list[InboxText] = []
    current: tuple | None = None  # (sender, serial, first moment, part numbers) of texts[-1]
    for sender, serial, moment, part, path in sorted(found):
        joins = (
            current is not None
            and current[:2] == (sender, serial)
            and _seconds_between(current[2], moment) <= PART_GAP
            and part not in current[3]
        )
        if not joins:
            current = (sender, serial, moment, set())
            texts.append(InboxText(key="", sender=sender))
        current[3].add(part)
        texts[-1].files.append((part, path))
    for text in texts:
        text.files = [path for _, path in sorted(text.files)]
        text.key = text.files[0].name[: text.files[0].name.rindex("_")]
    ready = [t for t in texts if now - max(p.stat().st_mtime for p in t.files) >= settle_seconds]
    return sorted(ready, key=lambda t: t.key[2:17])


def _seconds_between(earlier: str, later: str) -> float:
    """Seconds between two `YYYYMMDDHHMMSS` stamps (a large number when unreadable)."""
    try:
        a, b = (datetime.strptime(x, "%Y%m%d%H%M%S") for x in (earlier, later))
    except ValueError:
        return float("inf")
    return (b - a).total_seconds()


@dataclass
class ImportReport:
    imported: int = 0
    repeated: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"imported {self.imported}, already imported {self.repeated}, "
            f"unreadable {self.failed} (the worker answers them)"
        )


def import_inbox(
    inbox: Path, processed: Path, *, channel: SmsChannel | None = None, settle_seconds: float = 0
) -> ImportReport:
    """Store every complete text in the inbox for the worker, then move its files away."""
    processed.mkdir(parents=True, exist_ok=True)
    channel_id = channel.id if channel else None
    recipient = service_number(channel) if channel else None
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


def check_modem(channel: SmsChannel, *, stuck_after: float, now: float | None = None) -> str:
    """Note the modem's health on the channel, as seen from its directories: "fail" when a
    text has waited in the outbox longer than `stuck_after` seconds (gammu-smsd is down or
    the SIM cannot send); texts gammu-smsd moved to its error directory count as failed
    sends and go back to the queue for another channel."""
    settings = channel.settings or {}
    now = time.time() if now is None else now
    waiting = [p for p in _listing(settings.get("outbox")) if p.name.startswith("OUT")]
    oldest = max((now - p.stat().st_mtime for p in waiting), default=0)
    status = "fail" if oldest > stuck_after else "pass"
    note_ping(channel, status, {"outbox_waiting": len(waiting), "oldest_seconds": round(oldest)})
    for path in _listing(settings.get("error")):
        _failed_send(channel, path.name)
    return status


def _listing(directory: str | None) -> list[Path]:
    if not directory or not Path(directory).is_dir():
        return []
    return [p for p in Path(directory).iterdir() if p.is_file()]


def _failed_send(channel: SmsChannel, name: str) -> None:
    """A file gammu-smsd could not send: once per message, back to the queue."""
    message = db.session.scalar(
        select(Message).where(
            Message.channel == CHANNEL,
            Message.provider_id == name,
            Message.direction == "out",
            Message.status == "sent",
        )
    )
    if message is None:
        return
    note_failure(channel.id, "gammu-error", f"gammu-smsd could not send {name}", counts_down=True)
    requeue_failed_send(message, "gammu-error", "gammu-smsd could not send it")


def _import_one(
    text: InboxText, channel_id: int | None, recipient: str | None, report: ImportReport
) -> None:
    sms = InboundSms(CHANNEL, text.sender, text.body(), provider_id=text.key, recipient=recipient)
    stored = store(sms, sms_channel_id=channel_id)
    if channel_id is not None:
        note_inbound(channel_id)
    if stored is None:
        report.repeated += 1
    else:
        report.imported += 1


class GammuOutbox:
    """Sends by leaving a file in gammu-smsd's outbox directory. With a message key (our id
    for the attempt) the file is named after it, and a file of that key already in the outbox
    or among the sent and failed ones means the text was handed over before (a worker died
    before recording it): it is not written again."""

    channel = CHANNEL

    def __init__(
        self, outbox: Path, *, message_key: str | None = None, handed_over: tuple[Path, ...] = ()
    ):
        self.outbox, self.message_key = outbox, message_key
        self.handed_over = (outbox, *handed_over)

    @classmethod
    def from_channel(cls, channel: SmsChannel, message_key: str | None = None) -> GammuOutbox:
        settings = channel.settings or {}
        if not settings.get("outbox"):
            raise ConfigurationError(f"gammu channel {channel.name!r} needs an outbox directory.")
        others = tuple(Path(settings[k]) for k in ("sent", "error") if settings.get(k))
        return cls(Path(settings["outbox"]), message_key=message_key, handed_over=others)

    def send(self, phone: str, body: str) -> str | None:
        note = self.message_key or f"nghedan{os.getpid()}x{next(_serial)}"
        earlier = self._earlier_file(note) if self.message_key else None
        if earlier:
            log.warning("gammu already has %s; not written again", earlier)
            return earlier
        stamp = utcnow().strftime("%Y%m%d_%H%M%S")
        name = f"OUTC{stamp}_{next(_serial) % 100:02d}_{phone}_{note}.txt"
        temporary = self.outbox / f".{name}.tmp"
        try:
            temporary.write_bytes(encoded_for_outbox(body))
            os.replace(temporary, self.outbox / name)
        except OSError as e:
            raise SendError(
                f"cannot write to gammu outbox {self.outbox}: {e}", code="gammu-io", transient=True
            ) from e
        return name

    def _earlier_file(self, note: str) -> str | None:
        for directory in self.handed_over:
            if directory.is_dir():
                for path in directory.glob(f"OUT*_{note}.txt"):
                    return path.name
        return None


def channel_dirs(
    channel: SmsChannel | None, inbox: str | None, processed: str | None
) -> tuple[Path, Path]:
    """The inbox and processed directories: given ones first, then the channel's settings."""
    settings = (channel.settings or {}) if channel else {}
    inbox_dir = inbox or settings.get("inbox")
    if not inbox_dir:
        raise ConfigurationError("no gammu inbox: give --inbox or a gammu channel with one")
    processed_dir = processed or settings.get("processed") or str(Path(inbox_dir) / "processed")
    return Path(inbox_dir), Path(processed_dir)


def settle_seconds(config: Mapping) -> float:
    return float(config.get("GAMMU_SETTLE_SECONDS") or 0)
