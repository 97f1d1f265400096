"""The conclusion notice: what it says, who signs, its .docx, and issuing it as an office does."""

import io
import itertools
from datetime import date, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from nghedan.errors import ValidationError
from nghedan.formatting import fmt_date
from nghedan.services.dialogues import notice_issue as office
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.meeting import close_dialogue, save_answer, set_outcome
from nghedan.services.dialogues.notice_docx import notice_docx
from nghedan.services.dialogues.notices import answered_entries, build_notice, decree30_date
from nghedan.services.items.status import describe_status
from nghedan.sms_text import unaccented
from tests.dialogues.builders import (
    NOW,
    SCAN_PDF,
    TODAY,
    issue_notice,
    make_dialogue,
    outbox,
    triaged_item,
)
from tests.factories import make_commune, make_officer

_codes = itertools.count(1)
DUE = TODAY + timedelta(days=22)  # the land promise's due date
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def held_dialogue(commune, *, chair=None, **kw):
    officer = make_officer(
        commune, code=f"{next(_codes):02d}", name="Trần Văn Hùng", title="Công chức Địa chính"
    )
    if chair is not None:
        kw.update(chair_officer_id=chair.id, chair_name=chair.name)
    dialogue = make_dialogue(commune, days=-1, official_ids=(officer.id,), **kw)
    road = triaged_item(
        commune, "duong ap bi sut lun qua troi ko ai sua, nha ong Nam", phone="0912345678"
    )
    land = triaged_item(commune, "Chậm cấp sổ đỏ.", category="land", phone="0987654321")
    bridge = triaged_item(commune, "Cầu sắt xuống cấp.", phone=None)
    for item in (road, land, bridge):
        assign_item(dialogue, item)
    save_answer(dialogue, road, "Đã cho san lấp ngay trong tuần.")
    set_outcome(dialogue, road, "resolved", now=NOW - timedelta(hours=20))
    save_answer(dialogue, land, "Giao địa chính rà soát hồ sơ.")
    set_outcome(
        dialogue,
        land,
        "commune_will_resolve",
        responsible="Công chức Địa chính",
        due_date=DUE,
        now=NOW - timedelta(hours=20),
    )
    save_answer(dialogue, bridge, "Vượt thẩm quyền của xã.")
    set_outcome(dialogue, bridge, "escalated", escalated_to="Sở Xây dựng tỉnh An Giang")
    close_dialogue(
        dialogue,
        attendance=1250,
        minutes="Biên bản",
        now=NOW,
        attendees="Ông Lê Văn Tám, Chủ tịch Ủy ban MTTQ Việt Nam xã\n"
        "Ông Võ Văn Ba, Trưởng ấp Tân Phú",
    )
    return dialogue, road, land, bridge


