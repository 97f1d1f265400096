"""Every dialogue URL: other communes get 404, supervisors only read, anonymous users log in."""

import re
from datetime import timedelta

import pytest

from nghedan.extensions import db
from nghedan.models import Commune, Dialogue, Item, utcnow
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.items.history import change_status
from tests.dialogues.builders import form_starts_at, make_dialogue
from tests.helpers import csrf_token

MODULES = {"admin.dialogues", "admin.dialogues_room"}


@pytest.fixture
def ours(app, world):
    """Our commune's dialogue with one item on its agenda: the ids to fill URLs with."""
    with app.app_context():
        commune = db.session.get(Commune, world.commune_id)
        dialogue = make_dialogue(commune, starts_at=utcnow() + timedelta(days=2))
        item = db.session.get(Item, world.item_id)
        change_status(item, "triaged")
        entry = assign_item(dialogue, item)
        db.session.commit()
        return {"dialogue_id": dialogue.id, "entry_id": entry.id, "item_id": item.id}


def dialogue_urls(app, ids):
    """(method, path) of every route of the dialogue pages, filled with our ids."""
    urls = []
    for rule in app.url_map.iter_rules():
        if app.view_functions[rule.endpoint].__module__ not in MODULES:
            continue
        path = re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)
        urls += [(method, path) for method in sorted(rule.methods & {"GET", "POST"})]
    return urls


def test_every_dialogue_url_is_known(app, ours):
    urls = dialogue_urls(app, ours)
    assert len(urls) >= 20
    assert ("GET", f"/admin/dialogues/{ours['dialogue_id']}/meeting") in urls


def test_another_communes_admin_gets_404_on_every_row_of_ours(as_user, app, ours):
    client = as_user("admin2")
    token = csrf_token(client.get("/admin/dialogues").get_data(as_text=True))
    for method, path in dialogue_urls(app, ours):
        if not re.search(r"/\d+", path):
            continue  # lists: checked below
        data = {
            "csrf_token": token,
            "reason": "x",
            "answer": "x",
            "outcome": "resolved",
            "attendance": "1",
            "number": "1/TB-UBND",
            "note": "x",
            "order": "1",
            "item_id": str(ours["item_id"]),
            "text": "x",
        }
        response = client.open(path, method=method, data=data if method == "POST" else None)
        assert response.status_code == 404, (method, path, response.status_code)
    with app.app_context():
        dialogue = db.session.get(Dialogue, ours["dialogue_id"])
        item = db.session.get(Item, ours["item_id"])
        assert dialogue.status == "planned" and item.answer is None and item.outcome is None


def test_another_communes_lists_and_forms_never_touch_ours(as_user, app, ours, world):
    client = as_user("admin2")
    for path in (
        "/admin/dialogues",
        f"/admin/dialogues?commune={world.commune_id}",
        "/admin/follow-up",
        f"/admin/dialogues/new?commune={world.commune_id}",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "Ấp Tân Phú" not in page.get_data(as_text=True), path
    with app.app_context():
        hamlet_id = db.session.get(Commune, world.commune_id).hamlets[0].id
    token = csrf_token(client.get("/admin/dialogues/new").get_data(as_text=True))
    response = client.post(
        "/admin/dialogues/new",
        data={
            "csrf_token": token,
            "commune": world.commune_id,
            "kind": "dialogue",
            "hamlet_ids": hamlet_id,
            "starts_at": form_starts_at(40),
            "place": "x",
        },
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.query(Dialogue).count() == 1


def test_supervisor_reads_every_page_and_changes_nothing(as_user, app, ours):
    client = as_user("super1")
    token = csrf_token(client.get("/admin/dialogues").get_data(as_text=True))
    for method, path in dialogue_urls(app, ours):
        response = client.open(
            path, method=method, data={"csrf_token": token} if method == "POST" else None
        )
        expected = 200 if method == "GET" else 403
        if path.endswith("/new") or path.endswith("/edit"):
            expected = 403  # planning forms are for editors only
        assert response.status_code == expected, (method, path, response.status_code)
    page = client.get(f"/admin/dialogues/{ours['dialogue_id']}").get_data(as_text=True)
    assert "Rút khỏi chương trình" not in page and "Hủy buổi đối thoại" not in page
    meeting = client.get(f"/admin/dialogues/{ours['dialogue_id']}/meeting").get_data(as_text=True)
    assert "readonly" in meeting and 'name="outcome"' not in meeting


def test_anonymous_users_are_sent_to_login_from_every_dialogue_url(client, app, ours):
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    for method, path in dialogue_urls(app, ours):
        response = client.open(
            path, method=method, data={"csrf_token": token} if method == "POST" else None
        )
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/admin/login?next="), (method, path)
