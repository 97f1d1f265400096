"""The words residents text, by meaning: the vocabulary the SMS parser's rules read.

Everything here is folded (no case, no diacritics, `đ` → `d`) and matched word by word after
the abbreviations are spelt out. Add a word where residents use it, with a corpus example
(tests/sms_gateway/corpus.py) and a line in docs/SMS.md.
"""

from __future__ import annotations

import re

# Abbreviations people text, spelt out for matching (DOMAIN-VI.md "How people text").
ABBREVIATIONS = {
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "hok": "khong",
    "hong": "khong",
    "kg": "khong",
    "dc": "duoc",
    "j": "gi",
    "vs": "voi",
    "mk": "minh",
    "ng": "nguoi",
    "tks": "thanks",
    "thank": "thanks",
    "thks": "thanks",
    "cmon": "cam on",
    "camon": "cam on",
    "oke": "ok",
    "okie": "ok",
    "okay": "ok",
    "oki": "ok",
    "alo": "a lo",
    "hl": "hai long",
    "rhl": "rat hai long",
    "khl": "khong hai long",
    "tracuu": "tra cuu",
    "maso": "ma so",
    "dangky": "dang ky",
    "dky": "dang ky",
    "huongdan": "huong dan",
    "doithoai": "doi thoai",
    "tn": "tin nhan",
    "sms": "tin nhan",
    "nx": "nua",
    "kt": "kiem tra",
    "hailong": "hai long",
    "rathailong": "rat hai long",
    "khonghailong": "khong hai long",
    "chuahailong": "chua hai long",
    "binhthuong": "binh thuong",
    "kiemtra": "kiem tra",
    "xinchao": "xin chao",
    "gqc": "giai quyet chua",
    "dv": "dich vu",
    "cb": "can bo",
    "pls": "please",
    "schedule": "lich",
    "lichdoithoai": "lich doi thoai",
    "lichj": "lich",
    "hdsd": "huong dan su dung",
}

HELP_PHRASES = frozenset(
    {
        "hd",
        "help",
        "huong dan",
        "tro giup",
        "info",
        "menu",
        "cu phap",
        "huong dan su dung",
        "cach su dung",
        "cach nhan tin",
        "huong dan nhan tin",
        "huong dan gui y kien",
    }
)
# HUY/STOP plus the carrier-standard opt-out words; DK/START plus the opt-in ones.
STOP_PHRASES = frozenset(
    {
        "huy",
        "huy dk",
        "huy dang ky",
        "tu choi",
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "xoa so",
        "xoa ten",
        "xoa so dien thoai",
    }
)
START_PHRASES = frozenset(
    {
        "dk",
        "dang ky",
        "start",
        "unstop",
        "yes",
        "dang ky lai",
        "dk lai",
        "nhan tin lai",
        "nhan lai tin nhan",
        "tiep tuc nhan tin",
        "dk nhan tin",
        "dang ky nhan tin",
        "cho nhan tin lai",
    }
)
# An opt-out said in words: a "no more" word, a "texts" word, nothing else but politeness.
STOP_NEGATIONS = frozenset({"khong", "ngung", "dung", "thoi", "huy", "bo", "tat", "cam", "het"})
STOP_MESSAGING = frozenset(
    {"gui", "nhan tin", "tin nhan", "gui tin", "lam phien", "dich vu", "nhan nua"}
)
STOP_MESSAGE_WORDS = frozenset({"nhan", "gui", "tin", "lam", "phien", "dich", "vu", "dang", "ky"})
POLITE = frozenset(
    {
        "nua",
        "toi",
        "em",
        "minh",
        "cho",
        "so",
        "nay",
        "xin",
        "vui",
        "long",
        "a",
        "nhe",
        "nha",
        "muon",
        "lam",
        "on",
        "di",
        "ve",
        "tu",
        "dien",
        "thoai",
        "quang",
        "cao",
        "ban",
        "oi",
        "xa",
        "anh",
        "chi",
        "chu",
        "bac",
        "co",
        "nhieu",
        "qua",
        "vao",
        "den",
        "lai",
        "please",
        "e",
    }
)
# Said alone, these may mean "stop the texts", or something else (`dung` is also `đúng`).
ASK_STOP_PHRASES = frozenset(
    {
        "dung",
        "thoi",
        "khong",
        "khong can",
        "khong can nua",
        "thoi khoi",
        "dung lai",
        "bo",
        "ngung",
        "dung nua",
        "thoi nhe",
        "khoi",
        "thoi khong can",
        "khong muon",
        "xoa",
        "het",
        "thoi dung",
        "ngung lai",
        "khong nhan",
        "dung nhan",
        "ngung nhan",
    }
)

