"""What a recorded sound file really is: Opus in WebM or in Ogg, recognised by its bytes, and
how long it plays, read from the container (never from what the browser or a name claims).

Ogg Opus is read with mutagen. mutagen has no Matroska/WebM reader, so WebM is walked here:
a browser's MediaRecorder writes a live stream whose Segment and Clusters have an unknown
size and no Duration element, so the length is the last block's time.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from mutagen import MutagenError
from mutagen.oggopus import OggOpus

WEBM = "audio/webm"
OGG = "audio/ogg"
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_OGG_MAGIC = b"OggS"

# Matroska element ids (with their length marker, as written in the file).
_SEGMENT, _CLUSTER, _BLOCK_GROUP, _INFO = 0x18538067, 0x1F43B675, 0xA0, 0x1549A966
_TRACKS, _TRACK_ENTRY = 0x1654AE6B, 0xAE
_DOC_TYPE, _TIMECODE_SCALE, _DURATION = 0x4282, 0x2AD7B1, 0x4489
_CLUSTER_TIMECODE, _SIMPLE_BLOCK, _BLOCK, _CODEC_ID = 0xE7, 0xA3, 0xA1, 0x86
_DESCEND = {_SEGMENT, _CLUSTER, _BLOCK_GROUP, _INFO, _TRACKS, _TRACK_ENTRY}
_OPUS_FRAME_SECONDS = 0.02  # the last block plays for one frame after its start


class UnreadableAudio(ValueError):
    """The bytes are not Opus in WebM or Ogg, or their container can't be read."""


@dataclass(frozen=True)
class AudioFile:
    content_type: str  # audio/webm or audio/ogg
    seconds: float


def read_audio(data: bytes) -> AudioFile:
    """The container type and duration of Opus audio in WebM or Ogg; UnreadableAudio else."""
    if data.startswith(_OGG_MAGIC):
        return AudioFile(OGG, _ogg_seconds(data))
    if data.startswith(_EBML_MAGIC):
        return AudioFile(WEBM, _webm_seconds(data))
    raise UnreadableAudio("not WebM or Ogg")


def suffix_of(content_type: str) -> str:
    return ".ogg" if content_type == OGG else ".webm"


def _ogg_seconds(data: bytes) -> float:
    try:
        return float(OggOpus(io.BytesIO(data)).info.length)
    except MutagenError as e:
        raise UnreadableAudio(f"not Ogg Opus: {e}") from e
    except Exception as e:  # noqa: BLE001 - crafted bytes break mutagen in many ways
        raise UnreadableAudio(f"unreadable Ogg: {e!r}") from e


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-length integer at `pos`: (value, next position, all ones)."""
    if pos >= len(data):
        raise UnreadableAudio("truncated")
    first = data[pos]
    length = 8 - first.bit_length() + 1
    if first == 0 or pos + length > len(data):
        raise UnreadableAudio("bad EBML number")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    all_ones = value == (1 << (7 * length)) - 1 and not keep_marker
    return value, pos + length, all_ones


def _webm_seconds(data: bytes) -> float:
    scale, declared, cluster, last, codecs, doc = 1_000_000, 0.0, 0, None, [], b""
    pos = 0
    while pos < len(data):
        element, pos, _ = _vint(data, pos, keep_marker=True)
        size, pos, unknown = _vint(data, pos, keep_marker=False)
        if element in _DESCEND:
            continue  # its children follow (a live stream's sizes are unknown)
        if element == 0x1A45DFA3:  # the EBML header: only its DocType matters
            doc = _doc_type(data[pos : pos + size])
            pos += size
            continue
        if unknown or pos + size > len(data):
            break  # cut off at the end: what was read so far counts
        body = data[pos : pos + size]
        pos += size
        if element == _TIMECODE_SCALE:
            scale = int.from_bytes(body, "big")
        elif element == _DURATION and size in (4, 8):
            declared = struct.unpack(">f" if size == 4 else ">d", body)[0]
        elif element == _CLUSTER_TIMECODE:
            cluster = int.from_bytes(body, "big")
        elif element in (_SIMPLE_BLOCK, _BLOCK) and body:
            _track, at, _ = _vint(body, 0, keep_marker=False)
            ticks = cluster + struct.unpack(">h", body[at : at + 2])[0]
            last = ticks if last is None else max(last, ticks)
        elif element == _CODEC_ID:
            codecs.append(body.rstrip(b"\0"))
    if doc != b"webm" or not codecs or any(c != b"A_OPUS" for c in codecs):
        raise UnreadableAudio("not Opus in WebM")
    played = (last * scale / 1e9 + _OPUS_FRAME_SECONDS) if last is not None else 0.0
    return max(played, declared * scale / 1e9)


def _doc_type(header: bytes) -> bytes:
    pos = 0
    while pos < len(header):
        element, pos, _ = _vint(header, pos, keep_marker=True)
        size, pos, _ = _vint(header, pos, keep_marker=False)
        if element == _DOC_TYPE:
            return header[pos : pos + size].rstrip(b"\0")
        pos += size
    return b""
