"""What a resident's text means: the SMS language of docs/SMS.md, as a pure function.

Residents text from basic phones: no diacritics, abbreviations (`ko`, `dc`, `k`), odd spacing
and punctuation, the keyword spelt many ways (`TT`, `T T`, `t.t`, `tra cuu`, `kiem tra`,
`ma so`…) or left out (`12345671`). Matching runs on the folded text (no case, no
diacritics: `Tra cứu` = `tra cuu` = `TRACUU`) split into words, with the common
abbreviations spelt out; the words each rule reads are in `vocabulary.py`. Text kept for an
item or a comment is cut from the original, so the resident's diacritics survive.

`RULES` is the whole language: tried in order, the first that recognises the text decides;
a text none recognises is a new opinion. Every rule has examples in the corpus
(tests/sms_gateway/corpus.py), and docs/SMS.md lists the phrases with the reply each gets.

Rules of thumb, from how people really text:
- A short text holding a tracking code is a lookup; a long one that mentions a code is a
  new opinion that refers to the earlier one (`mentions`). "Short" means at most
  `MAX_OTHER_WORDS` words beyond those people wrap a lookup in (`LOOKUP_WORDS`).
- Keywords that are also ordinary words or abbreviations are commands only when their
  shape says so: `dg` is also `đường`, `hd` also `hướng dẫn làm…`, `stop` also an English
  word in a sentence.
- Opt-out phrases opt out only when the whole text says so (`ko nhan tin nua`); a bare
  `dung` or `thoi` is asked about, never taken as an opinion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from nghedan import tracking_codes
from nghedan.text import fold_char, nfc
from sms_gateway import vocabulary as v

OPINION = "opinion"
STATUS = "status"
RATE = "rate"
HELP = "help"
STOP = "stop"
START = "start"
ASK_STOP = "ask_stop"  # an unclear "stop…": ask whether they mean no more texts
SCHEDULE = "schedule"  # when and where the next dialogue is
CHATTER = "chatter"  # ok, alo, cảm ơn, an emoji: a friendly word, nothing stored
KINDS = frozenset({OPINION, STATUS, RATE, HELP, STOP, START, ASK_STOP, SCHEDULE, CHATTER})

# What went wrong with a command the resident clearly meant.
EMPTY = "empty"
MISSING_CODE = "missing_code"
BAD_CODE = "bad_code"  # 8 digits, but the check digit is wrong (a typo)
BAD_LENGTH = "bad_length"  # not 8 digits
MISSING_OFFICER = "missing_officer"
MISSING_SCORE = "missing_score"
BAD_SCORE = "bad_score"
# The number says one thing and the words after it the other (`DG 01 4 rat tot`: 4 is "không
# hài lòng" on this scale, where stars would make it good): asked again, nothing counted.
SCORE_CONFLICT = "score_conflict"

# What an opinion (or a rating's comment) reads as, for the official to confirm.
COMPLAINT = "complaint"
DENUNCIATION = "denunciation"

MIN_SCORE, MAX_SCORE = 1, 4
MAX_CODES = 5  # codes answered from one text
MAX_OTHER_WORDS = 2  # words beyond LOOKUP_WORDS a lookup may carry ("12345671 duong chua sua")
MAX_SHORT_WORDS = 12  # longer texts are never a lookup, a schedule question or chatter

_OPINION_KEYWORD = re.compile(r"\s*(?:gop\s*y(?:\s+kien)?|gy)(?![a-z0-9])[\s:#.,;=\-]*")
# `DG 01 2`, `danh gia can bo 01: muc 2`, `DG cb 01 hai long`.
_RATE = re.compile(
    r"\s*d?(dg|danh\s*gia|rate)(?![a-z])[\s:#.,;=\-]*"
    r"(?:(?:ma\s*)?(?:can\s*bo|cb)(?![a-z])[\s:#.,;=\-]*)?",
    re.S,
)
_RATE_NUMBERS = re.compile(
    r"([0-9]+)(?:[\s:#.,;=\-]+(?:muc(?![a-z])[\s:#.,;=\-]*)?"
    r"([0-9]+)(?![0-9]))?"
)
_WORD = re.compile(r"[a-z]+|[0-9]+")
# Digits a person types as one number: `12345671`, `1234 5671`, `1234-5671`; not a date
# (`12/12/2026`, `12.12.2026`) nor an amount (`5.000.000`).
_DIGIT_GROUP = re.compile(r"[0-9]+(?:[ \-]{1,3}[0-9]+)*")
_CODE_GAP = re.compile(r"[ \-]+")
_EDGE_PUNCTUATION = " \t\r\n.,;:!-–—_/\\|\"'()[]{}<>*+=~"


@dataclass(frozen=True)
class Command:
    """One parsed text: what to do, with what, and what was wrong with it."""

    kind: str
    text: str = ""  # the opinion, or the comment after a rating (original spelling, NFC)
    code: str | None = None  # the (first) tracking code asked about, digits only
    officer_code: str | None = None
    score: int | None = None
    problem: str | None = None
    codes: tuple[str, ...] = ()  # every code asked about (a status request)
    mentions: tuple[str, ...] = ()  # valid codes an opinion refers to
    legal_hint: str | None = None  # COMPLAINT or DENUNCIATION, for the official to confirm


@dataclass(frozen=True)
class Rule:
    """One line of the language: its name, what it recognises, and a few examples."""

    name: str
    recognise: Callable[[Text], Command | None]
    examples: str


class Text:
    """One text, folded for matching, with the way back to the resident's own characters."""

    def __init__(self, body: str):
        self.original = nfc(body or "").strip()
        pieces = list(map(fold_char, self.original))
        self.folded = "".join(pieces)
        if len(self.folded) == len(self.original):  # the usual case, Vietnamese included
            self.origins = range(len(self.original))
        else:
            self.origins = [i for i, piece in enumerate(pieces) for _ in piece]

    @cached_property
    def spans(self) -> list[tuple[str, int, int]]:
        """Each word or number of the folded text, with where it ends and begins."""
        return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(self.folded)]

    @cached_property
    def words(self) -> list[str]:
        """The words, abbreviations spelt out (`ko dc` → `khong duoc`)."""
        found = _WORD.findall(self.folded)
        return " ".join([v.ABBREVIATIONS.get(w, w) for w in found]).split()

    @cached_property
    def codes(self) -> list[str]:
        """Every number typed as a code (see `_codes_in`)."""
        return _codes_in(self.folded)

    @cached_property
    def phrase(self) -> str:
        return " ".join(self.words)

    def original_from(self, folded_index: int) -> str:
        """The resident's own text from a place in the folded text, edges trimmed."""
        start = (
            self.origins[folded_index] if folded_index < len(self.origins) else len(self.original)
        )
        return self.original[start:].lstrip(_EDGE_PUNCTUATION).rstrip()


