"""The inbox's bulk "assign to dialogue" follows the agenda rules of the dialogue page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AgendaEntry, Commune, Dialogue, Item, utcnow
from nghedan.services.dialogues.agenda import COMPLAINT_FLAG
from tests.admin.conftest import page_csrf
from tests.factories import make_item


def _planned_dialogues(app, world, count=1):
    with app.app_context():
        ids = []
        for n in range(count):
            dialogue = Dialogue(
                commune_id=world.commune_id,
                place="Nhà văn hóa ấp Tân Phú",
                starts_at=utcnow() + timedelta(days=7 + n),
            )
            _db.session.add(dialogue)
            _db.session.flush()
            ids.append(dialogue.id)
        _db.session.commit()
        return ids


def _bulk_assign(client, dialogue_id, *item_ids):
    return client.post(
        "/admin/items/bulk",
        data={
            "csrf_token": page_csrf(client),
            "action": "dialogue",
            "dialogue": dialogue_id,
            "ids": list(item_ids),
        },
    )


def test_a_complaint_assigned_from_the_inbox_is_flagged(as_user, app, world):
    [dialogue] = _planned_dialogues(app, world)
    with app.app_context():
        complaint = make_item(
            _db.session.get(Commune, world.commune_id),
            "Khiếu nại quyết định thu hồi đất.",
            legal_type="complaint",
        ).id
        _db.session.commit()
    client = as_user("officer1")
    assert _bulk_assign(client, dialogue, complaint).status_code == 302
    with app.app_context():
        item = _db.session.get(Item, complaint)
        assert item.status == "scheduled" and item.dialogue_id == dialogue
        assert item.flagged and item.flag_reason == COMPLAINT_FLAG


def test_a_denunciation_assigned_from_the_inbox_is_refused(as_user, app, world):
    [dialogue] = _planned_dialogues(app, world)
    client = as_user("officer1")
    response = _bulk_assign(client, dialogue, world.denunciation_id)
    assert response.status_code == 302
    assert "Đơn tố cáo không được đưa vào chương trình" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    with app.app_context():
        item = _db.session.get(Item, world.denunciation_id)
        assert item.dialogue_id is None and item.status == "new"
        assert _db.session.scalar(select(AgendaEntry.id)) is None


def test_moving_to_another_dialogue_leaves_the_first_agenda(as_user, app, world):
    first, second = _planned_dialogues(app, world, 2)
    client = as_user("officer1")
    _bulk_assign(client, first, world.item_id)
    _bulk_assign(client, second, world.item_id)
    with app.app_context():
        entries = _db.session.scalars(select(AgendaEntry)).all()
        assert [(e.dialogue_id, e.item_id) for e in entries] == [(second, world.item_id)]
        assert _db.session.get(Item, world.item_id).dialogue_id == second