def test_notice_names_the_chair_by_title_and_lists_who_attended(db):
    commune = make_commune(chairman_name="Nguyễn Văn Bình")
    hoa = make_officer(commune, code="90", name="Phạm Thị Hoa", title="Phó Chủ tịch UBND xã")
    dialogue, road, land, bridge = held_dialogue(commune, chair=hoa)
    notice = build_notice(dialogue, number="15/TB-UBND", on=date(2026, 11, 23))
    assert notice.issuer == ("ỦY BAN NHÂN DÂN", "XÃ TÂN THẠNH")
    assert notice.place_date == "Tân Thạnh, ngày 23 tháng 11 năm 2026"
    assert notice.summary == (
        "Kết luận của Phó Chủ tịch UBND xã Tân Thạnh tại Hội nghị đối thoại với Nhân dân ấp Tân Phú"
    )
    assert "Chủ trì hội nghị: đồng chí Phạm Thị Hoa, Phó Chủ tịch UBND xã." in notice.opening
    assert "ông/bà" not in notice.opening and "Ấp" not in notice.opening
    assert (
        "Tham dự hội nghị có: đồng chí Trần Văn Hùng, Công chức Địa chính; Ông Lê Văn Tám, "
        "Chủ tịch Ủy ban MTTQ Việt Nam xã; Ông Võ Văn Ba, Trưởng ấp Tân Phú."
    ) in notice.opening
    assert "1.250 lượt Nhân dân ấp Tân Phú" in notice.opening and "14 giờ 00" in notice.opening
    assert "đồng chí chủ trì hội nghị kết luận" in notice.opening
    assert [e.code for e in notice.resolved] == [road.tracking_code]
    [promise] = notice.will_resolve
    assert promise.responsible == "Công chức Địa chính" and promise.due == fmt_date(DUE)
    assert notice.escalated[0].body == "Sở Xây dựng tỉnh An Giang"
    assert (notice.signing_authority, notice.signing_title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert notice.signer == "Phạm Thị Hoa"
    assert notice.recipients[0] == "Ban nhân dân ấp Tân Phú"
    assert notice.recipients[-1] == "Lưu: VT, VP"


def test_the_chairman_signs_for_the_committee_and_the_signer_follows_each_notice(db):
    commune = make_commune(chairman_name="Nguyễn Văn Bình")
    dialogue, *_ = held_dialogue(commune, chair_role="chairman")
    notice = build_notice(dialogue)
    assert notice.summary.startswith("Kết luận của Chủ tịch UBND xã Tân Thạnh tại")
    assert "đồng chí Nguyễn Văn Bình, Chủ tịch UBND xã" in notice.opening
    assert (notice.signing_authority, notice.signing_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    # The chairman chaired but was away: his vice-chairman signs this notice for him.
    draft = office.open_draft(dialogue)
    office.set_signer(draft, "Phạm Thị Hoa", "vice_chairman")
    signed = office.document(draft)
    assert (signed.signing_authority, signed.signing_title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert signed.signer == "Phạm Thị Hoa"
    assert signed.summary.startswith("Kết luận của Chủ tịch UBND")  # who concluded


def test_the_signing_block_set_on_the_commune_page_is_the_chairmans(db):
    """A commune whose practice differs from the default sets its block once (settings
    page); the chairman's notices carry it, a vice-chairman still signs `KT. CHỦ TỊCH`."""
    commune = make_commune(
        chairman_name="Nguyễn Văn Bình",
        notice_signing_authority="TM. ỦY BAN NHÂN DÂN XÃ",
        notice_signing_title="CHỦ TỊCH",
    )
    dialogue, *_ = held_dialogue(commune, chair_role="chairman")
    notice = build_notice(dialogue)
    assert (notice.signing_authority, notice.signing_title) == (
        "TM. ỦY BAN NHÂN DÂN XÃ",
        "CHỦ TỊCH",
    )
    vice = build_notice(dialogue, signer="Phạm Thị Hoa", signer_role="vice_chairman")
    assert (vice.signing_authority, vice.signing_title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


@pytest.mark.parametrize(
    "day, words",
    [
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2026, 2, 15), "ngày 15 tháng 02 năm 2026"),
        (date(2026, 11, 23), "ngày 23 tháng 11 năm 2026"),
        (date(2027, 1, 9), "ngày 09 tháng 01 năm 2027"),
    ],
)
def test_the_date_line_follows_decree_30(db, day, words):
    assert decree30_date(day) == words
    dialogue, *_ = held_dialogue(make_commune())
    assert build_notice(dialogue, on=day).place_date == f"Tân Thạnh, {words}"


def _border_bottom(paragraph):
    ppr = paragraph._p.pPr
    borders = ppr.find(qn("w:pBdr")) if ppr is not None else None
    return borders is not None and borders.find(qn("w:bottom")) is not None


def test_docx_layout_grid_rules_page_numbers_and_recipients(db):
    commune = make_commune(chairman_name="Nguyễn Văn Bình")
    dialogue, *_ = held_dialogue(commune)
    doc = Document(io.BytesIO(notice_docx(build_notice(dialogue, number="15/TB-UBND"))))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(1) and abs(section.right_margin - Mm(15)) < Mm(1)
    assert abs(section.top_margin - Mm(20)) < Mm(1)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14
    head, foot = doc.tables
    for table in (head, foot):  # the grid LibreOffice lays out by = the cells' widths
        grid = [col.width for col in table.columns]
        cells = [cell.width for cell in table.rows[0].cells]
        assert grid == cells
    assert [round(w.mm) for w in (c.width for c in head.columns)] == [65, 100]
    issuer = head.rows[0].cells[0].paragraphs
    assert [p.text for p in issuer[:2]] == ["ỦY BAN NHÂN DÂN", "XÃ TÂN THẠNH"]
    assert all(r.bold for p in issuer[:2] for r in p.runs)
    assert _border_bottom(issuer[2]) and issuer[3].text == "Số: 15/TB-UBND"
    motto = head.rows[0].cells[1].paragraphs
    assert motto[1].text == "Độc lập - Tự do - Hạnh phúc" and _border_bottom(motto[2])
    everything = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for c in t.rows[0].cells]
    )
    assert "―" not in everything and "___" not in everything  # lines are borders, not text
    summary = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("Kết luận của"))
    assert all(r.bold for r in doc.paragraphs[summary].runs)
    assert _border_bottom(doc.paragraphs[summary + 1])  # the line under the summary
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert section.first_page_header.paragraphs[0].text == ""
    recipients = [p.text for p in foot.rows[0].cells[0].paragraphs]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, VP."
    assert all(line.endswith(";") for line in recipients[1:-1])
    signing = foot.rows[0].cells[1].text
    assert "TM. ỦY BAN NHÂN DÂN" in signing and "CHỦ TỊCH" in signing


