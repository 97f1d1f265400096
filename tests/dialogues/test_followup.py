"""Follow-up of promises, and the reminder when a notice is overdue."""

from datetime import timedelta

import pytest

from nghedan.errors import ValidationError
from nghedan.models import AuditEvent
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.followup import (
    complete,
    overdue_notices,
    promises,
    remind_overdue_notices,
)
from nghedan.services.dialogues.meeting import close_dialogue, save_answer, set_outcome
from nghedan.sms_text import unaccented
from tests.dialogues.builders import (
    NOW,
    TODAY,
    issue_notice,
    make_dialogue,
    outbox,
    triaged_item,
)
from tests.factories import make_commune


def published_promises(commune):
    """Promises made six days ago, the notice issued two days later; one is overdue today."""
    dialogue = make_dialogue(commune, days=-6)
    late = triaged_item(commune, "Đèn đường", phone="0912345678")
    soon = triaged_item(commune, "Mương nước", phone="0987654321")
    up = triaged_item(commune, "Cầu", phone="0933333333")
    for item in (soon, late, up):
        assign_item(dialogue, item)
        save_answer(dialogue, item, "Xã tiếp thu, giao bộ phận chuyên môn xử lý.")
    then = NOW - timedelta(days=6, hours=-6)
    set_outcome(
        dialogue,
        late,
        "commune_will_resolve",
        responsible="Anh Hùng",
        due_date=TODAY - timedelta(days=3),
        now=then,
    )
    set_outcome(
        dialogue,
        soon,
        "commune_will_resolve",
        responsible="Chị Lan",
        due_date=TODAY + timedelta(days=12),
        now=then,
    )
    set_outcome(dialogue, up, "escalated", escalated_to="UBND tỉnh", now=then)
    close_dialogue(dialogue, attendance=40, minutes="", now=NOW - timedelta(days=5))
    issue_notice(dialogue, 7, now=NOW - timedelta(days=4))
    return late, soon, up


def test_promises_overdue_first_then_escalations(db):
    commune = make_commune()
    late, soon, up = published_promises(commune)
    listed = promises([commune.id], today=TODAY)
    assert [(p.item, p.kind, p.overdue) for p in listed] == [
        (late, "commune", True),
        (soon, "commune", False),
        (up, "escalated", False),
    ]
    assert listed[2].owner == "UBND tỉnh"


def test_marking_done_closes_the_item_and_tells_the_resident(db):
    commune = make_commune()
    late, soon, up = published_promises(commune)
    assert complete(late, "Đã lắp đèn mới.", now=NOW) == 1
    assert late.status == "closed" and late.completed_at == NOW
    [sms] = [m for m in outbox(db, "item_completed") if m.phone == "+84912345678"]
    assert "giai quyet xong" in unaccented(sms.body)
    with pytest.raises(ValidationError):
        complete(up, "")  # a higher body's reply needs its content
    assert complete(up, "Tỉnh đã bố trí vốn năm 2027.") == 1
    assert up.status == "closed"
    assert [p.item for p in promises([commune.id])] == [soon]
    with pytest.raises(ValidationError) as e:
        complete(late, "again")
    assert e.value.code == "not_followed_up"


def test_overdue_notice_is_reminded_once(db):
    commune = make_commune()
    dialogue = make_dialogue(commune, days=-10)
    close_dialogue(dialogue, attendance=20, minutes="", now=NOW - timedelta(days=9))
    assert overdue_notices([commune.id], NOW, days=10) == []
    assert overdue_notices([commune.id], NOW) == [dialogue]  # 7 days by default
    assert remind_overdue_notices(NOW) == [dialogue]
    assert remind_overdue_notices(NOW + timedelta(hours=1)) == []
    assert db.query(AuditEvent).filter_by(action="dialogue.notice_overdue").count() == 1
