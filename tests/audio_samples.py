"""Sound files for tests: a real WebM/Opus recording made by Chromium from a spoken WAV, and
Ogg Opus files of any declared length built page by page (mutagen writes the pages)."""

from __future__ import annotations

import struct
from pathlib import Path

from mutagen.ogg import OggPage

# 3 s of espeak-ng saying a Vietnamese sentence, recorded by Chromium's MediaRecorder
# (audio/webm;codecs=opus, 24 kbit/s): what a kiosk uploads.
WEBM_3S = Path(__file__).parent / "data" / "voice-3s.webm"
PRE_SKIP = 312


def webm_3s() -> bytes:
    return WEBM_3S.read_bytes()


def ogg_opus(seconds: float) -> bytes:
    """An Ogg Opus stream whose last page says it plays `seconds` (one silent frame)."""
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", PRE_SKIP, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 5) + b"tests" + struct.pack("<I", 0)
    silence = b"\xf8\xff\xfe"  # one 20 ms CELT frame of silence
    packets = [(head, 0), (tags, 0), (silence, PRE_SKIP + round(seconds * 48000))]
    out = b""
    for sequence, (packet, granule) in enumerate(packets):
        page = OggPage()
        page.serial, page.sequence, page.position = 7, sequence, granule
        page.packets = [packet]
        page.first = sequence == 0
        page.last = sequence == len(packets) - 1
        out += page.write()
    return out
