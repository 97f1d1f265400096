"""Must show: one resident's SMS all the way to the answer they receive by SMS.

SMS in → item → triage → agenda → invitation → answer in the room → notice → outcome SMS,
on SQLite and on PostgreSQL.
"""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from nghedan.database import unit_of_work
from nghedan.extensions import db as _db
from nghedan.formatting import LOCAL_ZONE, fmt_date
from nghedan.models import Category, Commune, Dialogue, Item, Message, utcnow
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.meeting import close_dialogue, save_answer, set_outcome
from nghedan.services.dialogues.notices import build_notice
from nghedan.services.dialogues.sms import send_due_invitations
from nghedan.services.items.intake import create_item, item_by_code
from nghedan.services.items.status import describe_status
from nghedan.services.items.triage import set_category, set_hamlet
from nghedan.sms_text import unaccented
from tests.admin.conftest import PASSWORD, login
from tests.dialogues.builders import NOW, issue_notice, make_dialogue
from tests.dialogues.test_pages import issue_over_http
from tests.factories import make_commune
from tests.helpers import csrf_token
from tests.sms_gateway.conftest import COMMUNE_NUMBER, post_sms, reply_of, twilio_config


@pytest.fixture
def app_config(database_url):
    return twilio_config(database_url)


def test_sms_item_reaches_the_dialogue_and_the_resident_hears_the_answer(db):
    with unit_of_work():
        commune = make_commune(chairman_name="Nguyễn Văn Bình")
        item = create_item(
            commune_id=commune.id,
            channel="sms",
            contact_phone="0912 345 678",
            text="den duong ap tan phu hu 2 thang nay ko ai sua",
        )
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
        close_dialogue(
            dialogue,
            attendance=63,
            minutes="Hội nghị kết thúc lúc 16 giờ.",
            now=dialogue.starts_at + timedelta(hours=2),
        )

    with unit_of_work():
        notice = build_notice(dialogue)
        assert notice.resolved[0].code == code
        assert notice.resolved[0].answer.endswith("xong trong tuần này.")
        assert db.scalars(select(Message).where(Message.kind == "dialogue_outcome")).all() == []
        assert issue_notice(dialogue, 1, now=dialogue.starts_at + timedelta(days=1)) == 1
    db.expire_all()

    stored = item_by_code(code)
    assert stored.status == "closed" and stored.outcome == "resolved"
    [outcome] = db.scalars(select(Message).where(Message.kind == "dialogue_outcome"))
    assert outcome.phone == phone and outcome.item_id == stored.id
    assert code in outcome.body and "thay bong den" in unaccented(outcome.body)
    assert describe_status(stored).startswith("Đã trả lời: Xã đã giao điện lực")


def test_the_same_walk_through_the_admin_panel_and_the_jobs_command(app, client, runner, world):
    """A text to the Twilio webhook, triaged in the inbox, planned, invited by the timer,
    answered in meeting mode, published; the outcome SMS waits in the outbox."""

    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        commune.sms_number = COMMUNE_NUMBER
        hamlet_id = commune.hamlets[1].id
        roads = _db.session.scalar(select(Category.id).where(Category.code == "roads"))
        _db.session.commit()
    reply = reply_of(post_sms(client, "xin hoi khi nao sua cau tre ap", sender="+84977123456"))
    with app.app_context():
        item = _db.session.scalar(select(Item).where(Item.contact_phone == "+84977123456"))
        code = item.tracking_code
        assert item.channel == "sms" and code in reply
    assert login(client, "officer1", PASSWORD).status_code == 302

    def post(url, data, page=None):
        token = csrf_token(client.get(page or url).get_data(as_text=True))
        return client.post(url, data={**data, "csrf_token": token})

    with app.app_context():
        item_id = item_by_code(code).id
    post(
        f"/admin/items/{item_id}/triage",
        {"category": str(roads), "hamlet": str(hamlet_id)},
        f"/admin/items/{item_id}",
    )
    starts = (utcnow() + timedelta(days=3)).astimezone(LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")
    created = post(
        "/admin/dialogues/new",
        {
            "kind": "dialogue",
            "hamlet_ids": str(hamlet_id),
            "starts_at": starts,
            "place": "Nhà văn hóa ấp Tân Phú",
            "chair_name": "Nguyễn Văn Bình",
        },
    )
    base = created.headers["Location"]
    post(base + "/agenda", {"item_id": str(item_id)}, base)
    with app.app_context():
        assert _db.session.get(Item, item_id).status == "scheduled"

    assert "invitations=1" in runner.invoke(args=["jobs", "run-due"]).output

    meeting = client.get(base + "/meeting").get_data(as_text=True)
    due = datetime.now(LOCAL_ZONE).date() + timedelta(days=60)
    token = csrf_token(meeting)
    client.post(
        f"{base}/meeting/items/{item_id}/answer",
        data={"answer": "Tháng 12 xã làm lại cầu bằng bê tông.", "csrf_token": token},
    )
    client.post(
        f"{base}/meeting/items/{item_id}/outcome",
        data={
            "csrf_token": token,
            "n": "1",
            "outcome": "commune_will_resolve",
            "responsible": "Công chức Địa chính - Xây dựng",
            "due_date": due.isoformat(),
        },
    )
    with app.app_context():  # the meeting is held: it is three days later
        dialogue = _db.session.get(Dialogue, int(base.rsplit("/", 1)[1]))
        dialogue.starts_at = utcnow() - timedelta(hours=3)
        _db.session.commit()
    post(base + "/close", {"attendance": "70", "minutes": ""})
    notice = client.get(base + "/notice").get_data(as_text=True)
    assert "Tháng 12 xã làm lại cầu bằng bê tông." in notice
    issue_over_http(app, client, base, 3)

    with app.app_context():
        texts = {
            m.kind: m
            for m in _db.session.scalars(select(Message).where(Message.phone == "+84977123456"))
        }
        assert set(texts) >= {"dialogue_invitation", "dialogue_outcome"}
        outcome = unaccented(texts["dialogue_outcome"].body)
        assert code in outcome and f"se giai quyet truoc {fmt_date(due)}" in outcome
        assert _db.session.get(Item, item_id).status == "answered"
    assert "Tháng 12 xã làm lại cầu" in client.get(f"/t/{code}").get_data(as_text=True)
    followup = client.get("/admin/follow-up").get_data(as_text=True)
    assert code in followup and "Công chức Địa chính - Xây dựng" in followup
