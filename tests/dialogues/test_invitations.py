"""Invitations N days before, the reminder the day before, in each contact's language."""

from datetime import timedelta

import pytest

from nghedan.formatting import LOCAL_ZONE, fmt_date
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.sms import send_due_invitations
from nghedan.services.sms.contacts import contact_for, set_opt_out
from tests.dialogues.builders import NOW, make_dialogue, outbox, triaged_item
from tests.factories import make_commune


@pytest.fixture
def app_config(app_config):
    return {**app_config, "DIALOGUE_INVITE_HAMLET_CONTACTS": True}


def test_invitation_five_days_before_then_reminder_the_day_before(db):
    commune = make_commune()
    dialogue = make_dialogue(commune, days=6)  # 14:00 on Sunday
    item = triaged_item(commune, phone="0912345678")
    assign_item(dialogue, item)
    assert send_due_invitations(NOW)["invitations"] == 0  # six days ahead: not yet
    counts = send_due_invitations(NOW + timedelta(days=1, hours=6))
    assert counts["invitations"] == 1
    [sms] = outbox(db, "dialogue_invitation")
    assert sms.phone == "+84912345678" and item.tracking_code in sms.body
    assert "14:00" in sms.body and fmt_date(NOW + timedelta(days=6)) in sms.body
    assert send_due_invitations(NOW + timedelta(days=2))["invitations"] == 0  # idempotent
    assert send_due_invitations(NOW + timedelta(days=4))["reminders"] == 0  # two days ahead
    assert send_due_invitations(NOW + timedelta(days=5))["reminders"] == 1  # Saturday
    assert send_due_invitations(NOW + timedelta(days=5, hours=3))["reminders"] == 0
    assert len(outbox(db, "dialogue_reminder")) == 1


def test_invitation_in_the_residents_language_and_not_to_opted_out(db):
    commune = make_commune()
    dialogue = make_dialogue(commune, days=3)
    english = triaged_item(commune, "Street light broken", phone="0987654321")
    contact_for("+84987654321").language = "en"
    stopped = triaged_item(commune, "Đèn đường hỏng", phone="0911111111")
    set_opt_out("+84911111111", True)
    for item in (english, stopped):
        assign_item(dialogue, item)
    assert send_due_invitations(NOW)["invitations"] == 1
    [sms] = outbox(db, "dialogue_invitation")
    assert sms.phone == "+84987654321"
    assert sms.body.startswith("The People's Committee of")


def test_hamlet_contacts_hear_of_the_dialogue_when_enabled(db):
    commune = make_commune()
    tan_phu, tan_hoa = commune.hamlets
    triaged_item(commune, "Ý kiến cũ", phone="0933333333", hamlet=tan_phu)
    triaged_item(commune, "Ý kiến ấp khác", phone="0944444444", hamlet=tan_hoa)
    make_dialogue(commune, days=2, hamlets=[tan_phu])
    counts = send_due_invitations(NOW)
    assert counts["announcements"] == 1
    [sms] = outbox(db, "dialogue_announcement")
    assert sms.phone == "+84933333333"


def test_invited_late_gets_one_sms_not_two(db):
    commune = make_commune()
    dialogue = make_dialogue(commune, days=1)
    assign_item(dialogue, triaged_item(commune))
    counts = send_due_invitations(NOW)
    assert counts == {"invitations": 1, "reminders": 0, "announcements": 0}
    assert send_due_invitations(NOW + timedelta(hours=2))["reminders"] == 0


def test_jobs_command_runs_due_jobs_and_commits(app, runner):
    from nghedan.extensions import db
    from nghedan.models import utcnow

    with app.app_context():
        commune = make_commune()
        dialogue = make_dialogue(commune, starts_at=utcnow() + timedelta(days=3))
        assign_item(dialogue, triaged_item(commune))
        db.session.commit()
    result = runner.invoke(args=["jobs", "run-due"])
    assert result.exit_code == 0, result.output
    assert "invitations=1" in result.output
    again = runner.invoke(args=["jobs", "run-due"])
    assert "invitations=0" in again.output
    with app.app_context():
        assert len(outbox(db.session, "dialogue_invitation")) == 1


