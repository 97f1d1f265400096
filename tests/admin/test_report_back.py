"""Items still open when a hamlet's next dialogue is planned go on its agenda to report back."""

from __future__ import annotations

from nghedan.models import AgendaEntry
from nghedan.services.dialogues import agenda
from nghedan.services.dialogues.meeting import close_dialogue, meeting_progress
from nghedan.services.items.history import change_status
from tests.dialogues.builders import make_dialogue, triaged_item
from tests.factories import make_commune


def _open_items(commune):
    tan_phu, tan_hoa = commune.hamlets[0], commune.hamlets[1]
    promised = triaged_item(commune, "Xin làm lại cầu tre ấp Tân Phú", hamlet=tan_phu)
    change_status(promised, "answered")
    promised.outcome = "commune_will_resolve"
    forwarded = triaged_item(
        commune, "Xin cấp lại sổ đỏ bị mất", phone="0912000111", hamlet=tan_phu
    )
    change_status(forwarded, "forwarded")
    escalated = triaged_item(
        commune, "Xin nâng cấp tỉnh lộ qua ấp", phone="0912000222", hamlet=tan_phu
    )
    change_status(escalated, "escalated")
    done = triaged_item(commune, "Xin lắp đèn đường", phone="0912000333", hamlet=tan_phu)
    change_status(done, "closed")
    explained = triaged_item(commune, "Hỏi giờ làm việc", phone="0912000444", hamlet=tan_phu)
    change_status(explained, "answered")
    explained.outcome = "explained"
    elsewhere = triaged_item(
        commune, "Xin sửa đường ấp Tân Hòa", phone="0912000555", hamlet=tan_hoa
    )
    change_status(elsewhere, "escalated")
    secret = triaged_item(
        commune, "Tố cáo cán bộ", phone="0912000666", hamlet=tan_phu, legal_type="denunciation"
    )
    change_status(secret, "escalated")
    return promised, forwarded, escalated


def test_planning_puts_the_hamlets_open_items_on_the_agenda_to_report_back(db):
    commune = make_commune()
    promised, forwarded, escalated = _open_items(commune)
    pending = triaged_item(commune, "Chưa được xếp lịch", phone="0912000777")
    dialogue = make_dialogue(commune, hamlets=commune.hamlets[:1])
    entries = agenda.report_back_entries(dialogue)
    assert [e.item for e in entries] == [promised, forwarded, escalated]
    # The items keep their status and earlier answer; they are not discussed again.
    assert (promised.status, forwarded.status, escalated.status) == (
        "answered",
        "forwarded",
        "escalated",
    )
    assert promised.dialogue_id is None and pending.status == "triaged"
    assert agenda.live_entries(dialogue) == [] and meeting_progress(dialogue) == (0, 0)
    assert [e.kind for e in promised.events][-1] == "report_back"
    # Planning again (a hamlet joins) adds nothing twice; closing the meeting leaves them.
    agenda.add_report_backs(dialogue)
    assert db.query(AgendaEntry).filter_by(dialogue_id=dialogue.id).count() == 3
    close_dialogue(dialogue, attendance=30, minutes="", now=dialogue.starts_at)
    assert (promised.status, escalated.status) == ("answered", "escalated")


def test_an_item_reported_back_can_still_be_discussed_in_full(db):
    commune = make_commune()
    _promised, forwarded, _escalated = _open_items(commune)
    dialogue = make_dialogue(commune, hamlets=commune.hamlets[:1])
    agenda.assign_item(dialogue, forwarded)
    assert forwarded.status == "scheduled" and forwarded.dialogue_id == dialogue.id
    assert forwarded in [e.item for e in agenda.live_entries(dialogue)]
    assert forwarded not in [e.item for e in agenda.report_back_entries(dialogue)]


def test_meetings_with_voters_get_no_report_back(db):
    commune = make_commune()
    _open_items(commune)
    meeting = make_dialogue(commune, hamlets=commune.hamlets[:1], kind="voters")
    assert agenda.report_back_entries(meeting) == []


def test_the_dialogue_page_and_printout_list_them(as_user, app, world):
    from nghedan.extensions import db as _db
    from nghedan.models import Commune

    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        promised, _forwarded, escalated = _open_items(commune)
        escalated.escalated_to = "UBND tỉnh"
        dialogue = make_dialogue(commune, hamlets=commune.hamlets[:1])
        _db.session.commit()
        codes, dialogue_id = (promised.tracking_code, escalated.tracking_code), dialogue.id
    client = as_user("officer1")
    for path in (f"/admin/dialogues/{dialogue_id}", f"/admin/dialogues/{dialogue_id}/agenda/print"):
        page = client.get(path).get_data(as_text=True)
        section = page.split('id="report-back"')[1]
        assert "Báo cáo lại kết quả (3 ý kiến còn đang giải quyết)" in page, path
        assert all(code in section for code in codes) and "UBND tỉnh" in section


def test_an_item_resolved_before_its_dialogue_leaves_the_agenda(db):
    from nghedan.services.dialogues import followup

    commune = make_commune()
    item = triaged_item(commune, "Xin sửa cống ấp Tân Phú")
    other = triaged_item(commune, "Xin lắp đèn đường", phone="0912000888")
    dialogue = make_dialogue(commune, hamlets=commune.hamlets[:1])
    agenda.assign_item(dialogue, item)
    agenda.assign_item(dialogue, other)
    followup.resolve(item, "Đã nạo vét cống trước buổi đối thoại.")
    assert item.status == "closed" and item.dialogue_id is None
    assert [(e.item, e.position) for e in agenda.live_entries(dialogue)] == [(other, 1)]
