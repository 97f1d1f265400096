"""Officials listen to a spoken item, write its summary, and only they hear it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Item
from nghedan.services.dialogues import notice_issue as office
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.meeting import close_dialogue, save_answer, set_outcome
from nghedan.services.dialogues.notices import answered_entries, summary_prefill
from nghedan.services.items.history import change_status
from nghedan.services.items.intake import create_item
from nghedan.services.items.recordings import attach_recording, check_recording, write_summary
from tests.admin.conftest import page_csrf
from tests.audio_samples import webm_3s
from tests.dialogues.builders import NOW, TODAY, make_dialogue
from tests.factories import make_officer


def _spoken(app, commune_id: int, legal_type: str = "opinion") -> int:
    with app.app_context():
        item = create_item(
            commune_id=commune_id, text="", channel="kiosk", legal_type=legal_type, spoken=True
        )
        attach_recording(item, check_recording(webm_3s()))
        _db.session.commit()
        return item.id


@pytest.fixture
def spoken_id(app, world) -> int:
    return _spoken(app, world.commune_id)


def test_the_item_page_plays_the_recording_at_three_speeds(as_user, spoken_id):
    client = as_user("officer1")
    html = client.get(f"/admin/items/{spoken_id}").get_data(as_text=True)
    assert "Ý kiến nói" in html and f'src="/admin/items/{spoken_id}/recording"' in html
    assert all(f'data-speed="{s}"' in html for s in ("1", "1.25", "1.5"))
    assert "1,25x" in html and "recording.js" in html
    assert 'id="spoken-needs-summary"' in html and "Tệp minh chứng" not in html
    response = client.get(f"/admin/items/{spoken_id}/recording")
    assert response.status_code == 200 and response.mimetype == "audio/webm"
    assert response.get_data() == webm_3s()
    assert "no-store" in response.headers["Cache-Control"]
    part = client.get(f"/admin/items/{spoken_id}/recording", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.get_data() == webm_3s()[:100]


def test_the_inbox_marks_spoken_items(as_user, spoken_id):
    html = as_user("officer1").get("/admin/items").get_data(as_text=True)
    assert 'class="badge voice"' in html and "Chưa tóm tắt" in html


def test_the_summary_is_what_search_and_the_notice_read(app, as_user, spoken_id):
    client = as_user("officer1")
    response = client.post(
        f"/admin/items/{spoken_id}/summary",
        data={"csrf_token": page_csrf(client), "summary": "  Cống ấp Tân Phú bị   tắc. "},
    )
    assert response.status_code == 302
    with app.app_context():
        item = _db.session.get(Item, spoken_id)
        assert item.summary == "Cống ấp Tân Phú bị tắc." and item.text == ""
        assert "cong ap tan phu bi tac" in item.text_folded
        assert item.events[-1].kind == "spoken_summary" and item.events[-1].user_id
    html = client.get("/admin/items?q=cong tac").get_data(as_text=True)
    assert f"/admin/items/{spoken_id}" in html and "Cống ấp Tân Phú bị tắc." in html
    page = client.get(f"/admin/items/{spoken_id}").get_data(as_text=True)
    assert 'id="spoken-summary"' in page and "spoken-needs-summary" not in page


def test_an_empty_summary_is_refused(as_user, spoken_id):
    client = as_user("officer1")
    response = client.post(
        f"/admin/items/{spoken_id}/summary",
        data={"csrf_token": page_csrf(client), "summary": "   "},
    )
    assert response.status_code == 422
    assert "Cần ghi tóm tắt nội dung bản ghi âm." in response.get_data(as_text=True)


def test_another_commune_or_nobody_does_not_hear_it(client, as_user, spoken_id):
    assert client.get(f"/admin/items/{spoken_id}/recording").status_code == 302  # to login
    other = as_user("admin2")
    assert other.get(f"/admin/items/{spoken_id}/recording").status_code == 404
    assert other.get(f"/admin/items/{spoken_id}").status_code == 404


def test_a_supervisor_listens_but_does_not_summarise(as_user, spoken_id):
    client = as_user("super1")
    assert client.get(f"/admin/items/{spoken_id}/recording").status_code == 200
    html = client.get(f"/admin/items/{spoken_id}").get_data(as_text=True)
    assert 'name="summary"' not in html


def test_a_denunciations_recording_is_as_confidential_as_its_sender(app, as_user, world):
    secret_id = _spoken(app, world.commune_id, legal_type="denunciation")
    client = as_user("officer1")
    assert client.get(f"/admin/items/{secret_id}/recording").status_code == 403
    html = client.get(f"/admin/items/{secret_id}").get_data(as_text=True)
    assert 'id="recording-confidential"' in html and "/recording" not in html
    client.post("/admin/logout", data={"csrf_token": page_csrf(client)})
    admin = as_user("admin1")
    assert admin.get(f"/admin/items/{secret_id}/recording").status_code == 200
    with app.app_context():
        played = _db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "item.denunciation_recording_played")
        ).all()
        assert [a.object_id for a in played] == [secret_id]


def test_a_spoken_item_goes_on_a_notice_only_with_a_summary(app, world):
    with app.app_context():
        item_id = _spoken(app, world.commune_id)
        item = _db.session.get(Item, item_id)
        commune = item.commune
        officer = make_officer(commune, code="09", name="Trần Văn Hùng", title="Công chức")
        dialogue = make_dialogue(commune, days=-1, official_ids=(officer.id,))
        change_status(item, "triaged")
        assign_item(dialogue, item)
        save_answer(dialogue, item, "Xã cho nạo vét cống trong tuần.")
        set_outcome(dialogue, item, "resolved", now=NOW - timedelta(hours=20))
        close_dialogue(dialogue, attendance=40, minutes="Biên bản", now=NOW)
        draft = office.open_draft(dialogue)
        [entry] = answered_entries(dialogue)
        office.save_summary(draft, entry, "Cống ấp bị tắc.")
        with pytest.raises(ValidationError) as refused:
            office.submit_for_signature(draft, today=TODAY)
        assert f"Ý kiến nói mã {item.tracking_code} chưa được tóm tắt." in refused.value.message
        write_summary(item, "Cống ấp Tân Phú bị tắc, nước tràn vào nhà.", user_id=None)
        entry.summary = None
        assert summary_prefill(entry) == "Cống ấp Tân Phú bị tắc, nước tràn vào nhà."
        office.save_summary(draft, entry, summary_prefill(entry))
        office.submit_for_signature(draft, today=TODAY)
        assert draft.status == "awaiting_signature"


def test_meeting_mode_plays_it_too(app, as_user, world, spoken_id):
    with app.app_context():
        item = _db.session.get(Item, spoken_id)
        dialogue = make_dialogue(item.commune, days=0)
        change_status(item, "triaged")
        assign_item(dialogue, item)
        _db.session.commit()
        dialogue_id = dialogue.id
    html = as_user("officer1").get(f"/admin/dialogues/{dialogue_id}/meeting").get_data(True)
    assert f'src="/admin/items/{spoken_id}/recording"' in html and 'data-speed="1.5"' in html
    assert 'name="summary"' not in html  # the summary is written on the item's page


def test_a_recording_is_not_served_as_evidence(app, as_user, spoken_id):
    """Only its own route (commune, confidentiality, audit) serves a recording."""
    from nghedan.models import ItemAttachment

    with app.app_context():
        attachment_id = _db.session.scalar(
            select(ItemAttachment.id).where(ItemAttachment.item_id == spoken_id)
        )
    client = as_user("officer1")
    assert client.get(f"/admin/items/{spoken_id}/evidence/{attachment_id}").status_code == 404
