"""SMS segments: GSM-7 or UCS-2, how many parts a text takes, and the unaccented fallback."""

from __future__ import annotations

import math
from dataclasses import dataclass

from nghedan.text import fold_char

# GSM 03.38 basic character set, and the extension table (each costs two septets).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    parts: int


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text)


def count_segments(text: str) -> Segments:
    """How a phone network will split `text`: 160/153 septets or 70/67 UCS-2 units."""
    if is_gsm7(text):
        units = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        parts = 1 if units <= 160 else math.ceil(units / 153)
        return Segments("GSM-7", units, parts)
    units = len(text.encode("utf-16-le")) // 2
    parts = 1 if units <= 70 else math.ceil(units / 67)
    return Segments("UCS-2", units, parts)


def unaccented(text: str) -> str:
    """The text without Vietnamese marks, keeping case: `Đã nhận` → `Da nhan`."""
    out = []
    for ch in text:
        folded = fold_char(ch)
        if len(folded) == 1 and folded != ch.casefold():
            out.append(folded.upper() if ch.isupper() else folded)
        else:
            out.append(ch)
    return "".join(out)


def fit_for_sms(text: str) -> str:
    """Keep diacritics when they fit one segment; else unaccented if that fits one GSM-7 one."""
    if count_segments(text).parts == 1:
        return text
    plain = unaccented(text)
    return plain if count_segments(plain).parts < count_segments(text).parts else text


def fits_one_segment(text: str) -> bool:
    """Whether `text` goes as one SMS once `fit_for_sms` has chosen its form."""
    return count_segments(fit_for_sms(text)).parts == 1
