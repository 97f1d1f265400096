"""The SMS language: the corpus of real-looking texts, and properties of the parser."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nghedan.text import fold_diacritics, nfc
from sms_gateway import parser, vocabulary
from sms_gateway.parser import Command, parse, parse_with_rule
from tests.sms_gateway.corpus import CORPUS, VALID_CODES, Case

WHOLE_TEXT_KINDS = ("opinion", "chatter", "schedule")
# The machine running the suite may be busy: no per-example deadline (a slow example is not
# a wrong one).
relaxed = settings(deadline=None)


def expected_command(case: Case) -> Command:
    text = case.text
    if text is None:
        text = nfc(case.body).strip() if case.kind in WHOLE_TEXT_KINDS else ""
    codes = case.codes or ((case.code,) if case.kind == "status" and case.code else ())
    return Command(
        kind=case.kind,
        text=text,
        code=case.code,
        officer_code=case.officer_code,
        score=case.score,
        problem=case.problem,
        codes=codes,
        mentions=case.mentions,
        legal_hint=case.hint,
    )


def test_corpus_is_large_and_covers_every_meaning():
    assert len(CORPUS) >= 160
    assert {case.kind for case in CORPUS} == parser.KINDS


def test_every_rule_has_examples_in_the_corpus():
    used = {parse_with_rule(case.body)[0] for case in CORPUS}
    assert used == {rule.name for rule in parser.RULES} | {"opinion"}


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: repr(c.body[:40]))
def test_corpus_meaning(case: Case):
    assert parse(case.body) == expected_command(case)


def test_valid_codes_of_the_corpus_are_valid():
    from nghedan.tracking_codes import is_valid

    assert all(is_valid(code) for code in VALID_CODES)
    assert not is_valid("12345678")


@relaxed
@given(st.text(max_size=300))
def test_parser_never_raises_and_returns_a_known_kind(body):
    command = parse(body)
    assert command.kind in parser.KINDS
    if command.kind == "opinion":
        assert command.text.strip()
    assert all(code.isascii() and code.isdigit() for code in command.codes + command.mentions)


@relaxed
@given(st.text())
def test_folding_is_idempotent(text):
    once = fold_diacritics(text)
    assert fold_diacritics(once) == once


@relaxed
@given(
    st.sampled_from(
        [
            "TT",
            "tt",
            "Tra cứu",
            "TRACUU",
            "tra cuu",
            "T T",
            "t.t",
            "Ma",
            "mã số",
            "kiem tra ma",
            "TT ma",
            "",
        ]
    ),
    st.sampled_from(["", " ", ":", "  ", ": ", " <", " ("]),
    st.sampled_from(VALID_CODES),
    st.sampled_from(["", ".", " ", "!", ">", ")", " a", " voi a", " nhe"]),
)
def test_status_keyword_spellings(keyword, separator, code, tail):
    body = f"{keyword}{separator}{code}{tail}"
    assert parse(body) == Command("status", code=code, codes=(code,)), body


@relaxed
@given(st.sampled_from(VALID_CODES), st.sampled_from([" ", "-", "  ", " - "]))
def test_a_code_typed_in_two_halves_is_one_code(code, gap):
    assert parse(f"ma {code[:4]}{gap}{code[4:]}").codes == (code,)


@relaxed
@given(st.sampled_from(VALID_CODES), st.integers(min_value=0, max_value=7))
def test_a_code_with_one_digit_changed_is_caught(code, place):
    wrong = code[:place] + str((int(code[place]) + 1) % 10) + code[place + 1 :]
    assert parse(f"TT {wrong}").problem == "bad_code"


@relaxed
@given(st.text(alphabet="0123456789", min_size=1, max_size=14).filter(lambda d: len(d) != 8))
def test_digits_of_another_length_say_how_long_codes_are(digits):
    command = parse(digits)
    assert command.kind == "status"
    if len(command.codes) == 1 and len(command.codes[0]) != 8:
        assert command.problem == "bad_length"


@relaxed
@given(
    st.sampled_from(VALID_CODES),
    st.lists(
        st.sampled_from(["duong", "nuoc", "ngap", "hu", "sua", "rac", "cau", "lo", "sat"]),
        min_size=3,
        max_size=12,
    ),
)
def test_a_code_inside_a_longer_complaint_is_a_new_opinion_that_mentions_it(code, words):
    command = parse(f"{code} {' '.join(words)}")
    assert (command.kind, command.mentions) == ("opinion", (code,))


@relaxed
@given(
    st.sampled_from(["DG", "dg", "Đánh giá", "danh gia"]),
    st.sampled_from(["01", "1", "02"]),
    st.sampled_from([(w, s) for w, s in vocabulary.SCORE_WORDS]),
)
def test_every_score_word_rates(keyword, officer, word_and_score):
    word, score = word_and_score
    command = parse(f"{keyword} {officer} {word}")
    assert (command.kind, command.officer_code, command.score) == ("rate", officer, score)


@relaxed
@given(st.lists(st.sampled_from(sorted(vocabulary.CHATTER_WORDS)), min_size=1, max_size=6))
def test_chatter_never_becomes_an_item(words):
    assert parse(" ".join(words)).kind != "opinion"


@relaxed
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200))
def test_decomposed_input_means_the_same_as_composed(text):
    assert parse(unicodedata.normalize("NFD", text)) == parse(unicodedata.normalize("NFC", text))
