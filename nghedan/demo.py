"""The demo commune that `make run` loads into an empty database."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from nghedan.extensions import db
from nghedan.models import (
    AgendaEntry,
    Commune,
    Dialogue,
    Hamlet,
    Item,
    Officer,
    Rating,
    User,
    utcnow,
)
from nghedan.services.items.history import change_status
from nghedan.services.items.intake import create_item
from nghedan.services.people.ratings import record_rating
from nghedan.services.people.users import create_user

DEMO_COMMUNE_CODE = "tan-thanh"
DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "nghedan-demo"

HAMLETS = (
    ("Ấp Tân Phú", "ap"),
    ("Ấp Tân Hòa", "ap"),
    ("Ấp Tân Lợi", "ap"),
    ("Ấp Mỹ Thạnh", "ap"),
    ("Khóm 1", "khom"),
    ("Khóm 2", "khom"),
)

OFFICERS = (
    ("01", "Nguyễn Thị Lan", "Công chức Văn phòng - Thống kê", "Quầy 1 - Tiếp nhận hồ sơ"),
    ("02", "Trần Văn Hùng", "Công chức Địa chính - Xây dựng", "Quầy 2 - Đất đai"),
    ("03", "Lê Thị Thu Hà", "Công chức Tư pháp - Hộ tịch", "Quầy 3 - Hộ tịch"),
    ("04", "Phạm Quốc Việt", "Công chức Văn hóa - Xã hội", "Quầy 4 - Chính sách"),
    ("05", "Huỳnh Minh Tâm", "Công chức Tài chính - Kế toán", "Quầy 5 - Tài chính"),
    ("06", "Võ Thị Ngọc Ánh", "Công chức Tư pháp - Hộ tịch", "Quầy 3 - Hộ tịch"),
    ("07", "Đặng Văn Phúc", "Công chức Địa chính - Nông nghiệp", "Quầy 2 - Đất đai"),
    ("08", "Bùi Thị Mai", "Công chức Văn phòng - Thống kê", "Quầy 1 - Tiếp nhận hồ sơ"),
)

ITEM_TEXTS = (
    (
        "roads",
        "Đường liên ấp đoạn gần trường tiểu học bị sụt lún, mưa xuống ngập nước, "
        "xe máy đi rất nguy hiểm.",
    ),
    ("environment", "Bãi rác tự phát cạnh kênh Tân Phú bốc mùi hôi, đề nghị xã cho thu gom."),
    (
        "land",
        "Gia đình tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất 3 tháng rồi "
        "mà chưa có kết quả.",
    ),
    ("social", "Mẹ tôi 82 tuổi chưa được nhận trợ cấp người cao tuổi, xin xã xem lại."),
    ("security", "Buổi tối có nhóm thanh niên chạy xe lạng lách trên đường đê, người dân rất lo."),
    ("health", "Trạm y tế xã thiếu thuốc huyết áp, người già phải lên tỉnh mua."),
    ("education", "Đề nghị sửa lại mái che điểm trường ấp Mỹ Thạnh, mùa mưa bị dột."),
    ("compensation", "Tiền đền bù làm đường cho hộ tôi chưa được chi trả đủ theo thông báo."),
    (
        "procedures",
        "Làm giấy khai sinh cho cháu phải đi lại 3 lần vì thiếu giấy tờ "
        "không được hướng dẫn trước.",
    ),
    ("roads", "den duong ap tan hoa bi hu 2 thang nay ko ai sua, toi di lam ve rat toi"),
    ("environment", "nuoc kenh o khom 2 bi o nhiem, ca chet nhieu, de nghi kiem tra"),
    ("other", "Xin hỏi khi nào xã tổ chức tiêm phòng dại cho chó mèo?"),
    ("land", "Hàng xóm xây hàng rào lấn sang đất nhà tôi khoảng nửa mét."),
    ("social", "Hộ cận nghèo năm nay xét lại khi nào, gia đình tôi khó khăn quá."),
)

CHANNELS = ("sms", "kiosk", "kiosk", "sms", "admin")
STATUS_PLAN = (
    ("new",) * 14
    + ("triaged",) * 10
    + ("scheduled",) * 6
    + ("answered",) * 4
    + ("closed", "closed", "forwarded", "escalated", "rejected", "duplicate")
)


def load_demo(rng: random.Random | None = None) -> bool:
    """Create the demo commune and its data; False when it already exists."""
    if db.session.scalar(select(Commune.id).where(Commune.code == DEMO_COMMUNE_CODE)):
        return False
    rng = rng or random.Random(2026)
    commune = Commune(
        code=DEMO_COMMUNE_CODE,
        name="Tân Thạnh",
        kind="xa",
        province="An Giang",
        sms_number="+84868000115",
        chairman_name="Nguyễn Văn Bình",
    )
    commune.hamlets = [Hamlet(name=name, kind=kind) for name, kind in HAMLETS]
    db.session.add(commune)
    officers = [
        Officer(commune=commune, code=c, name=n, title=t, desk=d) for c, n, t, d in OFFICERS
    ]
    db.session.add_all(officers)
    db.session.flush()
    dialogues = _demo_dialogues(commune)
    _demo_items(commune, dialogues, rng)
    _demo_ratings(officers, rng)
    if not db.session.scalar(select(User.id).where(User.username == DEMO_ADMIN_USERNAME)):
        create_user(
            username=DEMO_ADMIN_USERNAME,
            password=DEMO_ADMIN_PASSWORD,
            role="admin",
            commune_id=commune.id,
            full_name="Quản trị xã Tân Thạnh",
        )
    return True


def _demo_dialogues(commune: Commune) -> list[Dialogue]:
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    plans = (
        (commune.hamlets[0:2], 4, "Nhà văn hóa ấp Tân Phú"),  # invited by `make run`
        (commune.hamlets[4:6], 23, "Hội trường UBND xã Tân Thạnh"),
    )
    dialogues = []
    for hamlets, days, place in plans:
        d = Dialogue(
            commune=commune,
            kind="dialogue",
            place=place,
            hamlets=list(hamlets),
            starts_at=(now + timedelta(days=days)).replace(hour=12),
            chair_name=commune.chairman_name,
            title="Đối thoại với Nhân dân " + ", ".join(h.name for h in hamlets),
        )
        db.session.add(d)
        dialogues.append(d)
    db.session.flush()
    return dialogues


def _demo_items(commune: Commune, dialogues: list[Dialogue], rng: random.Random) -> None:
    now = utcnow()
    items: list[Item] = []
    for n, status in enumerate(STATUS_PLAN):
        category, text = ITEM_TEXTS[n % len(ITEM_TEXTS)]
        channel = CHANNELS[n % len(CHANNELS)]
        phone = f"+8491{rng.randrange(10**7):07d}" if channel == "sms" or n % 3 == 0 else None
        item = create_item(
            commune_id=commune.id,
            text=text,
            channel=channel,
            hamlet_id=rng.choice(commune.hamlets).id,
            category_code=None if status == "new" else category,
            contact_phone=phone,
        )
        item.created_at = now - timedelta(days=rng.randint(0, 50), minutes=rng.randint(0, 600))
        _advance(item, status, dialogues, items, rng)
        items.append(item)


def _advance(item: Item, status: str, dialogues, earlier: list[Item], rng) -> None:
    if status == "scheduled":
        dialogue = dialogues[len(dialogues[0].agenda) % 2]
        item.dialogue = dialogue
        db.session.add(AgendaEntry(dialogue=dialogue, item=item, position=len(dialogue.agenda)))
    elif status in ("answered", "closed"):
        item.answer = (
            "UBND xã đã kiểm tra và giao bộ phận chuyên môn xử lý, dự kiến hoàn thành trong tháng."
        )
        item.answered_at = utcnow()
        item.outcome = "resolved" if status == "closed" else "commune_will_resolve"
    elif status == "forwarded":
        item.forwarded_to = "Công chức Địa chính - Xây dựng"
        item.due_date = (utcnow() + timedelta(days=10)).date()
    elif status == "escalated":
        item.escalated_to = "Sở Nông nghiệp và Môi trường tỉnh"
        item.escalated_at = utcnow()
    elif status == "duplicate" and earlier:
        item.duplicate_of = earlier[0]
    change_status(item, status, actor="system", note="dữ liệu mẫu")


def _demo_ratings(officers: list[Officer], rng: random.Random) -> None:
    now = utcnow()
    comments = ("Cán bộ hướng dẫn tận tình.", "Phải chờ lâu quá, không có ghế ngồi chờ.")
    for n in range(200):
        officer = officers[n % len(officers)]
        score = rng.choices((1, 2, 3, 4), weights=(45, 35, 13, 7))[0]
        reasons = rng.sample(("attitude", "slow", "unclear_guidance"), 1) if score >= 3 else []
        outcome = record_rating(
            officer_id=officer.id,
            score=score,
            reasons=reasons,
            channel="kiosk" if n % 4 else "sms",
            comment=rng.choice(comments) if n % 25 == 0 else None,
            client_key=f"demo-rating-{n}",
        )
        rating: Rating = outcome.rating
        rating.created_at = now - timedelta(days=rng.uniform(0, 60))
        if rating.item is not None:  # the comment became an item at the same moment
            rating.item.created_at = rating.created_at
