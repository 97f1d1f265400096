"""Tracking codes: 8 digits, the last a Damm check digit.

Damm's algorithm catches every single-digit error and every swap of two neighbouring
digits, which are the mistakes people make on a keypad. Codes are random, so they can't
be guessed from one another.
"""

from __future__ import annotations

import re
import secrets

CODE_LENGTH = 8

# The weakly totally anti-symmetric quasigroup of order 10 (Damm, 2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

_SEPARATORS = re.compile(r"[\s.\-_/]+")


def damm_digit(digits: str) -> int:
    """The check digit for a string of digits (0 for the whole code when it is valid)."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return interim


def new_code() -> str:
    """A fresh random code: a non-zero first digit, 6 more digits, then the check digit."""
    body = str(1_000_000 + secrets.randbelow(9_000_000))  # one draw: 1000000 … 9999999
    return body + str(damm_digit(body))


def is_valid(code: str) -> bool:
    """True when `code` is 8 digits whose check digit matches."""
    return len(code) == CODE_LENGTH and code.isascii() and code.isdigit() and damm_digit(code) == 0


def normalize(raw: str) -> str | None:
    """Digits of what a person typed (`1234 5678`, `1234-5678`, leading zeros); None if not
    digits."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isascii() or not digits.isdigit():
        return None
    if len(digits) > CODE_LENGTH:
        digits = digits.lstrip("0").rjust(CODE_LENGTH, "0")
    return digits