def test_draft_has_a_blank_number_and_needs_every_summary(db):
    commune = make_commune()
    dialogue, road, land, bridge = held_dialogue(commune)
    draft = office.open_draft(dialogue)
    assert draft.status == "draft" and office.document(draft).number == "     /TB-UBND"
    assert office.open_draft(dialogue) is draft
    with pytest.raises(ValidationError) as e:
        office.submit_for_signature(draft, today=TODAY)
    assert e.value.code == "not_ready"
    assert f"Ý kiến mã {road.tracking_code} chưa có tóm tắt." in e.value.message
    entries = answered_entries(dialogue)
    [road_entry] = [e for e in entries if e.item is road]
    with pytest.raises(ValidationError) as e:
        office.save_summary(draft, road_entry, "  ")
    assert e.value.code == "empty_summary"
    office.save_summary(draft, road_entry, "Đề nghị sửa đường ấp bị sụt lún.")
    for entry in entries:
        if entry is not road_entry:
            office.save_summary(draft, entry, entry.item.text)
    notice = office.document(draft)
    assert notice.resolved[0].question == "Đề nghị sửa đường ấp bị sụt lún."
    assert "nha ong Nam" not in str(notice.as_json())  # the raw text is not in the notice
    office.submit_for_signature(draft, today=TODAY)
    assert draft.status == "awaiting_signature"
    with pytest.raises(ValidationError) as e:
        office.save_summary(draft, road_entry, "Sửa khi đang chờ ký")
    assert e.value.code == "not_draft"
    with pytest.raises(ValidationError) as e:  # nor the answers the chairman is signing
        save_answer(dialogue, road, "Sửa câu trả lời khi đang chờ ký")
    assert e.value.code == "awaiting_signature"
    office.back_to_draft(draft)
    save_answer(dialogue, road, "Đã cho san lấp ngay trong tuần, xong trước thứ Sáu.")
    office.submit_for_signature(draft, today=TODAY)
    assert outbox(db, "dialogue_outcome") == []  # nobody is texted before the notice is issued


def test_a_promise_whose_deadline_passed_before_issue_is_refused(db):
    commune = make_commune()
    dialogue, road, land, bridge = held_dialogue(commune)
    draft = office.open_draft(dialogue)
    for entry in answered_entries(dialogue):
        office.save_summary(draft, entry, entry.item.text)
    with pytest.raises(ValidationError) as e:
        office.submit_for_signature(draft, today=DUE + timedelta(days=1))
    assert f"Thời hạn giải quyết ý kiến mã {land.tracking_code} đã qua" in e.value.message


def _awaiting(dialogue):
    draft = office.open_draft(dialogue)
    for entry in answered_entries(dialogue):
        office.save_summary(draft, entry, entry.item.text)
    office.submit_for_signature(draft, today=TODAY)
    return draft


