import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nghedan.text import collapse_spaces, fold_diacritics, nfc


def test_fold_removes_marks_and_case():
    assert fold_diacritics("Đất đai") == "dat dai"
    assert fold_diacritics("NGẬP NƯỚC") == "ngap nuoc"
    assert fold_diacritics("Tra cứu") == fold_diacritics("tra cuu")


def test_both_tone_placements_fold_the_same():
    assert fold_diacritics("hủy") == fold_diacritics("huỷ") == "huy"
    assert fold_diacritics("hòa") == fold_diacritics("hoà") == "hoa"


def test_decomposed_input_folds_and_normalises():
    decomposed = unicodedata.normalize("NFD", "Đường ấp Tân Phú")
    assert decomposed != "Đường ấp Tân Phú"
    assert nfc(decomposed) == "Đường ấp Tân Phú"
    assert fold_diacritics(decomposed) == "duong ap tan phu"


def test_collapse_spaces():
    assert collapse_spaces("  tt   123 \n 456 ") == "tt 123 456"


@given(st.text())
def test_fold_is_idempotent(text):
    once = fold_diacritics(text)
    assert fold_diacritics(once) == once


@given(st.text())
def test_nfc_is_idempotent(text):
    assert nfc(nfc(text)) == nfc(text)
