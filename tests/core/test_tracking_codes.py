from hypothesis import given
from hypothesis import strategies as st

from nghedan import tracking_codes
from nghedan.tracking_codes import damm_digit, is_valid, new_code, normalize


def test_known_damm_check_digit():
    # The worked example of Damm's algorithm: 572 → check digit 4.
    assert damm_digit("572") == 4
    assert damm_digit("5724") == 0


def test_new_codes_are_eight_valid_digits():
    for _ in range(1000):
        code = new_code()
        assert len(code) == 8 and code.isdigit() and code[0] != "0"
        assert is_valid(code)


def test_new_codes_cover_every_digit_in_every_place():
    # Codes can't be guessed from one another: each place takes every digit (the first 1-9).
    codes = [new_code() for _ in range(3000)]
    assert {c[0] for c in codes} == set("123456789")
    for place in range(1, 8):
        assert {c[place] for c in codes} == set("0123456789"), place


def _single_digit_typos(code):
    for i, ch in enumerate(code):
        for d in "0123456789":
            if d != ch:
                yield code[:i] + d + code[i + 1 :]


def _neighbour_swaps(code):
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2 :]


@given(st.integers(min_value=1_000_000, max_value=9_999_999))
def test_every_single_typo_and_neighbour_swap_is_caught(body):
    code = str(body) + str(damm_digit(str(body)))
    assert is_valid(code)
    for wrong in _single_digit_typos(code):
        assert not is_valid(wrong), wrong
    for wrong in _neighbour_swaps(code):
        assert not is_valid(wrong), wrong


def test_typos_caught_for_a_thousand_fresh_codes():
    for _ in range(1000):
        code = new_code()
        assert not any(is_valid(w) for w in _single_digit_typos(code))
        assert not any(is_valid(w) for w in _neighbour_swaps(code))


def test_normalize_accepts_what_people_type():
    assert normalize("1234 5678") == "12345678"
    assert normalize("1234-5678.") == "12345678"
    assert normalize("0012345678") == "12345678"  # leading zeros
    assert normalize("12a45678") is None
    assert normalize("") is None
    assert normalize("١٢٣") is None  # non-ASCII digits are not a code


@given(st.text())
def test_normalize_never_raises(raw):
    result = tracking_codes.normalize(raw)
    assert result is None or result.isdigit()