@pytest.mark.parametrize(
    "change, code",
    [
        ({"scan": b""}, "no_scan"),
        ({"scan": PNG}, "bad_scan"),
        ({"scan": b"%PD not really"}, "bad_scan"),
        ({"number": None}, "bad_number"),
        ({"number": 0}, "bad_number"),
        ({"issued_on": TODAY + timedelta(days=1)}, "bad_date"),
        ({"issued_on": TODAY - timedelta(days=30)}, "bad_date"),
    ],
)
def test_issue_refuses_what_an_office_would_not_file(db, change, code):
    commune = make_commune()
    dialogue, *_ = held_dialogue(commune)
    notice = _awaiting(dialogue)
    args = {"number": 15, "issued_on": TODAY, "scan": SCAN_PDF, **change}
    with pytest.raises(ValidationError) as e:
        office.issue(notice, now=NOW, **args)
    assert e.value.code == code
    assert notice.status == "awaiting_signature" and outbox(db, "dialogue_outcome") == []


def test_the_number_is_unique_per_commune_and_year(db):
    commune = make_commune()
    first, *_ = held_dialogue(commune)
    issue_notice(first, 15, now=NOW)
    second, *_ = held_dialogue(commune)
    notice = _awaiting(second)
    with pytest.raises(ValidationError) as e:
        office.issue(notice, number=15, issued_on=TODAY, scan=JPEG, now=NOW)
    assert e.value.code == "number_taken" and "đã dùng" in e.value.message
    other_commune, *_ = held_dialogue(make_commune(name="Tân Lợi"))
    issue_notice(other_commune, 15, now=NOW)  # another commune's register
    office.issue(notice, number=16, issued_on=TODAY, scan=JPEG, now=NOW, symbol="TB-UBND")
    assert notice.number_text == "16/TB-UBND" and notice.scan_type == "image/jpeg"


def test_issuing_moves_items_on_and_only_then_texts_residents(db):
    commune = make_commune()
    dialogue, road, land, bridge = held_dialogue(commune)
    assert issue_notice(dialogue, 1, now=NOW) == 2  # the bridge had no phone
    [notice] = office.history(dialogue)
    assert notice.status == "issued" and notice.number_text == "1/TB-UBND"
    assert notice.scan == SCAN_PDF and notice.scan_type == "application/pdf"
    assert (road.status, land.status, bridge.status) == ("closed", "answered", "escalated")
    assert dialogue.notice_number == "1/TB-UBND" and dialogue.notice_published_at == NOW
    sms = {m.phone: unaccented(m.body) for m in outbox(db, "dialogue_outcome")}
    assert "da duoc giai quyet" in sms["+84912345678"]
    assert f"Cong chuc Dia chinh se giai quyet truoc {fmt_date(DUE)}" in sms["+84987654321"]
    assert describe_status(road).startswith("Đã trả lời: Đã cho san lấp")
    assert "Sở Xây dựng tỉnh An Giang" in describe_status(bridge)
    with pytest.raises(ValidationError):
        save_answer(dialogue, road, "sửa sau khi ban hành")


def test_a_correction_is_a_new_notice_replacing_the_old_and_both_are_kept(db):
    commune = make_commune()
    dialogue, road, land, bridge = held_dialogue(commune)
    issue_notice(dialogue, 1, now=NOW)
    texted = len(outbox(db))
    with pytest.raises(ValidationError) as e:
        office.start_correction(dialogue, " ")
    assert e.value.code == "empty_reason"
    fix = office.start_correction(dialogue, "Ghi sai thời hạn giải quyết")
    assert fix.status == "draft" and fix.replaces.number_text == "1/TB-UBND"
    save_answer(dialogue, road, "Đã san lấp xong ngày 20.")  # answers open again
    [entry] = [e for e in answered_entries(dialogue) if e.item is road]
    office.save_summary(fix, entry, "Đề nghị sửa đường ấp.")
    office.submit_for_signature(fix, today=TODAY)
    office.issue(fix, number=2, issued_on=TODAY, scan=JPEG, now=NOW)
    old, new = sorted(office.history(dialogue), key=lambda n: n.id)
    assert (old.status, new.status) == ("replaced", "issued")
    assert office.current_notice(dialogue) is new and office.replaced_by(old) is new
    assert office.document(old).resolved[0].answer == "Đã cho san lấp ngay trong tuần."
    assert office.document(new).resolved[0].answer == "Đã san lấp xong ngày 20."
    assert dialogue.notice_number == "2/TB-UBND" and len(outbox(db)) == texted
