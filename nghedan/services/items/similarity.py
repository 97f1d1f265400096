"""How alike two residents' items read: overlap of their folded words (no diacritics)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nghedan.models import Item

SIMILAR_AT = 0.3  # share of words in common from which two items look like one
_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = frozenset(
    "va la cua co khong ko k o da bi duoc dc cho nay voi vs toi de nghi xin xa ap thi".split()
)


def word_set(folded: str) -> set[str]:
    """The meaningful words of a folded text (short and common words left out)."""
    return {w for w in _WORD.findall(folded or "") if len(w) > 1 and w not in _STOP_WORDS}


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two word sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def most_similar(item: Item, others: Iterable[Item]) -> list[tuple[Item, float]]:
    """The other items that look like this one, most alike first, with their score."""
    words = word_set(item.text_folded)
    scored = [
        (other, similarity(words, word_set(other.text_folded)))
        for other in others
        if other.id != item.id
    ]
    scored = [(other, score) for other, score in scored if score >= SIMILAR_AT]
    scored.sort(key=lambda pair: pair[1], reverse=True)
    return scored