def test_invitations_sent_now_by_the_office_count_who_gets_one_and_go_once(db):
    from nghedan.errors import ValidationError
    from nghedan.services.dialogues.sms import invitation_phones, send_invitations_now

    commune = make_commune()
    dialogue = make_dialogue(commune, days=12)
    for phone in ("0912345678", "0987654321", "0933333333"):
        assign_item(dialogue, triaged_item(commune, phone=phone))
    set_opt_out("+84933333333", True)
    assert invitation_phones(dialogue) == ["+84912345678", "+84987654321"]
    assert send_invitations_now(dialogue, now=NOW) == 2
    assert dialogue.invitations_sent_at == NOW and dialogue.reminders_sent_at is None
    assert {m.phone for m in outbox(db, "dialogue_invitation")} == {"+84912345678", "+84987654321"}
    with pytest.raises(ValidationError) as e:
        send_invitations_now(dialogue, now=NOW)
    assert e.value.code == "already_invited"
    assert send_due_invitations(NOW + timedelta(days=8))["invitations"] == 0  # not twice
    past = make_dialogue(commune, days=-1)
    with pytest.raises(ValidationError) as e:
        send_invitations_now(past, now=NOW)
    assert e.value.code == "not_upcoming"


def test_printed_invitation_and_loudspeaker_text_come_from_the_dialogue(db):
    from nghedan.services.dialogues.invitation import invitation, loudspeaker_text
    from nghedan.services.dialogues.notices import decree30_date

    commune = make_commune(chairman_name="Nguyễn Văn Bình", sms_number="+84868000115")
    dialogue = make_dialogue(commune, days=3, chair_role="vice_chairman", chair_name="Phạm Thị Hoa")
    assign_item(dialogue, triaged_item(commune))
    day = (NOW + timedelta(days=3, hours=5)).astimezone(LOCAL_ZONE).date()
    paper = invitation(dialogue)
    assert paper.invitees == "Bà con Nhân dân ấp Tân Phú"
    assert paper.when == f"14 giờ 00, thứ Năm, {decree30_date(day)}"
    assert paper.place == "Nhà văn hóa ấp Tân Phú"
    assert paper.chair == "đồng chí Phạm Thị Hoa, Phó Chủ tịch UBND xã"
    assert paper.signing == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert "1 ý kiến, kiến nghị đã nhận trước" in paper.agenda
    spoken = loudspeaker_text(dialogue)
    assert spoken.startswith("Thông báo của Ủy ban nhân dân xã Tân Thạnh.")
    assert f"Vào lúc 14 giờ 00, thứ Năm, {decree30_date(day)}, tại Nhà văn hóa ấp Tân Phú" in spoken
    assert "Kính mời bà con" in spoken and "0868 000 115" in spoken and "bạn" not in spoken
    assert len(spoken) < 700  # short enough to read twice


def test_a_ward_is_called_a_ward_in_every_paper_it_sends(db):
    """A phường's invitation, loudspeaker text, notice recipients and close form never say
    "xã" (and a commune's still do)."""
    from nghedan.services.dialogues.invitation import invitation, loudspeaker_text
    from nghedan.services.dialogues.meeting import attendees_prefill
    from nghedan.services.dialogues.notices import _recipients, committee

    ward = make_commune(
        "Mỹ Hòa",
        hamlets=("Khu phố 3",),
        kind="phuong",
        chairman_name="Lê Văn Tám",
        sms_number="+84868000116",
    )
    dialogue = make_dialogue(ward, days=3, chair_role="chairman", chair_name="Lê Văn Tám")
    paper = invitation(dialogue)
    assert paper.issuer == ("ỦY BAN NHÂN DÂN", "PHƯỜNG MỸ HÒA")
    assert paper.chair == "đồng chí Lê Văn Tám, Chủ tịch UBND phường"
    assert paper.agenda.startswith("UBND phường nghe ý kiến")
    assert "trụ sở UBND phường" in paper.sms_line
    spoken = loudspeaker_text(dialogue)
    assert "Ủy ban nhân dân phường Mỹ Hòa" in spoken and "Ủy ban nhân dân phường tổ chức" in spoken
    assert committee(ward) == "UBND phường"
    assert "Thường trực Đảng ủy, HĐND phường" in _recipients(dialogue)
    assert attendees_prefill(dialogue).startswith("Đại diện Ủy ban MTTQ Việt Nam phường")
    texts = [paper.agenda, paper.sms_line, paper.chair, spoken, *_recipients(dialogue)]
    assert not any(" xã" in text or text.startswith("xã") for text in texts)
