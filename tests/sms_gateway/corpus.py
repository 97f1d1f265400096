"""Realistic texts residents send, with what each must mean.

Kept as data so every SMS channel (Twilio, and later the Android phone gateway and the GSM
modem) can replay the same corpus and must reach the same meaning. Codes used here:
12345671, 57201439, 30082510 and 90517761 are valid tracking codes; 12345678 is not (its
check digit is wrong). `text=None` on an opinion means "the whole message, as sent (NFC)".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

VALID_CODES = ("12345671", "57201439", "30082510", "90517761")


@dataclass(frozen=True)
class Case:
    body: str
    kind: str  # opinion | status | rate | help | stop | start
    text: str | None = None
    code: str | None = None
    officer_code: str | None = None
    score: int | None = None
    problem: str | None = None
    note: str = ""


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


LONG_TEXT = (
    "Kính gửi UBND xã Tân Thạnh. Tôi là người dân ấp Tân Phú, xin phản ánh việc đường liên "
    "ấp từ cầu Ba Bần đến trường tiểu học bị sụt lún nhiều chỗ, mùa mưa nước ngập sâu, học "
    "sinh đi học phải lội nước, xe máy té ngã nhiều lần. Bà con đã báo với ấp từ năm ngoái "
    "nhưng đến nay chưa thấy sửa. Đề nghị xã sớm khảo sát và có kế hoạch nâng cấp, ít nhất "
    "là san lấp tạm các ổ gà trước mùa mưa. Xin cảm ơn."
)

CORPUS: tuple[Case, ...] = (
    # Opinions, with and without diacritics, abbreviated, mixed case.
    Case("Đường ấp Tân Phú bị ngập nước cả tuần nay.", "opinion"),
    Case("duong ap tan phu bi ngap nuoc ca tuan nay", "opinion"),
    Case("den duong ap tan hoa hu 2 thang ko ai sua", "opinion", note="ko = không"),
    Case("Xin hỏi khi nào được nhận tiền hỗ trợ người cao tuổi?", "opinion"),
    Case("nha toi ko dc nhan tien ho tro lu lut nam ngoai", "opinion", note="dc = được"),
    Case("k co nuoc sach 3 ngay r, xa xem giup", "opinion", note="k = không, r = rồi"),
    Case("Bãi rác cạnh kênh bốc mùi hôi quá, đề nghị xã thu gom", "opinion"),
    Case("BAI RAC CANH KENH BOC MUI HOI QUA", "opinion"),
    Case("Trạm y tế thiếu thuốc huyết áp 😢", "opinion", note="emoji"),
    Case("Cảm ơn xã đã sửa cầu 👍👍", "opinion"),
    Case(nfd("Hàng xóm lấn đất nhà tôi nửa mét"), "opinion",
         text="Hàng xóm lấn đất nhà tôi nửa mét", note="decomposed Unicode"),
    Case(nfd("Đề nghị hỗ trợ hộ cận nghèo"), "opinion", text="Đề nghị hỗ trợ hộ cận nghèo"),
    Case(LONG_TEXT, "opinion", note="long, several segments"),
    Case("ban dem co nhom thanh nien dua xe tren de, ng dan rat lo", "opinion", note="ng = người"),
    Case("mk muon hoi thu tuc lam so do ntn", "opinion", note="mk = mình, ntn = như thế nào"),
    Case("hd lam giay khai sinh cho con can giay to j", "opinion",
         note="HD followed by words is a question, not the help keyword"),
    Case("tt 3 thang nay mat dien lien tuc", "opinion", note="TT followed by words: not a code"),
    Case("dg ap tan phu ngap het roi", "opinion", note="dg = đường"),
    Case("dg 3 thang nay ko ai sua", "opinion", note="dg = đường, one number then words"),
    Case("Đường ĐT 943 đoạn qua ấp Mỹ Thạnh có ổ gà lớn", "opinion"),
    Case("xax tan thanh can sua dduwowngf", "opinion", note="Telex remnants"),
    Case("Hủy bỏ chợ tạm ở đầu ấp được không?", "opinion", note="HUY in a sentence"),
    Case("Stop xả rác xuống kênh đi mọi người!", "opinion", note="STOP in a sentence"),
    Case("  Tiền đền bù   chưa nhận đủ  ", "opinion", text="Tiền đền bù   chưa nhận đủ"),
    Case("1234", "opinion", note="digits without a keyword"),
    Case("?? sao chua tra loi", "opinion"),
    # Opinions with the GY / GÓP Ý keyword: the keyword is removed.
    Case("GY duong ap tan loi bi sat lo", "opinion", text="duong ap tan loi bi sat lo"),
    Case("gy: den duong hu", "opinion", text="den duong hu"),
    Case("GOP Y ve viec cap nuoc sach", "opinion", text="ve viec cap nuoc sach"),
    Case("Góp ý: trường học cần sửa mái", "opinion", text="trường học cần sửa mái"),
    Case("góp ý kiến về giờ làm việc của xã", "opinion", text="về giờ làm việc của xã"),
    Case("GOPY cong thoat nuoc bi nghet", "opinion", text="cong thoat nuoc bi nghet"),
    Case(nfd("Góp ý đèn đường"), "opinion", text="đèn đường"),
    Case("GY", "help", note="the keyword alone: tell them how"),
    # Status look-ups.
    Case("TT 12345671", "status", code="12345671"),
    Case("tt 12345671", "status", code="12345671"),
    Case("TT:57201439", "status", code="57201439"),
    Case("tt  3008 2510.", "status", code="30082510"),
    Case("TT1234-5671", "status", code="12345671"),
    Case("Tra cứu 90517761", "status", code="90517761"),
    Case("tra cuu 90517761", "status", code="90517761"),
    Case("TRACUU 57201439", "status", code="57201439"),
    Case("TRA CUU ma so 12345671", "status", code="12345671"),
    Case("Tt 0012345671", "status", code="12345671", note="leading zeros"),
    Case("status 30082510", "status", code="30082510"),
    Case("TT 12345678", "status", code="12345678", problem="bad_code", note="wrong check digit"),
    Case("TT:123456", "status", code="123456", problem="bad_code", note="too short"),
    Case("TT", "status", problem="missing_code"),
    Case("tra cuu", "status", problem="missing_code"),
    # Ratings.
    Case("DG 01 1", "rate", officer_code="01", score=1),
    Case("dg 01 2", "rate", officer_code="01", score=2),
    Case("DG01 2", "rate", officer_code="01", score=2),
    Case("DG 1 3", "rate", officer_code="1", score=3),
    Case("đg 02 4", "rate", officer_code="02", score=4),
    Case("Đánh giá 03 1", "rate", officer_code="03", score=1),
    Case("DG 02 4 thai do kem, bat cho lau", "rate", officer_code="02", score=4,
         text="thai do kem, bat cho lau", note="comment after the score"),
    Case("DG 01 5", "rate", officer_code="01", problem="bad_score"),
    Case("DG 01 0", "rate", officer_code="01", problem="bad_score"),
    Case("DG 01", "rate", officer_code="01", problem="missing_score"),
    Case("DG", "rate", problem="missing_officer"),
    Case("danh gia", "rate", problem="missing_officer"),
    # Help, opt-out, opt-in.
    Case("HD", "help"),
    Case("hd", "help"),
    Case("Hướng dẫn", "help"),
    Case("HELP", "help"),
    Case("help!", "help"),
    Case("?", "help"),
    Case("", "help", problem="empty"),
    Case("   \n ", "help", problem="empty"),
    Case("HUY", "stop"),
    Case("Hủy", "stop"),
    Case("huỷ.", "stop", note="tone mark on the other vowel"),
    Case("STOP", "stop"),
    Case("Huy dang ky", "stop"),
    Case("DK", "start"),
    Case("Đăng ký", "start"),
    Case("START", "start"),
)
