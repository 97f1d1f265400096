"""The SMS keyword language: the corpus of real-looking texts, and properties of the parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nghedan.text import fold_diacritics, nfc
from sms_gateway.parser import Command, parse
from tests.sms_gateway.corpus import CORPUS, VALID_CODES, Case


def test_corpus_is_large_and_covers_every_meaning():
    assert len(CORPUS) >= 60
    assert {case.kind for case in CORPUS} == {"opinion", "status", "rate", "help", "stop", "start"}


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: repr(c.body[:40]))
def test_corpus_meaning(case: Case):
    command = parse(case.body)
    expected_text = case.text
    if case.kind == "opinion" and expected_text is None:
        expected_text = nfc(case.body).strip()
    assert command == Command(
        kind=case.kind, text=expected_text or "", code=case.code,
        officer_code=case.officer_code, score=case.score, problem=case.problem,
    )


def test_valid_codes_of_the_corpus_are_valid():
    from nghedan.tracking_codes import is_valid

    assert all(is_valid(code) for code in VALID_CODES)
    assert not is_valid("12345678")


@given(st.text(max_size=300))
def test_parser_never_raises_and_returns_a_known_kind(body):
    command = parse(body)
    assert command.kind in {"opinion", "status", "rate", "help", "stop", "start"}
    if command.kind == "opinion":
        assert command.text.strip()


@given(st.text())
def test_folding_is_idempotent(text):
    once = fold_diacritics(text)
    assert fold_diacritics(once) == once


@given(st.sampled_from(["TT", "tt", "Tra cứu", "TRACUU", "tra cuu"]),
       st.sampled_from(["", " ", ":", "  ", ": "]), st.sampled_from(VALID_CODES),
       st.sampled_from(["", ".", " ", "!"]))
def test_status_keyword_spellings(keyword, separator, code, tail):
    assert parse(f"{keyword}{separator}{code}{tail}") == Command("status", code=code)


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200))
def test_decomposed_input_means_the_same_as_composed(text):
    import unicodedata

    assert parse(unicodedata.normalize("NFD", text)) == parse(unicodedata.normalize("NFC", text))
