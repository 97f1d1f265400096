"""Parsing of the inbox's search words and page cursors (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from admin.inbox import cursor_value
from nghedan.request_args import MAX_ID
from nghedan.services.items.search import MAX_SEARCH_WORDS, Cursor, search_words

times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(times, st.integers(min_value=1, max_value=MAX_ID))  # ids are INTEGER columns
def test_cursor_round_trips(at, row_id):
    assert cursor_value(Cursor(at, row_id).encode()) == Cursor(at, row_id)


@given(st.text(max_size=40))
def test_any_garbage_cursor_is_none_or_a_cursor(raw):
    decoded = cursor_value(raw)
    assert decoded is None or isinstance(decoded, Cursor)


@given(st.text(max_size=200))
def test_search_words_are_plain_lower_case_words(q):
    words = search_words(q)
    assert len(words) <= MAX_SEARCH_WORDS
    for word in words:
        assert word and word == word.lower() and '"' not in word and "%" not in word
        assert "_" not in word and all(ch.isalnum() for ch in word)


def test_search_words_fold_vietnamese():
    assert search_words("Ngập  NƯỚC, đất-đai!") == ["ngap", "nuoc", "dat", "dai"]
    assert search_words("hoà hòa Huỷ") == ["hoa", "hoa", "huy"]
    assert search_words("   ") == [] and search_words(None) == []
