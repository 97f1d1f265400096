"""Phone numbers: parse what residents and providers send, store E.164, show masked."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "VN"


@lru_cache(maxsize=4096)  # every inbound text parses its sender and our number again
def to_e164(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """`0912 345 678` → `+84912345678`; None when it is not a valid phone number."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A resident who writes on the commune's Zalo page without sharing a phone number is known by
# `zalo:<n>` (n: our id of their Zalo user) wherever a phone number would name them.
ZALO_ADDRESS_PREFIX = "zalo:"


def is_zalo_address(value: str | None) -> bool:
    rest = (value or "").removeprefix(ZALO_ADDRESS_PREFIX)
    return (
        bool(value) and value.startswith(ZALO_ADDRESS_PREFIX) and rest.isascii() and rest.isdigit()
    )


def display(e164: str) -> str:
    """How Vietnamese write a number: `0912 345 678` for a Vietnamese one."""
    if is_zalo_address(e164):
        return "Zalo #" + e164.removeprefix(ZALO_ADDRESS_PREFIX)
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 84:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def masked(e164: str | None) -> str:
    """A number shown to roles that must not see it whole: `0912 *** *78`."""
    if not e164:
        return ""
    shown = display(e164)
    digits_seen, out = 0, []
    total = sum(ch.isdigit() for ch in shown)
    for ch in shown:
        if ch.isdigit():
            digits_seen += 1
            keep = digits_seen <= 4 or digits_seen > total - 2
            out.append(ch if keep else "*")
        else:
            out.append(ch)
    return "".join(out)
