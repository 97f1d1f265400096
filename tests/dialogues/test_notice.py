"""The conclusion notice: content in the official layout, .docx, publication and SMS."""

import io
import itertools
from datetime import timedelta

import pytest
from docx import Document
from docx.shared import Mm

from nghedan.errors import ValidationError
from nghedan.formatting import fmt_date
from nghedan.services.agenda import assign_item
from nghedan.services.meeting import close_dialogue, save_answer, set_outcome
from nghedan.services.notice_docx import notice_docx
from nghedan.services.notices import build_notice, publish_notice, suggested_number
from nghedan.services.status import describe_status
from nghedan.sms_text import unaccented
from tests.dialogues.builders import NOW, TODAY, make_dialogue, outbox, triaged_item
from tests.factories import make_commune, make_officer

_codes = itertools.count(1)
DUE = TODAY + timedelta(days=22)  # the land promise's due date


def held_dialogue(commune):
    officer = make_officer(commune, code=f"{next(_codes):02d}", name="Trần Văn Hùng",
                           title="Công chức Địa chính")
    dialogue = make_dialogue(commune, days=-1, official_ids=(officer.id,))
    road = triaged_item(commune, "Đường ấp bị sụt lún.", phone="0912345678")
    land = triaged_item(commune, "Chậm cấp sổ đỏ.", category="land", phone="0987654321")
    bridge = triaged_item(commune, "Cầu sắt xuống cấp.", phone=None)
    for item in (road, land, bridge):
        assign_item(dialogue, item)
    save_answer(dialogue, road, "Đã cho san lấp ngay trong tuần.")
    set_outcome(dialogue, road, "resolved")
    save_answer(dialogue, land, "Giao địa chính rà soát hồ sơ.")
    set_outcome(dialogue, land, "commune_will_resolve", responsible="Công chức Địa chính",
                due_date=DUE)
    save_answer(dialogue, bridge, "Vượt thẩm quyền của xã.")
    set_outcome(dialogue, bridge, "escalated", escalated_to="Sở Xây dựng tỉnh An Giang")
    close_dialogue(dialogue, attendance=1250, minutes="Biên bản", now=NOW)
    return dialogue, road, land, bridge


def test_notice_follows_the_official_layout(db):
    commune = make_commune(chairman_name="Nguyễn Văn Bình")
    dialogue, road, land, bridge = held_dialogue(commune)
    notice = build_notice(dialogue, number="15/TB-UBND", on=TODAY)
    assert notice.issuer == ("ỦY BAN NHÂN DÂN", "XÃ TÂN THẠNH")
    assert notice.place_date == TODAY.strftime("Tân Thạnh, ngày %d tháng %m năm %Y")
    assert notice.summary == ("Kết luận của Chủ tịch UBND xã Tân Thạnh tại Hội nghị đối thoại "
                              "với Nhân dân Ấp Tân Phú")
    assert "1.250 lượt người dân" in notice.opening and "14 giờ 00" in notice.opening
    assert "Trần Văn Hùng (Công chức Địa chính)" in notice.opening
    assert [e.code for e in notice.resolved] == [road.tracking_code]
    [promise] = notice.will_resolve
    assert promise.responsible == "Công chức Địa chính" and promise.due == fmt_date(DUE)
    assert notice.escalated[0].body == "Sở Xây dựng tỉnh An Giang"
    assert (notice.signing_authority, notice.signing_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert notice.signer == "Nguyễn Văn Bình"
    assert notice.recipients[0] == "Ban nhân dân Ấp Tân Phú"


def test_docx_is_a4_times_new_roman_with_the_official_margins(db):
    commune = make_commune(chairman_name="Nguyễn Văn Bình",
                           notice_signing_authority="KT. CHỦ TỊCH",
                           notice_signing_title="PHÓ CHỦ TỊCH")
    dialogue, *_ = held_dialogue(commune)
    doc = Document(io.BytesIO(notice_docx(build_notice(dialogue, number="15/TB-UBND"))))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(1) and abs(section.right_margin - Mm(15)) < Mm(1)
    assert abs(section.top_margin - Mm(20)) < Mm(1)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14
    text = "\n".join(p.text for p in doc.paragraphs)
    header = "\n".join(c.text for t in doc.tables for c in t.rows[0].cells)
    assert "Số: 15/TB-UBND" in header and "Độc lập - Tự do - Hạnh phúc" in header
    assert "KT. CHỦ TỊCH" in header and "PHÓ CHỦ TỊCH" in header and "Nơi nhận:" in header
    assert "THÔNG BÁO" in text and "Đã cho san lấp ngay trong tuần." in text
    assert "Giao Công chức Địa chính giải quyết" in text and "Sở Xây dựng tỉnh An Giang" in text


def test_publish_moves_items_on_and_tells_every_resident(db):
    commune = make_commune()
    dialogue, road, land, bridge = held_dialogue(commune)
    assert suggested_number(dialogue, TODAY) == "1/TB-UBND"
    assert publish_notice(dialogue, "1/TB-UBND", now=NOW) == 2  # the bridge had no phone
    assert (road.status, land.status, bridge.status) == ("closed", "answered", "escalated")
    assert dialogue.notice_number == "1/TB-UBND" and dialogue.notice_published_at == NOW
    sms = {m.phone: unaccented(m.body) for m in outbox(db, "dialogue_outcome")}
    assert "da duoc giai quyet" in sms["+84912345678"]
    assert f"Cong chuc Dia chinh se giai quyet truoc {fmt_date(DUE)}" in sms["+84987654321"]
    assert describe_status(road).startswith("Đã trả lời: Đã cho san lấp")
    assert "Sở Xây dựng tỉnh An Giang" in describe_status(bridge)
    with pytest.raises(ValidationError) as e:
        publish_notice(dialogue, "2/TB-UBND")
    assert e.value.code == "published"
    with pytest.raises(ValidationError):
        save_answer(dialogue, road, "sửa sau khi ban hành")
    other, *_ = held_dialogue(commune)
    assert suggested_number(other, TODAY) == "2/TB-UBND"


def test_notice_needs_a_held_dialogue(db):
    commune = make_commune()
    with pytest.raises(ValidationError) as e:
        publish_notice(make_dialogue(commune), "3/TB-UBND")
    assert e.value.code == "not_held"
