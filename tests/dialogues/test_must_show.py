"""Must show: one resident's SMS all the way to the answer they receive by SMS.

SMS in → item → triage → agenda → invitation → answer in the room → notice → outcome SMS,
on SQLite and on PostgreSQL.
"""

from datetime import timedelta

from sqlalchemy import select

from nghedan.database import unit_of_work
from nghedan.models import Category, Message
from nghedan.services.agenda import assign_item
from nghedan.services.dialogue_sms import send_due_invitations
from nghedan.services.intake import create_item, item_by_code
from nghedan.services.meeting import close_dialogue, save_answer, set_outcome
from nghedan.services.notices import build_notice, publish_notice, suggested_number
from nghedan.services.status import describe_status
from nghedan.services.triage import set_category, set_hamlet
from nghedan.sms_text import unaccented
from tests.dialogues.builders import NOW, make_dialogue
from tests.factories import make_commune


def test_sms_item_reaches_the_dialogue_and_the_resident_hears_the_answer(db):
    with unit_of_work():
        commune = make_commune(chairman_name="Nguyễn Văn Bình")
        item = create_item(commune_id=commune.id, channel="sms", contact_phone="0912 345 678",
                           text="den duong ap tan phu hu 2 thang nay ko ai sua")
        code, phone = item.tracking_code, item.contact_phone
    assert phone == "+84912345678" and item.status == "new"

    with unit_of_work():  # triage in the inbox
        roads = db.scalar(select(Category).where(Category.code == "roads"))
        set_category(item, roads.id, user_id=None)
        set_hamlet(item, commune.hamlets[0].id, user_id=None)
    assert item.status == "triaged"

    with unit_of_work():  # plan the dialogue, put the item on the agenda
        dialogue = make_dialogue(commune, days=6)
        assign_item(dialogue, item)
    assert item.status == "scheduled"

    with unit_of_work():  # the timer's job, five days before
        assert send_due_invitations(NOW + timedelta(days=1, hours=6))["invitations"] == 1
    [invitation] = db.scalars(select(Message).where(Message.kind == "dialogue_invitation"))
    assert invitation.phone == phone and code in invitation.body
    assert invitation.status == "queued" and invitation.direction == "out"

    with unit_of_work():  # in the room
        save_answer(dialogue, item, "Xã đã giao điện lực thay bóng đèn, ")
        save_answer(dialogue, item, "Xã đã giao điện lực thay bóng đèn, xong trong tuần này.")
        set_outcome(dialogue, item, "resolved")
        close_dialogue(dialogue, attendance=63, minutes="Hội nghị kết thúc lúc 16 giờ.",
                       now=dialogue.starts_at + timedelta(hours=2))

    with unit_of_work():
        number = suggested_number(dialogue)
        notice = build_notice(dialogue, number=number)
        assert notice.resolved[0].code == code
        assert notice.resolved[0].answer.endswith("xong trong tuần này.")
        assert publish_notice(dialogue, number) == 1
    db.expire_all()

    stored = item_by_code(code)
    assert stored.status == "closed" and stored.outcome == "resolved"
    [outcome] = db.scalars(select(Message).where(Message.kind == "dialogue_outcome"))
    assert outcome.phone == phone and outcome.item_id == stored.id
    assert code in outcome.body and "thay bong den" in unaccented(outcome.body)
    assert describe_status(stored).startswith("Đã trả lời: Xã đã giao điện lực")
