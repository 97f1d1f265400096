"""Adding an item that reads like one already on the agenda warns and offers to merge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import Commune, Dialogue, Item, utcnow
from nghedan.services.dialogues import agenda
from tests.admin.conftest import page_csrf
from tests.factories import make_item


def _setup(app, world):
    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        dialogue = Dialogue(
            commune_id=commune.id,
            place="Nhà văn hóa ấp Tân Phú",
            starts_at=utcnow() + timedelta(days=7),
        )
        _db.session.add(dialogue)
        _db.session.flush()
        on_agenda = make_item(commune, "Cầu tre ấp Tân Phú sắp sập, xin sửa cầu gấp")
        agenda.assign_item(dialogue, on_agenda)
        alike = make_item(
            commune, "cau tre ap tan phu sap sap roi, xin xa sua cau", contact_phone="0933444555"
        )
        _db.session.commit()
        return dialogue.id, on_agenda.id, on_agenda.tracking_code, alike.id


def test_the_item_page_warns_keeps_the_form_and_merges(as_user, app, world):
    dialogue, kept, kept_code, alike = _setup(app, world)
    client = as_user("officer1")
    url = f"/admin/items/{alike}"
    form = {
        "csrf_token": page_csrf(client, url),
        "dialogue": dialogue,
        "legal_type": "opinion",
        "status": "new",
        "note": "đang gõ dở",
    }
    warned = client.post(f"{url}/triage", data=form)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 422 and 'id="similar-on-agenda"' in page  # held back
    assert kept_code in page and f"Gộp vào ý kiến {kept_code}" in page
    assert 'value="đang gõ dở"' in page and f'<option value="{dialogue}" selected>' in page
    with app.app_context():
        assert _db.session.get(Item, alike).dialogue_id is None  # nothing saved yet
    # The merge button merges this item into the one on the agenda.
    merge_form = page.split(f'id="merge-into-{kept}"')[0].rsplit("<form", 1)[1]
    assert f"/admin/items/{kept}/merge" in merge_form
    client.post(
        f"/admin/items/{kept}/merge", data={"csrf_token": form["csrf_token"], "other": alike}
    )
    with app.app_context():
        item = _db.session.get(Item, alike)
        assert item.status == "duplicate" and item.duplicate_of_id == kept


def test_the_official_may_still_add_it(as_user, app, world):
    dialogue, _kept, _code, alike = _setup(app, world)
    client = as_user("officer1")
    url = f"/admin/items/{alike}"
    response = client.post(
        f"{url}/triage",
        data={"csrf_token": page_csrf(client, url), "dialogue": dialogue, "confirm_similar": "1"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert _db.session.get(Item, alike).dialogue_id == dialogue


def test_the_dialogue_page_names_the_alike_item_unless_confirmed(as_user, app, world):
    dialogue, _kept, kept_code, alike = _setup(app, world)
    client = as_user("officer1")
    base = f"/admin/dialogues/{dialogue}"
    token = page_csrf(client, base)
    response = client.post(f"{base}/agenda", data={"csrf_token": token, "item_id": alike})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"giống ý kiến mã {kept_code} đã có trong chương trình" in page
    with app.app_context():
        assert _db.session.get(Item, alike).dialogue_id is None
    client.post(
        f"{base}/agenda", data={"csrf_token": token, "item_id": alike, "confirm_similar": "1"}
    )
    with app.app_context():
        assert _db.session.scalar(select(Item.dialogue_id).where(Item.id == alike)) == dialogue
