"""Vietnamese sort order: the alphabet's own letter order, tones after the letters, and
people's names by given name first (as Vietnamese lists of people are ordered).

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (so "Ánh" and
"Âu" come after every "An…", "Đ" after all of "D"), and a word differs by its tones only
when its letters are the same, in the dictionaries' order: ngang, huyền, hỏi, ngã, sắc, nặng.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from nghedan.text import collapse_spaces, nfc

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_WEIGHTS = {letter: n for n, letter in enumerate(_ALPHABET, start=1)}
# Combining tone marks (NFD) in dictionary order; the vowel marks ˘ ˆ and the horn stay
# with their letter (ă, â, ê, ô, ơ, ư are letters of their own).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_DIGITS_AND_OTHERS = 100  # after the letters: digits, then anything else by code point


@lru_cache(maxsize=2048)
def _letter(ch: str) -> tuple[int, int]:
    """(letter weight, tone) of one character."""
    decomposed = unicodedata.normalize("NFD", ch.casefold())
    tone = next((_TONES[m] for m in decomposed if m in _TONES), 0)
    letter = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
    weight = _WEIGHTS.get(letter)
    if weight is None:
        weight = _DIGITS_AND_OTHERS + ord(letter[:1] or " ")
    return weight, tone


def word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The sort key of a word or phrase: its letters first, then its tones."""
    pairs = [_letter(ch) for ch in nfc(word)]
    return tuple(w for w, _ in pairs), tuple(t for _, t in pairs)


def person_sort_key(name: str | None) -> tuple:
    """Sort key of a Vietnamese full name (family name first): by the given name (the last
    word), then the family and middle names, in Vietnamese letter order.

    `sorted(names, key=person_sort_key)` gives "Lê Văn An", "Đỗ Thị Ánh", "Nguyễn Quốc Việt".
    """
    words = collapse_spaces(nfc(name or "")).split()
    if not words:
        return ((), (), ())
    given, family = words[-1], " ".join(words[:-1])
    return word_key(given), word_key(family), tuple(words)
