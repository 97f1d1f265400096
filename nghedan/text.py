"""Vietnamese text: NFC normalisation, and folding for matching (no diacritics, no case)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def nfc(text: str) -> str:
    """The canonical composed form in which every text is stored."""
    return unicodedata.normalize("NFC", text)


def fold_diacritics(text: str) -> str:
    """Lower-case text without tone or vowel marks, đ → d: `Hủy`, `huỷ`, `HUY` all give `huy`."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D").casefold()


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """`fold_diacritics` of one character, remembered: parsers fold texts character by
    character, and Vietnamese uses a few hundred distinct characters."""
    return fold_diacritics(ch)


def collapse_spaces(text: str) -> str:
    """Runs of whitespace become one space; ends trimmed."""
    return " ".join(text.split())


# Characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return;
# surrogates; U+FFFE and U+FFFF): one of them in a resident's text would stop a .docx or an
# .xlsx from being written.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text with the characters XML cannot hold replaced by U+FFFD (the stored text
    keeps them)."""
    return _XML_ILLEGAL.sub("\ufffd", text)
