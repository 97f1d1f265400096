"""Planning dialogues: create, edit, cancel, and the rotation over hamlets."""

from datetime import timedelta

import pytest

from nghedan.errors import ValidationError
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.meeting import close_dialogue
from nghedan.services.dialogues.plan import (
    cancel_dialogue,
    create_dialogue,
    hamlet_plans,
    suggested_rotation,
    update_dialogue,
)
from nghedan.sms_text import unaccented
from tests.dialogues.builders import NOW, dialogue_input, make_dialogue, outbox, triaged_item
from tests.factories import make_commune, make_officer


def test_create_dialogue_over_two_hamlets_with_officials(db):
    commune = make_commune(chairman_name="Nguyễn Văn Bình")
    officer = make_officer(commune, name="Trần Văn Hùng", title="Công chức Địa chính")
    data = dialogue_input(
        commune, hamlets=commune.hamlets, chair_name="", official_ids=(officer.id,)
    )
    dialogue = create_dialogue(commune.id, data)
    assert dialogue.status == "planned"
    assert [h.name for h in dialogue.hamlets] == ["Ấp Tân Phú", "Ấp Tân Hòa"]
    assert dialogue.officials == [officer]
    assert dialogue.chair_name == "Nguyễn Văn Bình"  # the commune's chairman by default
    assert dialogue.title == "Đối thoại với Nhân dân ấp Tân Phú, ấp Tân Hòa"


@pytest.mark.parametrize(
    "change, code",
    [
        ({"place": "  "}, "empty_place"),
        ({"kind": "party"}, "bad_kind"),
        ({"hamlets": []}, "no_hamlet"),
    ],
)
def test_create_refuses_incomplete_input(db, change, code):
    commune = make_commune()
    with pytest.raises(ValidationError) as e:
        create_dialogue(commune.id, dialogue_input(commune, **change))
    assert e.value.code == code


def test_hamlet_of_another_commune_is_refused(db):
    commune, other = make_commune(), make_commune(name="Tân Lập", hamlets=("Ấp Một",))
    with pytest.raises(ValidationError) as e:
        create_dialogue(commune.id, dialogue_input(commune, hamlets=other.hamlets))
    assert e.value.code == "unknown_hamlet"


def test_moving_an_invited_dialogue_tells_its_residents(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    assign_item(dialogue, triaged_item(commune))
    assert update_dialogue(dialogue, dialogue_input(commune, days=8)) == 0  # nobody invited yet
    dialogue.invitations_sent_at = dialogue.reminders_sent_at = NOW
    assert update_dialogue(dialogue, dialogue_input(commune, days=9, place="Hội trường xã")) == 1
    [sms] = outbox(db, "dialogue_changed")
    assert "Hoi truong xa" in unaccented(sms.body) and sms.phone == "+84912345678"
    assert dialogue.reminders_sent_at is None


def test_cancel_sends_items_back_to_the_queue_and_tells_residents(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    item = triaged_item(commune)
    assign_item(dialogue, item)
    assert item.status == "scheduled"
    with pytest.raises(ValidationError):
        cancel_dialogue(dialogue, " ")
    assert cancel_dialogue(dialogue, "Mưa bão") == 1
    assert dialogue.status == "cancelled" and dialogue.cancelled_reason == "Mưa bão"
    assert item.status == "triaged" and item.dialogue_id is None
    [sms] = outbox(db, "dialogue_cancelled")
    assert item.tracking_code in sms.body
    with pytest.raises(ValidationError) as e:
        cancel_dialogue(dialogue, "again")
    assert e.value.code == "not_planned"


def test_planning_shows_overdue_hamlets_and_a_rotation(db):
    commune = make_commune(hamlets=("Ấp A", "Ấp B", "Ấp C"), rotation_days=92)
    a, b, c = commune.hamlets
    old = make_dialogue(commune, days=-120, hamlets=[a])
    close_dialogue(old, attendance=40, minutes="", now=NOW - timedelta(days=120))
    recent = make_dialogue(commune, days=-10, hamlets=[b])
    close_dialogue(recent, attendance=55, minutes="", now=NOW - timedelta(days=10))
    plans = {p.hamlet.name: p for p in hamlet_plans(commune, NOW)}
    assert plans["Ấp A"].overdue and plans["Ấp C"].overdue  # A: too long ago; C: never
    assert not plans["Ấp B"].overdue
    assert plans["Ấp B"].due_by == (recent.starts_at + timedelta(hours=7)).date() + timedelta(92)
    # Never-visited first, then the longest wait, then the rest.
    assert [p.hamlet.name for p in hamlet_plans(commune, NOW)] == ["Ấp C", "Ấp A", "Ấp B"]
    planned = make_dialogue(commune, days=20, hamlets=[c])
    assert not {p.hamlet.name: p for p in hamlet_plans(commune, NOW)}["Ấp C"].overdue
    slots = suggested_rotation(commune, NOW, slot_days=14)
    assert [s.hamlet.name for s in slots] == ["Ấp A", "Ấp B"]
    first_day = (planned.starts_at + timedelta(hours=7)).date() + timedelta(14)
    assert [s.on for s in slots] == [first_day, first_day + timedelta(14)]


def test_a_meeting_with_voters_does_not_take_a_hamlets_turn(db):
    commune = make_commune(hamlets=("Ấp A", "Ấp B"), rotation_days=92)
    a, _ = commune.hamlets
    voters = make_dialogue(commune, days=-10, hamlets=[a], kind="voters")
    close_dialogue(voters, attendance=80, minutes="", now=NOW - timedelta(days=10))
    upcoming_voters = make_dialogue(commune, days=5, hamlets=[a], kind="voters")
    plan = {p.hamlet.name: p for p in hamlet_plans(commune, NOW)}["Ấp A"]
    assert plan.overdue and plan.last_held is None and plan.next_planned is None
    assert upcoming_voters.status == "planned"


def test_next_for_residents_is_the_hamlets_next_dialogue_or_the_communes(db):
    from nghedan.services.dialogues.plan import next_for_residents

    commune = make_commune()
    phu, hoa = commune.hamlets[:2]
    later_phu = make_dialogue(commune, days=14, hamlets=[phu])
    soon_hoa = make_dialogue(commune, days=3, hamlets=[hoa])
    make_dialogue(commune, days=1, hamlets=[phu], kind="voters")
    cancelled = make_dialogue(commune, days=2, hamlets=[phu])
    cancel_dialogue(cancelled, "Mưa bão")
    assert next_for_residents(commune.id, phu.id, now=NOW) == [later_phu]
    assert next_for_residents(commune.id, None, now=NOW) == [soon_hoa]
    assert next_for_residents(commune.id, hoa.id, now=NOW, limit=3) == [soon_hoa]
    assert next_for_residents(commune.id, hoa.id, now=NOW + timedelta(days=5)) == []