# A question about the dialogue (`hop` alone only at the end: `hop dong` is a contract).
SCHEDULE_TOPIC = re.compile(
    r"\b(doi thoai|tiep xuc|txdt|gap dan|gap go|hop (dan|ap|to|xom|khom|thon)|di hop|hop$)\b"
    r"|^hop (luc|vao|ngay|o)\b"
)
SCHEDULE_ASK = re.compile(
    r"\b(khi nao|bao gio|luc nao|ngay nao|o dau|cho nao|noi nao|may gio|"
    r"hom nao|bua nao|lich|thoi gian|dia diem|ngay may)\b"
)
LICH_FOLLOWERS = frozenset({"doi", "thoai", "tiep", "xuc", "hop", "dan", "txdt", "dt", "tx"})

# Words a resident wraps a lookup in: `Kiem tra giup em ma 12345678 voi a`.
LOOKUP_WORDS = frozenset(
    """
tt t tra cuu status kiem xem ma so code check cho giup em a anh chi co chu bac toi minh voi
nhe nha oi xa hoi ve ket qua trang thai cua y kien da duoc giai quyet chua roi sao the nao
gi den dau xu ly lam on vui long xin ho tinh hinh don thu nay la toi gui hom truoc bao gio
khi nao ra duoc khong voi a loi xong muon biet
""".split()
)
# A lookup without a code (`y kien cua toi sao roi`): the sender's own latest item.
HOW_IS_IT_GOING = (
    "sao roi",
    "the nao",
    "ket qua",
    "trang thai",
    "giai quyet",
    "xu ly",
    "tra loi chua",
    "den dau",
    "xong chua",
)
LOOKUP_KEYWORDS = ("tt", "t t", "tra cuu", "status", "kiem tra", "ma so", "ma", "xem ma", "check")

# Thanks, greetings, acknowledgements: nothing to store.
CHATTER_WORDS = frozenset(
    """
ok vang da a lo xin chao hello hi helo cam on thanks you nhieu rat xa anh chi em co chu bac
nhe nha oi uh u um uhm hihi haha hehe test thu nhan duoc roi biet tot qua ban cac moi nguoi
ca lam con chuc khoe good bye tam biet chao buoi sang chieu toi ah oh dear ui e c uk
please ma so tra loi giup do giai quyet nhanh cho hoi ai
k ko kh khong dc duoc hok hong
""".split()
)
THANKS = re.compile(r"\b(cam on|thanks|tks)\b")

# What the law treats apart. Denunciation-like: an official's wrongdoing (tố cáo).
DENUNCIATION_WORDS = re.compile(
    r"\b(to cao|hoi lo|tham nhung|tham o|voi tien|an tien|hach sach|nhung nhieu|bao ke|"
    r"lot tay|phong bi|chay chot|lam dung chuc vu|lam dung quyen|an chan|an bot|rut ruot|"
    r"tien boi duong|tien ca phe|tien cafe|tien uong nuoc|gay kho de)\b"
)
# Asking for money is wrongdoing when an official asks (`đòi tiền đền bù` is a claim).
MONEY_DEMAND = re.compile(r"\b(doi tien|doi them tien|bat dua tien|doi chi phi|lay tien)\b")
OFFICIAL = re.compile(
    r"\b(can bo|cong chuc|truong ap|pho ap|truong khom|cong an|dia chinh|chu tich|"
    r"to truong|nhan vien|thu ky)\b"
)
COMPLAINT_WORDS = re.compile(
    r"\b(khieu nai|khieu kien|(khong dong y|phan doi) (voi )?(quyet dinh|qd)|"
    r"xem xet lai (quyet dinh|qd))\b"
)

# Rating levels in words, longest first (the four-level public-service scale).
SCORE_WORDS: tuple[tuple[str, int], ...] = (
    ("rat hai long", 1),
    ("rat tot", 1),
    ("tuyet voi", 1),
    ("khong hai long", 4),
    ("chua hai long", 3),
    ("binh thuong", 3),
    ("tam duoc", 3),
    ("chua tot", 3),
    ("hai long", 2),
    ("tot", 2),
    ("bt", 3),
    ("rat kem", 4),
    ("qua te", 4),
    ("khong tot", 4),
    ("kem", 4),
    ("te", 4),
    ("ok", 2),
)
