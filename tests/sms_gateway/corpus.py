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
    kind: str  # opinion | status | rate | help | stop | start | ask_stop | schedule | chatter
    text: str | None = None
    code: str | None = None
    officer_code: str | None = None
    score: int | None = None
    problem: str | None = None
    note: str = ""
    codes: tuple[str, ...] = ()  # a status request for several codes (default: `code`)
    mentions: tuple[str, ...] = ()  # an opinion that refers to earlier codes
    hint: str | None = None  # complaint | denunciation, for the official to confirm


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
    Case("Cảm ơn xã đã sửa cầu 👍👍", "opinion", note="thanks with content: an opinion"),
    Case(
        nfd("Hàng xóm lấn đất nhà tôi nửa mét"),
        "opinion",
        text="Hàng xóm lấn đất nhà tôi nửa mét",
        note="decomposed Unicode",
    ),
    Case(nfd("Đề nghị hỗ trợ hộ cận nghèo"), "opinion", text="Đề nghị hỗ trợ hộ cận nghèo"),
    Case(LONG_TEXT, "opinion", note="long, several segments"),
    Case("ban dem co nhom thanh nien dua xe tren de, ng dan rat lo", "opinion", note="ng = người"),
    Case("mk muon hoi thu tuc lam so do ntn", "opinion", note="mk = mình, ntn = như thế nào"),
    Case(
        "hd lam giay khai sinh cho con can giay to j",
        "opinion",
        note="HD followed by words is a question, not the help keyword",
    ),
    Case("tt 3 thang nay mat dien lien tuc", "opinion", note="TT followed by words: not a code"),
    Case("dg ap tan phu ngap het roi", "opinion", note="dg = đường"),
    Case("dg 3 thang nay ko ai sua", "opinion", note="dg = đường, one number then words"),
    Case("Đường ĐT 943 đoạn qua ấp Mỹ Thạnh có ổ gà lớn", "opinion"),
    Case("xax tan thanh can sua dduwowngf", "opinion", note="Telex remnants"),
    Case("Hủy bỏ chợ tạm ở đầu ấp được không?", "opinion", note="HUY in a sentence"),
    Case("Stop xả rác xuống kênh đi mọi người!", "opinion", note="STOP in a sentence"),
    Case("  Tiền đền bù   chưa nhận đủ  ", "opinion", text="Tiền đền bù   chưa nhận đủ"),
    Case(
        "1234",
        "status",
        code="1234",
        problem="bad_length",
        note="digits alone: a code, of the wrong length",
    ),
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
    Case("TT:123456", "status", code="123456", problem="bad_length", note="too short"),
    Case("TT", "status", problem="missing_code"),
    Case("tra cuu", "status", problem="missing_code"),
    # Ratings.
    Case("DG 01 1", "rate", officer_code="01", score=1),
    Case("dg 01 2", "rate", officer_code="01", score=2),
    Case("DG01 2", "rate", officer_code="01", score=2),
    Case("DG 1 3", "rate", officer_code="1", score=3),
    Case("đg 02 4", "rate", officer_code="02", score=4),
    Case("Đánh giá 03 1", "rate", officer_code="03", score=1),
    Case(
        "DG 02 4 thai do kem, bat cho lau",
        "rate",
        officer_code="02",
        score=4,
        text="thai do kem, bat cho lau",
        note="comment after the score",
    ),
    Case("DG 01 5", "rate", officer_code="01", problem="bad_score"),
    Case(
        "DG 01 4 rat tot",
        "rate",
        officer_code="01",
        score=4,
        text="rat tot",
        problem="score_conflict",
        note="4 is 'không hài lòng' here, but stars would make it good: asked again",
    ),
    Case(
        "Dg 03 1 te qua",
        "rate",
        officer_code="03",
        score=1,
        text="te qua",
        problem="score_conflict",
        note="1 is 'rất hài lòng', the words say bad",
    ),
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
    Case("dk nhan tin", "start"),
    *(
        # --- issue 15: texts as residents really send them ---------------------------------
        # Status requests in every natural form.
        Case("T T 12345671", "status", code="12345671", note="spaced keyword"),
        Case("t.t 12345671", "status", code="12345671", note="dotted keyword"),
        Case("T.T: 57201439", "status", code="57201439"),
        Case("TT ma 12345671", "status", code="12345671"),
        Case("tt: ma so 30082510", "status", code="30082510"),
        Case("TT <12345671>", "status", code="12345671", note="the help's template copied"),
        Case("TT (90517761)", "status", code="90517761"),
        Case("TT [57201439]", "status", code="57201439"),
        Case("12345671", "status", code="12345671", note="a bare code"),
        Case(
            "12345671 duong chua sua",
            "status",
            code="12345671",
            text="12345671 duong chua sua",
            note="a lookup with a nudge: answered, and the nudge kept in the item's history",
        ),
        Case(" 5720 1439 ", "status", code="57201439", note="a bare code in two halves"),
        Case("Ma 12345671", "status", code="12345671"),
        Case("ma so 30082510", "status", code="30082510"),
        Case("Mã số: 90517761", "status", code="90517761"),
        Case("kiem tra ma 57201439", "status", code="57201439"),
        Case("Kiem tra giup em ma 12345671 voi a", "status", code="12345671"),
        Case(
            "Kiểm tra giúp em mã 12345678 với ạ",
            "status",
            code="12345678",
            problem="bad_code",
            note="wrong check digit, said politely",
        ),
        Case("ma 1234 5671", "status", code="12345671", note="code split in two"),
        Case("tra cuu giup toi ma 3008-2510", "status", code="30082510"),
        Case("xem ket qua ma 90517761", "status", code="90517761"),
        Case("12345671 sao roi a", "status", code="12345671", note="how is it going"),
        Case("ma 57201439 da giai quyet chua", "status", code="57201439"),
        Case("y kien 30082510 the nao roi", "status", code="30082510"),
        Case(
            "TT 12345671 57201439",
            "status",
            code="12345671",
            codes=("12345671", "57201439"),
            note="two codes",
        ),
        Case("12345671, 90517761", "status", code="12345671", codes=("12345671", "90517761")),
        Case("TT 12345671 va 30082510", "status", code="12345671", codes=("12345671", "30082510")),
        Case("TT 1234567", "status", code="1234567", problem="bad_length", note="7 digits"),
        Case("ma 123456789", "status", code="123456789", problem="bad_length", note="9 digits"),
        Case("Ma so 12345678", "status", code="12345678", problem="bad_code"),
        Case("kiem tra", "status", problem="missing_code", note="the keyword alone"),
        Case("TT ma", "status", problem="missing_code"),
        Case(
            "y kien cua toi sao roi",
            "status",
            problem="missing_code",
            note="no code: the sender's own latest item",
        ),
        Case("Ý kiến của em giải quyết chưa ạ?", "status", problem="missing_code"),
        Case("ket qua the nao roi", "status", problem="missing_code"),
        Case("DG01 hailong", "rate", officer_code="01", score=2, note="words run together"),
        Case("Danh gia can bo 01: muc 2", "rate", officer_code="01", score=2),
        Case("DG cb 02 rat hai long", "rate", officer_code="02", score=1),
        Case("Cho hoi ma 12345671 toi dau roi", "status", code="12345671"),
        Case("ma so cua toi la 57201439, xem giup", "status", code="57201439"),
        Case("Ok xa oi, duong ap tan phu bi ngap", "opinion", note="ok, then an opinion"),
        Case("Cam on xa, nhung den duong van chua sua", "opinion"),
        Case("ok e", "chatter"),
        Case("k dc", "chatter", note="không được: too little to act on; help, joins nothing"),
        Case("Ko đc", "chatter"),
        Case("đừng nhắn nữa", "stop"),
        Case("HUY DV", "stop", note="dv = dịch vụ"),
        Case("stop pls", "stop"),
        Case("khi nao hop", "schedule"),
        Case("hop luc may gio", "schedule"),
        Case("khi nao ky hop dong cho thue dat", "opinion", note="hop dong: a contract"),
        Case("toi muon biet ket qua y kien hom truoc", "status", problem="missing_code"),
        Case("ok da nhan duoc ma", "chatter"),
        Case("Cam on xa da tra loi", "chatter"),
        Case("DG 01 ok", "rate", officer_code="01", score=2),
        Case("cho toi hoi", "chatter", note="the question comes next"),
        Case("xoa so", "stop"),
        Case("xoa so toi di", "ask_stop"),
        Case("Huỷ đăng ký nhận tin", "stop"),
        Case("thoi nhe a", "ask_stop"),
        Case("bao gio co buoi gap dan", "schedule"),
        Case("lichj doi thoai", "schedule", note="Telex remnant"),
        Case("ddg 01 2", "rate", officer_code="01", score=2, note="Telex for đg"),
        Case("tra cuwus 12345671", "status", code="12345671", note="Telex remnant"),
        Case("huong dan su dung", "help"),
        Case("Alo xa oi", "chatter"),
        Case("toi khong nhan duoc gi ca", "opinion", note="not receiving: a problem to report"),
        Case("Cảm ơn 🙏", "chatter"),
        Case("ok 12345671", "status", code="12345671"),
        Case(
            "0912345678",
            "status",
            code="0912345678",
            problem="bad_length",
            note="a phone number alone: said as typed, 10 digits",
        ),
        Case("Thoi roi, nha bi ngap", "opinion", note="thôi rồi: not a stop"),
        # A long text that mentions a code: a new opinion referring to the earlier one.
        Case(
            "12345671 duong van chua sua xong, nuoc van ngap, de nghi xa xem lai",
            "opinion",
            mentions=("12345671",),
            note="a new complaint naming an earlier code",
        ),
        Case(
            "Toi da gui y kien ma 57201439 tu thang truoc ma den nay bai rac van chua duoc "
            "don, mui hoi qua",
            "opinion",
            mentions=("57201439",),
        ),
        Case(
            "TT 30082510 sao lau qua, 2 thang roi ma den duong ap Tan Hoa van hu, ban dem toi thui",
            "opinion",
            mentions=("30082510",),
            note="keyword and code, then a new complaint",
        ),
        # Ratings in words.
        Case("DG 01 rat hai long", "rate", officer_code="01", score=1),
        Case("DG 01 hai long", "rate", officer_code="01", score=2),
        Case("dg 02 chua hai long", "rate", officer_code="02", score=3),
        Case("DG 03 binh thuong", "rate", officer_code="03", score=3),
        Case("DG 01 khong hai long", "rate", officer_code="01", score=4),
        Case("dg 01 ko hai long", "rate", officer_code="01", score=4, note="ko = không"),
        Case("danh gia 01 kem", "rate", officer_code="01", score=4),
        Case("Đánh giá 02 rất hài lòng", "rate", officer_code="02", score=1),
        Case("DG 01 hl", "rate", officer_code="01", score=2, note="hl = hài lòng"),
        Case(
            "DG01 rat hl, chi Lan nhiet tinh",
            "rate",
            officer_code="01",
            score=1,
            text="chi Lan nhiet tinh",
            note="comment after the words",
        ),
        Case("dg 02 tot", "rate", officer_code="02", score=2),
        Case("DG 03 te qua", "rate", officer_code="03", score=4, text="qua"),
        # A rating whose comment alleges wrongdoing: a denunciation to confirm.
        Case(
            "DG 02 4 can bo hach sach, bat nop them giay",
            "rate",
            officer_code="02",
            score=4,
            text="can bo hach sach, bat nop them giay",
            hint="denunciation",
        ),
        # Even with a good score (sent by mistake, or out of fear), an allegation is acted on.
        Case(
            "dg 01 1 nhung phai doi tien moi lam",
            "rate",
            officer_code="01",
            score=1,
            text="nhung phai doi tien moi lam",
            hint="denunciation",
        ),
        Case(
            "dg 02 khong hai long, doi tien moi lam nhanh",
            "rate",
            officer_code="02",
            score=4,
            text="doi tien moi lam nhanh",
            hint="denunciation",
        ),
        # Chatter: a friendly help, no item.
        Case("Ok", "chatter"),
        Case("ok a", "chatter"),
        Case("Oke", "chatter"),
        Case("Alo", "chatter"),
        Case("alo alo", "chatter"),
        Case("xin chao", "chatter"),
        Case("Xin chào xã", "chatter"),
        Case("Hello", "chatter"),
        Case("hi", "chatter"),
        Case("cam on", "chatter"),
        Case("Cảm ơn ạ", "chatter"),
        Case("cam on xa nhieu", "chatter"),
        Case("tks", "chatter"),
        Case("Vâng", "chatter"),
        Case("da nhan duoc roi", "chatter"),
        Case("👍", "chatter", note="a lone emoji"),
        Case("🙏🙏", "chatter"),
        Case(":)", "chatter"),
        Case("...", "chatter"),
        # Opt-out in words; ambiguous ones are asked about.
        Case("ko nhan tin nua", "stop"),
        Case("Không nhận tin nữa", "stop"),
        Case("ngung nhan tin", "stop"),
        Case("dung gui", "stop"),
        Case("dung gui tin nhan nua", "stop"),
        Case("Xin đừng gửi tin nhắn cho tôi nữa", "stop"),
        Case("huy dang ky", "stop"),
        Case("k muon nhan tin nua", "stop"),
        Case("dung lam phien", "stop"),
        Case("dung", "ask_stop", note="dừng? đúng?"),
        Case("thoi", "ask_stop"),
        Case("khong can nua", "ask_stop"),
        Case("Dừng lại", "ask_stop"),
        Case(
            "toi khong nhan duoc tin nhan tra loi",
            "opinion",
            note="not receiving is a problem to report, not an opt-out",
        ),
        # Opt-in in words.
        Case("dang ky lai", "start"),
        Case("DK lai", "start"),
        # When and where: the next dialogue.
        Case("LICH", "schedule"),
        Case("lich", "schedule"),
        Case("Lịch đối thoại", "schedule"),
        Case("lich doi thoai ap tan phu", "schedule"),
        Case("khi nao doi thoai", "schedule"),
        Case("Khi nào đối thoại vậy?", "schedule"),
        Case("doi thoai o dau", "schedule"),
        Case("bao gio hop dan", "schedule"),
        Case("lich tiep xuc", "schedule"),
        Case("lich cat dien ap tan phu tuan nay", "opinion", note="another schedule: an opinion"),
        # Complaints and denunciations arriving by SMS.
        Case("toi khieu nai quyet dinh thu hoi dat cua xa", "opinion", hint="complaint"),
        Case(
            "Tôi không đồng ý với quyết định bồi thường, đề nghị xem xét lại",
            "opinion",
            hint="complaint",
        ),
        Case("ko dong y qd den bu cua xa", "opinion", hint="complaint"),
        Case("to cao can bo dia chinh doi tien moi cap so do", "opinion", hint="denunciation"),
        Case("Tố cáo ông trưởng ấp nhận hối lộ", "opinion", hint="denunciation"),
        Case("can bo xa an tien cua dan khi lam giay to", "opinion", hint="denunciation"),
        Case(
            "GY: co nguoi bao ke o cho, thu tien ve sinh",
            "opinion",
            text="co nguoi bao ke o cho, thu tien ve sinh",
            hint="denunciation",
        ),
        # Still opinions, whatever they look like.
        Case("Hu den duong 3 cot gan truong", "opinion", note="digit and words"),
        Case("nha so 12 ap tan hoa bi nut tuong do xe tai", "opinion"),
        Case("hop ngay 12/12/2026 a", "opinion", note="a date is not a code"),
        Case("nop 5.000.000 roi", "opinion", note="an amount is not a code"),
        Case(
            "Doi tien den bu cho ho toi",
            "opinion",
            note="claiming compensation: no official asked for money",
        ),
        Case(
            "can bo dia chinh doi tien 5 trieu moi do dat",
            "opinion",
            hint="denunciation",
            note="an official asking for money",
        ),
    ),
)
