"""Vietnamese name order and dd/mm/yyyy days: the core helpers every list and form uses."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from nghedan.collation import person_sort_key, word_key
from nghedan.formatting import parse_day


def test_people_sort_by_given_name_then_family_name_in_vietnamese_letter_order():
    names = [
        "Nguyễn Quốc Việt",
        "Đỗ Thị Ánh",
        "Trần Văn Bình",
        "Lê Văn An",
        "Hồ Thị Âu",
        "Phạm Thị Đào",
        "Lê Dung",
        "Võ Thị Ăn",
        "Nguyễn Văn An",
    ]
    assert sorted(names, key=person_sort_key) == [
        "Lê Văn An",
        "Nguyễn Văn An",
        "Đỗ Thị Ánh",
        "Võ Thị Ăn",
        "Hồ Thị Âu",
        "Trần Văn Bình",
        "Lê Dung",
        "Phạm Thị Đào",
        "Nguyễn Quốc Việt",
    ]


def test_letters_before_tones_and_tones_in_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng — and only when the letters are the same.
    assert sorted(["Ma", "Mạ", "Má", "Mã", "Mả", "Mà"], key=word_key) == [
        "Ma",
        "Mà",
        "Mả",
        "Mã",
        "Má",
        "Mạ",
    ]
    assert sorted(["Ánh", "Anh", "An"], key=word_key) == ["An", "Anh", "Ánh"]
    assert sorted(["Đức", "Dũng", "Duy", "Em"], key=word_key) == ["Dũng", "Duy", "Đức", "Em"]


def test_decomposed_text_spacing_and_case_sort_like_the_composed_name():
    decomposed = unicodedata.normalize("NFD", "Đỗ Thị Ánh")
    assert person_sort_key(decomposed)[:2] == person_sort_key("  đỗ   thị ÁNH ")[:2]
    assert person_sort_key("") < person_sort_key("Lê Văn An")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("05/03/2026", date(2026, 3, 5)),
        ("5/3/2026", date(2026, 3, 5)),
        ("05-03-2026", date(2026, 3, 5)),
        ("05.03.2026", date(2026, 3, 5)),
        (" 2026-03-05 ", date(2026, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_days_are_read_as_vietnamese_write_them(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", ["31/02/2026", "03/05/26", "hôm qua", "5/3", "2026/13/01"])
def test_impossible_days_are_refused(typed):
    with pytest.raises(ValueError):
        parse_day(typed)
