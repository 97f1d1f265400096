"""In the room: answers saved as typed, outcomes in one call, items raised in the room, closing."""

from datetime import timedelta

import pytest

from nghedan.errors import ValidationError
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.meeting import (
    close_dialogue,
    meeting_progress,
    raise_in_room,
    save_answer,
    set_outcome,
)
from tests.dialogues.builders import NOW, TODAY, make_dialogue, triaged_item
from tests.factories import make_commune


def test_answer_is_kept_exactly_as_typed(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    item = triaged_item(commune)
    assign_item(dialogue, item)
    save_answer(dialogue, item, "Xã sẽ cho ")
    assert item.answer == "Xã sẽ cho "
    save_answer(dialogue, item, "Xã sẽ cho sửa đường trong tháng 12.\n")
    assert item.answer == "Xã sẽ cho sửa đường trong tháng 12.\n"
    other = triaged_item(commune, "Không có trong chương trình")
    with pytest.raises(ValidationError) as e:
        save_answer(dialogue, other, "x")
    assert e.value.code == "not_on_agenda"


@pytest.mark.parametrize(
    "outcome, extra, code",
    [
        ("commune_will_resolve", {"responsible": "Công chức Địa chính"}, "need_owner_and_deadline"),
        ("escalated", {}, "need_body"),
        ("maybe", {}, "bad_outcome"),
    ],
)
def test_outcome_needs_its_details(db, outcome, extra, code):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    item = triaged_item(commune)
    assign_item(dialogue, item)
    save_answer(dialogue, item, "Xã tiếp thu ý kiến.")
    with pytest.raises(ValidationError) as e:
        set_outcome(dialogue, item, outcome, **extra)
    assert e.value.code == code
    assert item.outcome is None


def test_outcomes_in_one_call_each(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    items = [triaged_item(commune, f"Ý kiến {n}") for n in range(3)]
    for item in items:
        assign_item(dialogue, item)
        save_answer(dialogue, item, "Xã tiếp thu ý kiến.")
    due = TODAY + timedelta(days=38)
    set_outcome(dialogue, items[0], "resolved", now=NOW)
    set_outcome(
        dialogue, items[1], "commune_will_resolve", responsible="Công chức Địa chính", due_date=due
    )
    set_outcome(dialogue, items[2], "escalated", escalated_to="Sở Xây dựng tỉnh")
    assert items[0].outcome == "resolved" and items[0].answered_at == NOW
    assert items[1].responsible == "Công chức Địa chính" and items[1].due_date == due
    assert items[2].escalated_to == "Sở Xây dựng tỉnh" and items[2].escalated_at is not None
    assert meeting_progress(dialogue) == (3, 3)
    set_outcome(dialogue, items[0], None)
    assert items[0].outcome is None and meeting_progress(dialogue) == (2, 3)


def test_item_raised_in_the_room_joins_the_agenda(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    entry = raise_in_room(
        dialogue,
        "Cống thoát nước bị tắc",
        category_code="environment",
        contact_name="Bà Lê Thị Sáu",
    )
    item = entry.item
    assert entry.raised_in_room and item.channel == "admin" and item.status == "scheduled"
    assert item.hamlet_id == commune.hamlets[0].id  # the dialogue's only hamlet
    with pytest.raises(ValidationError) as e:
        raise_in_room(dialogue, "Tố cáo", legal_type="denunciation")
    assert e.value.code == "denunciation_not_on_agenda"


def test_close_records_attendance_and_returns_unanswered_items(db):
    commune = make_commune()
    dialogue = make_dialogue(commune, days=-1)
    answered, left = triaged_item(commune, "Một"), triaged_item(commune, "Hai")
    for item in (answered, left):
        assign_item(dialogue, item)
    save_answer(dialogue, answered, "Đã giải thích.")
    set_outcome(dialogue, answered, "explained")
    with pytest.raises(ValidationError):
        close_dialogue(dialogue, attendance=-3, minutes="")
    assert close_dialogue(dialogue, attendance=87, minutes="Biên bản hội nghị", now=NOW) == 1
    assert dialogue.status == "held" and dialogue.attendance == 87 and dialogue.held_at == NOW
    assert left.status == "triaged" and answered.status == "scheduled"
    # Answers may still be corrected until the notice is published.
    save_answer(dialogue, answered, "Đã giải thích chính sách.")
    with pytest.raises(ValidationError):
        raise_in_room(dialogue, "Muộn quá")


def test_an_outcome_without_an_answer_is_refused(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    item = triaged_item(commune)
    assign_item(dialogue, item)
    save_answer(dialogue, item, "   \n ")
    with pytest.raises(ValidationError) as e:
        set_outcome(dialogue, item, "resolved")
    assert e.value.code == "empty_answer"
    assert "Cần ghi nội dung trả lời" in e.value.message and item.outcome is None


def test_a_deadline_in_the_past_is_refused(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    item = triaged_item(commune)
    assign_item(dialogue, item)
    save_answer(dialogue, item, "Giao địa chính rà soát.")
    with pytest.raises(ValidationError) as e:
        set_outcome(
            dialogue,
            item,
            "commune_will_resolve",
            responsible="Công chức Địa chính",
            due_date=TODAY - timedelta(days=1),
            now=NOW,
        )
    assert e.value.code == "past_deadline" and "đã qua" in e.value.message
    assert item.outcome is None and item.due_date is None
    set_outcome(
        dialogue,
        item,
        "commune_will_resolve",
        responsible="Công chức Địa chính",
        due_date=TODAY,
        now=NOW,
    )  # today itself is still a deadline
    assert item.due_date == TODAY


def test_a_dialogue_cannot_be_closed_before_its_date(db):
    commune = make_commune()
    dialogue = make_dialogue(commune, days=2)
    with pytest.raises(ValidationError) as e:
        close_dialogue(dialogue, attendance=40, minutes="", now=NOW)
    assert e.value.code == "before_date" and "Chưa đến ngày đối thoại" in e.value.message
    assert dialogue.status == "planned"


def test_zero_attendance_is_refused_and_none_needs_a_reason(db):
    commune = make_commune()
    dialogue = make_dialogue(commune, days=-1)
    with pytest.raises(ValidationError) as e:
        close_dialogue(dialogue, attendance=0, minutes="", now=NOW)
    assert e.value.code == "zero_attendance" and "Số người dự bằng 0" in e.value.message
    with pytest.raises(ValidationError) as e:
        close_dialogue(dialogue, attendance=None, no_attendance_reason="  ", minutes="", now=NOW)
    assert e.value.code == "no_attendance_reason"
    assert dialogue.status == "planned"
    close_dialogue(
        dialogue,
        attendance=None,
        minutes="",
        now=NOW,
        no_attendance_reason="Mất điện, không điểm danh được",
        attendees="Ông Lê Văn Tám, Chủ tịch Ủy ban MTTQ Việt Nam xã",
    )
    assert dialogue.status == "held" and dialogue.attendance is None
    assert dialogue.no_attendance_reason == "Mất điện, không điểm danh được"
    assert dialogue.attendees == "Ông Lê Văn Tám, Chủ tịch Ủy ban MTTQ Việt Nam xã"
