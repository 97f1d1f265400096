"""What a resident's text means: the SMS keyword language of DESIGN.md, as a pure function.

Matching runs on the folded text (no case, no diacritics: `Tra cứu` = `tra cuu` = `TRACUU`)
and tolerates punctuation, extra spaces and a missing space after the keyword (`TT:123`,
`tt  1234 5678.`, `DG01 2`). Text kept for an item or a comment is cut from the original,
so the resident's diacritics survive.

Keywords that are also ordinary words or abbreviations are only commands when their shape
says so: `TT` and `DG` need a number after them (`dg` is also how people shorten `đường`),
and `HD`, `HUY`, `DK` must stand alone (`hd lam giay khai sinh` is a question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nghedan import tracking_codes
from nghedan.text import fold_char, nfc

OPINION = "opinion"
STATUS = "status"
RATE = "rate"
HELP = "help"
STOP = "stop"
START = "start"

# What went wrong with a command the resident clearly meant.
EMPTY = "empty"
MISSING_CODE = "missing_code"
BAD_CODE = "bad_code"
MISSING_OFFICER = "missing_officer"
MISSING_SCORE = "missing_score"
BAD_SCORE = "bad_score"

MIN_SCORE, MAX_SCORE = 1, 4

HELP_WORDS = frozenset({"hd", "help", "huong dan", "huongdan", "tro giup", "info", "?"})
# HUY/STOP plus the carrier-standard opt-out words; DK/START plus the opt-in ones.
STOP_WORDS = frozenset({
    "huy", "huy dk", "huy dang ky", "tu choi", "stop", "stopall", "unsubscribe", "cancel",
    "end", "quit",
})
START_WORDS = frozenset({"dk", "dang ky", "dangky", "start", "unstop", "yes"})

_SEP = r"[\s:#.,;=\-]*"
_OPINION = re.compile(r"\s*(?:gop\s*y(?:\s+kien)?|gy)(?![a-z0-9])" + _SEP)
_STATUS = re.compile(r"\s*(tt|tra\s*cuu|status)(?![a-z])" + _SEP, re.S)
_RATE = re.compile(r"\s*(dg|danh\s*gia|rate)(?![a-z])" + _SEP, re.S)
_RATE_NUMBERS = re.compile(r"(\d+)(?:[\s:#.,;=\-]+(\d+))?")
_CODE_DIGITS = re.compile(r"\d[\d\s.\-_/]*")
_NOT_WORD = re.compile(r"[^a-z0-9?]+")
_EDGE_PUNCTUATION = " \t\r\n.,;:!-–—_/\\|\"'()[]{}<>*+=~"


@dataclass(frozen=True)
class Command:
    """One parsed text: what to do, with what, and what was wrong with it."""

    kind: str
    text: str = ""  # the opinion, or the comment after a rating (original spelling, NFC)
    code: str | None = None  # tracking code digits, as typed, without separators
    officer_code: str | None = None
    score: int | None = None
    problem: str | None = None


def parse(body: str | None) -> Command:
    """The meaning of one inbound text; never raises."""
    original = nfc(body or "").strip()
    if not original:
        return Command(HELP, problem=EMPTY)
    folded, origins = _fold_with_origins(original)
    words = _NOT_WORD.sub(" ", folded).strip()
    if words in HELP_WORDS or folded.strip() == "?":
        return Command(HELP)
    if words in STOP_WORDS:
        return Command(STOP)
    if words in START_WORDS:
        return Command(START)
    for attempt in (_status, _rating, _keyword_opinion):
        command = attempt(original, folded, origins)
        if command is not None:
            return command
    return Command(OPINION, text=original)


def _fold_with_origins(text: str) -> tuple[str, list[int]]:
    """Fold each character, remembering which original character each folded one came from."""
    pieces = list(map(fold_char, text))
    if all(len(piece) == 1 for piece in pieces):  # the usual case, Vietnamese included
        return "".join(pieces), list(range(len(text)))
    origins = []
    for index, piece in enumerate(pieces):
        origins.extend([index] * len(piece))
    return "".join(pieces), origins


def _original_from(original: str, origins: list[int], folded_index: int) -> str:
    start = origins[folded_index] if folded_index < len(origins) else len(original)
    return original[start:].lstrip(_EDGE_PUNCTUATION).rstrip()


def _status(original: str, folded: str, origins: list[int]) -> Command | None:
    match = _STATUS.match(folded)
    if not match:
        return None
    rest = folded[match.end():]
    if match.group(1) == "tt":
        # `tt` also abbreviates many words: a command only with a code right after it.
        digits = _CODE_DIGITS.match(rest)
        if not _looks_like_code(rest, digits):
            return None if rest.strip(_EDGE_PUNCTUATION) else Command(STATUS, problem=MISSING_CODE)
    else:
        digits = _CODE_DIGITS.search(rest)
    if digits is None:
        return Command(STATUS, problem=MISSING_CODE)
    code = tracking_codes.normalize(digits.group().strip(_EDGE_PUNCTUATION)) or ""
    problem = None if tracking_codes.is_valid(code) else BAD_CODE
    return Command(STATUS, code=code, problem=problem)


def _looks_like_code(rest: str, digits: re.Match | None) -> bool:
    """A code typed after a bare `TT`: the whole rest, or at least five digits of it."""
    if digits is None:
        return False
    alone = not rest[digits.end():].strip(_EDGE_PUNCTUATION)
    return alone or sum(ch.isdigit() for ch in digits.group()) >= 5


def _rating(original: str, folded: str, origins: list[int]) -> Command | None:
    match = _RATE.match(folded)
    if not match:
        return None
    numbers = _RATE_NUMBERS.match(folded, match.end())
    if numbers is None:
        if match.group(1) == "dg" and folded[match.end():].strip(_EDGE_PUNCTUATION):
            return None  # `dg ...` is also `đường ...`: an opinion
        return Command(RATE, problem=MISSING_OFFICER)
    officer_code, score_digits = numbers.group(1), numbers.group(2)
    if score_digits is None:
        if match.group(1) == "dg" and folded[numbers.end():].strip(_EDGE_PUNCTUATION):
            return None  # `dg 3 thang nay...`: a road, three months, not a rating
        return Command(RATE, officer_code=officer_code, problem=MISSING_SCORE)
    score = int(score_digits) if len(score_digits) <= 2 else 0
    comment = _original_from(original, origins, numbers.end())
    problem = None if MIN_SCORE <= score <= MAX_SCORE else BAD_SCORE
    return Command(RATE, text=comment, officer_code=officer_code,
                   score=score if problem is None else None, problem=problem)


def _keyword_opinion(original: str, folded: str, origins: list[int]) -> Command | None:
    match = _OPINION.match(folded)
    if not match:
        return None
    text = _original_from(original, origins, match.end())
    if not text:
        return Command(HELP)
    return Command(OPINION, text=text)
