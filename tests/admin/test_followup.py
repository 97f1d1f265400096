"""Follow-up from the item page: responsible officer, due date moved with a reason, progress
notes, resolving with a note and evidence checked by content, figures per officer."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from nghedan.errors import ValidationError
from nghedan.extensions import db as _db
from nghedan.formatting import LOCAL_ZONE, fmt_date
from nghedan.models import Commune, Item, ItemAttachment
from nghedan.services.dialogues import followup
from nghedan.services.items.evidence import DOCX, content_type_of
from tests.admin.conftest import login, page_csrf
from tests.factories import make_item, make_officer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _officers(app, world):
    with app.app_context():
        ours = _db.session.get(Commune, world.commune_id)
        theirs = _db.session.get(Commune, world.other_commune_id)
        ids = (
            make_officer(ours, "01", "Trần Văn Việt", title="Công chức Địa chính").id,
            make_officer(ours, "02", "Đỗ Thị Ánh").id,
            make_officer(theirs, "01", "Lê Văn Lạ").id,
        )
        _db.session.commit()
        return ids


def _post(client, world, path, data, **kw):
    token = page_csrf(client, f"/admin/items/{world.item_id}")
    return client.post(
        f"/admin/items/{world.item_id}/{path}", data={"csrf_token": token, **data}, **kw
    )


def _item(app, world) -> Item:
    return _db.session.get(Item, world.item_id)


def test_responsible_is_picked_from_the_communes_officers_in_vietnamese_order(as_user, app, world):
    viet, anh, stranger = _officers(app, world)
    client = as_user("officer1")
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    picker = page.split('id="responsible-officer"')[1].split("</select>")[0]
    assert picker.index("Đỗ Thị Ánh") < picker.index("Trần Văn Việt")
    assert "Lê Văn Lạ" not in picker
    due = datetime.now(LOCAL_ZONE).date() + timedelta(days=10)
    response = _post(
        client, world, "triage", {"responsible_officer": viet, "due_date": fmt_date(due)}
    )
    assert response.status_code == 302
    with app.app_context():
        item = _item(app, world)
        assert (item.responsible_officer_id, item.responsible, item.due_date) == (
            viet,
            "Trần Văn Việt",
            due,
        )
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "Trần Văn Việt · Công chức Địa chính" in page and fmt_date(due) in page
    # An officer of another commune can't be given the item; what was typed stays.
    refused = _post(
        client, world, "triage", {"responsible_officer": stranger, "note": "ghi chú đang gõ"}
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Không tìm thấy cán bộ này" in text and 'value="ghi chú đang gõ"' in text


def test_an_outside_body_is_free_text(as_user, app, world):
    client = as_user("officer1")
    _post(client, world, "triage", {"responsible": "Công ty Điện lực huyện"})
    with app.app_context():
        item = _item(app, world)
        assert (item.responsible_officer_id, item.responsible) == (None, "Công ty Điện lực huyện")
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "Công ty Điện lực huyện (cơ quan bên ngoài)" in page


def test_moving_a_due_date_needs_a_reason_kept_in_the_history(as_user, app, world):
    client = as_user("officer1")
    today = datetime.now(LOCAL_ZONE).date()
    first, later = today + timedelta(days=5), today + timedelta(days=20)
    _post(client, world, "triage", {"due_date": first.isoformat()})  # a browser's ISO too
    refused = _post(client, world, "triage", {"due_date": fmt_date(later), "responsible": "Ấp"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Cần ghi lý do gia hạn" in text and f'value="{fmt_date(later)}"' in text
    with app.app_context():
        assert _item(app, world).due_date == first
    ok = _post(
        client,
        world,
        "triage",
        {"due_date": fmt_date(later), "due_reason": "Chờ kinh phí của huyện"},
    )
    assert ok.status_code == 302
    with app.app_context():
        item = _item(app, world)
        [extended] = [e for e in item.events if e.kind == "due_extended"]
        assert item.due_date == later
        assert extended.note == f"{fmt_date(first)} → {fmt_date(later)}: Chờ kinh phí của huyện"
        assert extended.detail["before"] == first.isoformat()
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "Gia hạn xử lý" in page and "Chờ kinh phí của huyện" in page


@pytest.mark.parametrize("typed", ["31/02/2027", "mai", "12/2027"])
def test_an_impossible_date_is_refused_and_kept(as_user, world, typed):
    client = as_user("officer1")
    refused = _post(client, world, "triage", {"due_date": typed})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "ngày/tháng/năm" in text and f'value="{typed}"' in text


def test_progress_notes_go_into_the_history(as_user, app, world):
    client = as_user("officer1")
    assert (
        _post(client, world, "progress", {"progress": "Đã khảo sát hiện trường."}).status_code
        == 302
    )
    assert _post(client, world, "progress", {"progress": "  "}).status_code == 422
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    history = page.split('id="history"')[1]
    assert "Ghi tiến độ" in history and "Đã khảo sát hiện trường." in history


def test_resolving_needs_what_was_done_and_keeps_the_evidence(as_user, app, world):
    client = as_user("officer1")
    empty = _post(client, world, "resolve", {"resolution": ""})
    assert empty.status_code == 422 and "Cần ghi việc đã làm" in empty.get_data(as_text=True)
    done = _post(
        client,
        world,
        "resolve",
        {
            "resolution": "Đã nạo vét cống, đường hết ngập.",
            "evidence": (io.BytesIO(PNG), "cống sau khi nạo vét.png"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    with app.app_context():
        item = _item(app, world)
        [attachment] = item.attachments
        assert item.status == "closed"
        assert item.completion_note == "Đã nạo vét cống, đường hết ngập."
        assert (attachment.content_type, attachment.file_name) == (
            "image/png",
            "cống sau khi nạo vét.png",
        )
        attachment_id = attachment.id
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "Đã nạo vét cống, đường hết ngập." in page and 'id="resolve"' not in page
    assert "Đính kèm minh chứng" in page.split('id="history"')[1]
    file = client.get(f"/admin/items/{world.item_id}/evidence/{attachment_id}")
    assert file.data == PNG and file.mimetype == "image/png"
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    # Another commune's admin can't read it.
    other = app.test_client()
    login(other, "admin2")
    assert other.get(f"/admin/items/{world.item_id}/evidence/{attachment_id}").status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("anh.png", b"<html><script>alert(1)</script></html>"),  # a page named like a photo
        ("bien-ban.docx", b"PK\x03\x04 not really a zip"),
        ("empty.jpg", b""),
    ],
)
def test_evidence_is_checked_by_its_content(as_user, app, world, name, data):
    client = as_user("officer1")
    refused = _post(
        client,
        world,
        "resolve",
        {"resolution": "Đã xử lý xong.", "evidence": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Đã xử lý xong." in text  # what was typed stays
    with app.app_context():
        assert _item(app, world).status == "new"
        assert _db.session.scalar(select(ItemAttachment.id)) is None


def test_documents_are_recognised_by_content():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert content_type_of(buffer.getvalue()) == DOCX
    assert content_type_of(PDF) == "application/pdf"
    assert content_type_of(b"GIF89a") is None


def test_closing_through_the_status_list_also_needs_a_note(as_user, app, world):
    client = as_user("officer1")
    refused = _post(client, world, "triage", {"status": "closed"})
    assert refused.status_code == 422
    _post(client, world, "triage", {"status": "closed", "note": "Đã trả lời trực tiếp."})
    with app.app_context():
        item = _item(app, world)
        assert item.status == "closed" and item.completion_note == "Đã trả lời trực tiếp."


def test_figures_per_officer(db):
    from tests.factories import make_commune

    commune = make_commune()
    viet = make_officer(commune, "01", "Trần Văn Việt")
    anh = make_officer(commune, "02", "Đỗ Thị Ánh")
    today = datetime.now(LOCAL_ZONE).date()
    late, soon, done = (make_item(commune, f"Việc số {n}") for n in range(3))
    for item, officer in ((late, viet), (soon, viet), (done, anh)):
        followup.set_responsible(item, officer_id=officer.id, outside_body=None)
    followup.set_due_date(late, today - timedelta(days=1))
    followup.set_due_date(soon, today + timedelta(days=3))
    followup.resolve(done, "Đã làm xong.")
    outside = make_item(commune, "Việc của điện lực")
    followup.set_responsible(outside, officer_id=None, outside_body="Điện lực")
    loads = followup.per_officer([commune.id], today)
    assert [(load.officer.name, load.open, load.overdue, load.resolved) for load in loads] == [
        ("Đỗ Thị Ánh", 0, 0, 1),
        ("Trần Văn Việt", 2, 1, 0),
    ]
    with pytest.raises(ValidationError):
        followup.resolve(done, "again")


def test_the_per_officer_page_shows_each_officers_figures(as_user, app, world):
    viet, anh, _stranger = _officers(app, world)
    client = as_user("officer1")
    _post(client, world, "triage", {"responsible_officer": viet, "due_date": "01/01/2020"})
    page = client.get("/admin/follow-up/officers").get_data(as_text=True)
    rows = page.split('id="officer-loads"')[1]
    assert "Trần Văn Việt" in rows and "Đỗ Thị Ánh" not in rows  # Ánh has no items
    assert '<span class="badge overdue">1</span>' in rows
    assert "Số liệu theo cán bộ phụ trách" in client.get("/admin/follow-up").get_data(as_text=True)
    supervisor = app.test_client()
    login(supervisor, "super1")
    assert "Trần Văn Việt" in supervisor.get("/admin/follow-up/officers").get_data(as_text=True)


def test_an_officer_who_left_keeps_their_items_until_reassigned(as_user, app, world):
    viet, anh, _stranger = _officers(app, world)
    client = as_user("officer1")
    _post(client, world, "triage", {"responsible_officer": viet})
    with app.app_context():
        from nghedan.models import Officer

        _db.session.get(Officer, viet).active = False
        _db.session.commit()
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert f'<option value="{viet}" selected>Trần Văn Việt' in page
    assert (
        _post(client, world, "triage", {"responsible_officer": viet, "note": "x"}).status_code
        == 302
    )
    with app.app_context():
        assert _item(app, world).responsible_officer_id == viet
        followup.set_responsible(_item(app, world), officer_id=anh, outside_body=None)
        _db.session.commit()
        assert _item(app, world).responsible == "Đỗ Thị Ánh"
