"""The agenda: assigning items, denunciations and complaints, order, carry-over."""

import pytest

from nghedan.errors import ValidationError
from nghedan.services.dialogues.agenda import (
    assign_item,
    grouped,
    in_meeting_order,
    move_entry,
    remove_item,
    reorder,
)
from nghedan.services.dialogues.meeting import close_dialogue, save_answer, set_outcome
from tests.dialogues.builders import NOW, make_dialogue, outbox, triaged_item
from tests.factories import make_commune, make_item


def test_assigned_item_is_scheduled_for_the_dialogue(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    item = triaged_item(commune)
    entry = assign_item(dialogue, item, user_id=None)
    assert item.status == "scheduled" and item.dialogue_id == dialogue.id
    assert entry.position == 1 and not entry.carried_over
    assert assign_item(dialogue, item) is entry  # twice is once
    assert [e.kind for e in item.events][-2:] == ["status", "agenda_added"]


def test_denunciation_never_reaches_an_agenda(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    item = make_item(commune, "Tố cáo cán bộ nhận tiền", legal_type="denunciation")
    with pytest.raises(ValidationError) as e:
        assign_item(dialogue, item)
    assert e.value.code == "denunciation_not_on_agenda"
    assert dialogue.agenda == [] and item.status == "new"


def test_complaint_is_flagged_for_its_own_procedure(db):
    commune = make_commune()
    item = make_item(commune, "Khiếu nại quyết định thu hồi đất", legal_type="complaint")
    assign_item(make_dialogue(commune), item)
    assert item.flagged and "Luật Khiếu nại" in item.flag_reason


def test_item_moves_from_one_planned_agenda_to_another(db):
    commune = make_commune()
    first, second = make_dialogue(commune), make_dialogue(commune, days=14)
    item = triaged_item(commune)
    assign_item(first, item)
    assign_item(second, item)
    assert first.agenda == [] and item.dialogue_id == second.id
    remove_item(second, item)
    assert second.agenda == [] and item.status == "triaged" and item.dialogue_id is None


def test_agenda_grouped_by_category_and_reordered_within_a_group(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    road1 = triaged_item(commune, "Đường 1", category="roads")
    land = triaged_item(commune, "Đất 1", category="land")
    road2 = triaged_item(commune, "Đường 2", category="roads")
    for item in (road1, land, road2):
        assign_item(dialogue, item)
    groups = grouped(dialogue)
    assert [g.category.code for g in groups] == ["land", "roads"]  # the categories' order
    assert [e.item.text for e in groups[1].entries] == ["Đường 1", "Đường 2"]
    road2_entry = groups[1].entries[1]
    move_entry(dialogue, road2_entry.id, -1)
    assert [e.item.text for e in in_meeting_order(dialogue)] == ["Đất 1", "Đường 2", "Đường 1"]
    move_entry(dialogue, road2_entry.id, -1)  # already first in its group: nothing moves
    assert [e.item.text for e in in_meeting_order(dialogue)] == ["Đất 1", "Đường 2", "Đường 1"]
    ids = [e.id for e in sorted(dialogue.agenda, key=lambda e: e.position)]
    reorder(dialogue, list(reversed(ids)))
    assert [e.item.text for e in grouped(dialogue)[1].entries] == ["Đường 1", "Đường 2"]
    with pytest.raises(ValidationError):
        reorder(dialogue, ids[:1])


def test_unanswered_items_carry_over_to_the_hamlets_next_dialogue(db):
    commune = make_commune()
    tan_phu, tan_hoa = commune.hamlets
    first = make_dialogue(commune, days=-14, hamlets=[tan_phu])
    answered = triaged_item(commune, "Đã trả lời", hamlet=tan_phu)
    pending = triaged_item(commune, "Chưa kịp trả lời", hamlet=tan_phu)
    for item in (answered, pending):
        assign_item(first, item)
    save_answer(first, answered, "Đã sửa xong.")
    set_outcome(first, answered, "resolved")
    assert close_dialogue(first, attendance=30, minutes="", now=NOW) == 1
    assert pending.status == "triaged"
    other_hamlet = make_dialogue(commune, days=5, hamlets=[tan_hoa])
    assert other_hamlet.agenda == []
    second = make_dialogue(commune, days=10, hamlets=[tan_phu, tan_hoa])
    [entry] = second.agenda
    assert entry.item is pending and entry.carried_over
    assert pending.status == "scheduled" and pending.dialogue_id == second.id


def test_item_added_after_invitations_is_invited_at_once(db):
    commune = make_commune()
    dialogue = make_dialogue(commune)
    dialogue.invitations_sent_at = NOW
    item = triaged_item(commune)
    assign_item(dialogue, item)
    [sms] = outbox(db, "dialogue_invitation")
    assert item.tracking_code in sms.body and sms.item_id == item.id


def test_item_moved_by_another_path_leaves_no_stale_entry_on_the_old_agenda(db):
    commune = make_commune()
    first, second = make_dialogue(commune), make_dialogue(commune, days=14)
    item, other = triaged_item(commune, "Một"), triaged_item(commune, "Hai")
    assign_item(first, item)
    assign_item(first, other)
    item.dialogue_id = second.id  # as a bulk action elsewhere might leave it
    assert [e.item for e in in_meeting_order(first)] == [other]
    reorder(first, [e.id for e in in_meeting_order(first)])


def test_adding_a_hamlet_to_a_planned_dialogue_carries_its_leftovers_over(db):
    from nghedan.services.dialogues.plan import update_dialogue
    from tests.dialogues.builders import dialogue_input

    commune = make_commune()
    tan_phu, tan_hoa = commune.hamlets
    first = make_dialogue(commune, days=-14, hamlets=[tan_phu])
    pending = triaged_item(commune, "Chưa kịp trả lời", hamlet=tan_phu)
    assign_item(first, pending)
    close_dialogue(first, attendance=30, minutes="", now=NOW)
    later = make_dialogue(commune, days=5, hamlets=[tan_hoa])
    assert later.agenda == []
    update_dialogue(later, dialogue_input(commune, days=5, hamlets=[tan_hoa, tan_phu]))
    assert [e.item for e in later.agenda] == [pending] and later.agenda[0].carried_over