def parse(body: str | None) -> Command:
    """The meaning of one inbound text; never raises."""
    return parse_with_rule(body)[1]


def parse_with_rule(body: str | None) -> tuple[str, Command]:
    """The meaning of one text, and the name of the rule that decided it."""
    text = Text(body)
    for rule in RULES:
        command = rule.recognise(text)
        if command is not None:
            return rule.name, command
    return "opinion", opinion(text)


def opinion(text: Text) -> Command:
    """A new opinion, with what it reads as and the earlier codes it mentions."""
    codes = [c for c in text.codes if tracking_codes.is_valid(c)]
    return Command(
        OPINION,
        text=text.original,
        mentions=tuple(dict.fromkeys(codes)),
        legal_hint=legal_hint(text.phrase),
    )


def legal_hint(phrase: str, *, about_an_official: bool = False) -> str | None:
    """DENUNCIATION or COMPLAINT when the folded words read like one, else None.

    `about_an_official`: the words are a rating's comment, so they speak of an officer.
    """
    if v.DENUNCIATION_WORDS.search(phrase):
        return DENUNCIATION
    if v.MONEY_DEMAND.search(phrase) and (about_an_official or v.OFFICIAL.search(phrase)):
        return DENUNCIATION
    if v.COMPLAINT_WORDS.search(phrase):
        return COMPLAINT
    return None


def code_problem(code: str) -> str | None:
    """What is wrong with a code as typed: its length, or its check digit."""
    if len(code) != tracking_codes.CODE_LENGTH:
        return BAD_LENGTH
    return None if tracking_codes.is_valid(code) else BAD_CODE


# --- the rules, in the order they are tried ----------------------------------------------


def _empty(text: Text) -> Command | None:
    return Command(HELP, problem=EMPTY) if not text.original else None


