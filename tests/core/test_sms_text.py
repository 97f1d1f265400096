from hypothesis import given
from hypothesis import strategies as st

from nghedan.sms_text import count_segments, fit_for_sms, unaccented


def test_gsm7_limits():
    assert count_segments("a" * 160).parts == 1
    assert count_segments("a" * 161).parts == 2
    assert count_segments("a" * 306).parts == 2
    assert count_segments("a" * 307).parts == 3
    assert count_segments("€" * 80) == count_segments("€" * 80)
    assert count_segments("€" * 80).units == 160  # extension characters cost two


def test_ucs2_limits_and_emoji():
    assert count_segments("ệ" * 70).parts == 1
    assert count_segments("ệ" * 71).parts == 2
    assert count_segments("ệ" * 134).parts == 2
    assert count_segments("😀" * 35).encoding == "UCS-2"
    assert count_segments("😀" * 36).parts == 2  # an emoji is two UTF-16 units


def test_long_vietnamese_reply_falls_back_to_unaccented_one_segment():
    reply = "Đã nhận ý kiến của bạn. Mã tra cứu: 12345678. Nhắn TT 12345678 để xem tình trạng."
    assert count_segments(reply).parts == 2
    fitted = fit_for_sms(reply)
    assert fitted == (
        "Da nhan y kien cua ban. Ma tra cuu: 12345678. Nhan TT 12345678 de xem tinh trang."
    )
    assert count_segments(fitted).parts == 1


def test_short_reply_keeps_diacritics():
    assert fit_for_sms("Đã nhận, cảm ơn.") == "Đã nhận, cảm ơn."


def test_unaccented_keeps_case():
    assert unaccented("Đường Hủy ĐẤT") == "Duong Huy DAT"


@given(st.text(max_size=400))
def test_fitting_never_adds_segments(text):
    assert count_segments(fit_for_sms(text)).parts <= count_segments(text).parts