def _help(text: Text) -> Command | None:
    if text.phrase in v.HELP_PHRASES or (not text.words and "?" in text.original):
        return Command(HELP)
    return None


def _stop(text: Text) -> Command | None:
    core = " ".join(w for w in text.words if w not in v.POLITE)  # `huy a`, `stop pls`
    if core in v.STOP_PHRASES or text.phrase in v.STOP_PHRASES:
        return Command(STOP)
    words = set(text.words)
    if not words & v.STOP_NEGATIONS or len(text.words) > 10:
        return None
    pairs = {" ".join(text.words[i : i + 2]) for i in range(len(text.words) - 1)}
    said = (words | pairs) & v.STOP_MESSAGING
    rest = words - v.STOP_NEGATIONS - v.STOP_MESSAGE_WORDS - v.POLITE
    if said and not rest and not _mentions_receiving(text):
        return Command(STOP)
    return None


def _mentions_receiving(text: Text) -> bool:
    """`ko nhan duoc tin nhan` is a problem to report, not an opt-out."""
    return "duoc" in text.words


def _ask_stop(text: Text) -> Command | None:
    core = " ".join(w for w in text.words if w not in v.POLITE)  # `thoi nhe a`
    return (
        Command(ASK_STOP)
        if text.phrase in v.ASK_STOP_PHRASES or (core in v.ASK_STOP_PHRASES)
        else None
    )


def _start(text: Text) -> Command | None:
    return Command(START) if text.phrase in v.START_PHRASES else None


def _schedule(text: Text) -> Command | None:
    words, phrase = text.words, text.phrase
    if not words or len(words) > MAX_SHORT_WORDS:
        return None
    if words[0] == "lich" and (len(words) == 1 or words[1] in v.LICH_FOLLOWERS):
        return Command(SCHEDULE, text=text.original)
    if v.SCHEDULE_TOPIC.search(phrase) and v.SCHEDULE_ASK.search(phrase):
        return Command(SCHEDULE, text=text.original)
    return None


def _rating(text: Text) -> Command | None:
    match = _RATE.match(text.folded)
    if not match:
        return None
    keyword, rest = match.group(1), text.folded[match.end() :]
    numbers = _RATE_NUMBERS.match(text.folded, match.end())
    if numbers is None:
        if keyword == "dg" and rest.strip(_EDGE_PUNCTUATION):
            return None  # `dg ...` is also `đường ...`: an opinion
        return Command(RATE, problem=MISSING_OFFICER)
    officer_code, score_digits = numbers.group(1), numbers.group(2)
    if score_digits is not None:
        score = int(score_digits) if len(score_digits) <= 2 else 0
        return _rated(text, officer_code, score, numbers.end())
    worded = _score_in_words(text, numbers.end())
    if worded is not None:
        return _rated(text, officer_code, *worded)
    if keyword == "dg" and text.folded[numbers.end() :].strip(_EDGE_PUNCTUATION):
        return None  # `dg 3 thang nay...`: a road, three months, not a rating
    return Command(RATE, officer_code=officer_code, problem=MISSING_SCORE)


def _score_in_words(text: Text, start: int) -> tuple[int, int] | None:
    """The score said in words right after the officer's code, and where those words end."""
    spans = [s for s in text.spans if s[1] >= start][:5]
    if spans and spans[0][0] in ("muc", "la"):  # `DG 01 muc hai long`
        spans = spans[1:]
    expanded: list[tuple[str, int]] = []  # each spelt-out word, with the end of its span
    for word, _begin, end in spans:
        expanded.extend((w, end) for w in v.ABBREVIATIONS.get(word, word).split())
    for words, score in v.SCORE_WORDS:
        wanted = words.split()
        if [w for w, _ in expanded[: len(wanted)]] == wanted:
            return score, expanded[len(wanted) - 1][1]
    return None


def _rated(text: Text, officer_code: str, score: int, comment_from: int) -> Command:
    comment = text.original_from(comment_from)
    problem = None if MIN_SCORE <= score <= MAX_SCORE else BAD_SCORE
    hint = legal_hint(Text(comment).phrase, about_an_official=True) if comment else None
    worded = _score_in_words(text, comment_from) if comment and problem is None else None
    if worded is not None and hint is None and (worded[0] <= 2) != (score <= 2):
        return Command(
            RATE, text=comment, officer_code=officer_code, score=score, problem=SCORE_CONFLICT
        )
    return Command(
        RATE,
        text=comment,
        officer_code=officer_code,
        score=score if problem is None else None,
        problem=problem,
        legal_hint=hint,
    )


def _keyword_opinion(text: Text) -> Command | None:
    match = _OPINION_KEYWORD.match(text.folded)
    if not match:
        return None
    rest = text.original_from(match.end())
    return opinion(Text(rest)) if rest else Command(HELP)


def _status(text: Text) -> Command | None:
    codes = text.codes
    keyword = _has_lookup_keyword(text)
    others = [w for w in text.words if not w.isdigit() and w not in v.LOOKUP_WORDS]
    short = len(others) <= MAX_OTHER_WORDS and len(text.words) <= MAX_SHORT_WORDS
    if not codes:
        return (
            Command(STATUS, problem=MISSING_CODE)
            if _asks_without_code(text, keyword, others)
            else None
        )
    digits_only = all(w.isdigit() for w in text.words)
    well_formed = any(len(c) == tracking_codes.CODE_LENGTH for c in codes)
    if not short or not (keyword or digits_only or well_formed):
        return None
    codes = tuple(dict.fromkeys(codes))[:MAX_CODES]
    problem = code_problem(codes[0]) if len(codes) == 1 else None
    # `12345671 duong chua sua`: what they add is kept for officials (not `… va …`).
    said = text.original if len([w for w in others if w not in v.POLITE]) >= 2 else ""
    return Command(STATUS, text=said, code=codes[0], codes=codes, problem=problem)


def _asks_without_code(text: Text, keyword: bool, others: list[str]) -> bool:
    """`TT`, `tra cuu`, `y kien cua toi sao roi`: a lookup whose code was left out."""
    if others or not text.words:
        return False
    if keyword and text.words[0] in ("tt", "tra", "kiem", "status", "t"):
        return True
    padded = f" {text.phrase} "
    return any(f" {marker} " in padded for marker in v.HOW_IS_IT_GOING)


def _has_lookup_keyword(text: Text) -> bool:
    padded = f" {text.phrase} "
    return any(f" {k} " in padded for k in v.LOOKUP_KEYWORDS)


def _codes_in(folded: str) -> list[str]:
    """Every number typed as a code: spaces and dashes inside it dropped, numbers typed one
    after another split into codes of eight digits, leading zeros of a long one dropped."""
    codes = []
    for group in _DIGIT_GROUP.findall(folded):
        pending = ""
        for part in _CODE_GAP.split(group):
            if pending and len(pending) + len(part) > tracking_codes.CODE_LENGTH:
                codes.append(pending)
                pending = ""
            pending += part
            if len(pending) >= tracking_codes.CODE_LENGTH:
                codes.append(pending)
                pending = ""
        if pending:
            codes.append(pending)
    return [_as_code(c) for c in codes]


def _as_code(digits: str) -> str:
    """`0012345671` → `12345671`; a number that is no code of any kind stays as typed."""
    code = tracking_codes.normalize(digits) or digits
    return code if len(code) == tracking_codes.CODE_LENGTH else digits


def _chatter(text: Text) -> Command | None:
    if not text.words:  # emoji, stickers, punctuation: nothing to read
        return Command(CHATTER, text=text.original)
    if len(text.words) <= 8 and all(w in v.CHATTER_WORDS for w in text.words):
        return Command(CHATTER, text=text.original)
    return None


RULES: tuple[Rule, ...] = (
    Rule("empty", _empty, "(nothing) → help"),
    Rule("help", _help, "HD · hướng dẫn · help · ?"),
    Rule("opt-out", _stop, "HUY · STOP · ko nhan tin nua · ngung nhan tin · dung gui"),
    Rule("opt-out, unsure", _ask_stop, "dung · thoi · khong can nua → asked"),
    Rule("opt-in", _start, "DK · START · dang ky lai"),
    Rule("schedule", _schedule, "LICH · lich doi thoai · khi nao doi thoai · doi thoai o dau"),
    Rule("rating", _rating, "DG 01 2 · DG 01 rat hai long · danh gia 01 kem"),
    Rule("keyword opinion", _keyword_opinion, "GY duong hu · Góp ý: …"),
    Rule("status", _status, "TT 12345671 · t.t 12345671 · ma 1234 5671 · 12345671"),
    Rule("chatter", _chatter, "ok · alo · xin chao · cam on · 👍"),
)
