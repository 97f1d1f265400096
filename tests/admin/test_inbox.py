"""The inbox: filters in the query string, counts, search, keyset pages, bulk actions, CSV."""

from __future__ import annotations

import csv
import functools
import io
from datetime import timedelta

from sqlalchemy import create_engine, insert, select

from nghedan.extensions import db as _db
from nghedan.models import (
    AuditEvent,
    Category,
    Commune,
    Contact,
    Dialogue,
    Item,
    ItemEvent,
    Message,
    utcnow,
)
from nghedan.services.items import search
from nghedan.services.items.intake import append_text
from tests.admin.conftest import page_csrf
from tests.factories import make_item


def _add(app, world, *texts, **kw):
    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        ids = [make_item(commune, text, **kw).id for text in texts]
        _db.session.commit()
        return ids


def _code(app, item_id):
    with app.app_context():
        return _db.session.get(Item, item_id).tracking_code


def test_newest_first_with_counts_per_status(as_user, app, world):
    client = as_user("officer1")
    first, second = _add(app, world, "Ý kiến thứ nhất", "Ý kiến thứ hai")
    page = client.get("/admin/items").get_data(as_text=True)
    assert page.index(_code(app, second)) < page.index(_code(app, first))
    assert "Mới (4)" in page and "Tất cả (4)" in page
    assert "phím tắt" in page.lower() and "<kbd>j</kbd>" in page


def test_filters_are_query_parameters(as_user, app, world):
    client = as_user("officer1")
    with app.app_context():
        roads = _db.session.scalar(select(Category.id).where(Category.code == "roads"))
        commune = _db.session.get(Commune, world.commune_id)
        taken = _db.session.get(Item, world.item_id).hamlet_id
        hamlet = next(h.id for h in commune.hamlets if h.id != taken)
        item = make_item(
            commune,
            "Cầu khỉ ấp Tân Hòa bị gãy",
            category_code="roads",
            hamlet_id=hamlet,
            channel="kiosk",
        )
        item.flagged = True
        item.due_date = (utcnow() - timedelta(days=3)).date()
        code = item.tracking_code
        _db.session.commit()
    sms_code = _code(app, world.item_id)
    for query in (
        f"category={roads}",
        f"hamlet={hamlet}",
        "channel=kiosk",
        "flagged=1",
        "overdue=1",
        f"category={roads}&channel=kiosk&hamlet={hamlet}",
    ):
        page = client.get(f"/admin/items?{query}").get_data(as_text=True)
        assert code in page and sms_code not in page, query
    page = client.get("/admin/items?channel=sms").get_data(as_text=True)
    assert sms_code in page and code not in page
    page = client.get("/admin/items?legal_type=denunciation").get_data(as_text=True)
    assert _code(app, world.denunciation_id) in page and sms_code not in page
    today = utcnow().date()
    since = client.get(f"/admin/items?from={today - timedelta(days=1)}").get_data(as_text=True)
    until = client.get(f"/admin/items?to={today - timedelta(days=2)}").get_data(as_text=True)
    assert code in since and code not in until
    # Counts follow the filter; the status links keep it.
    page = client.get("/admin/items?channel=kiosk").get_data(as_text=True)
    assert "Tất cả (2)" in page and "channel=kiosk&amp;status=new" in page


def test_search_ignores_diacritics_and_case(as_user, app, world):
    client = as_user("officer1")
    _add(app, world, "Tranh chấp ĐẤT ĐAI giữa hai hộ", "Đường bị sạt lở")
    page = client.get("/admin/items?q=dat+dai").get_data(as_text=True)
    assert "Tranh chấp ĐẤT ĐAI" in page and "sạt lở" not in page
    page = client.get("/admin/items?q=Ngap+NUOC").get_data(as_text=True)
    assert "ngập nước" in page and "ĐẤT ĐAI" not in page
    assert "Tất cả (1)" in page
    page = client.get("/admin/items?q=đất+đai").get_data(as_text=True)
    assert "Tranh chấp ĐẤT ĐAI" in page
    page = client.get("/admin/items?q=khongcotu").get_data(as_text=True)
    assert "Không có ý kiến nào khớp" in page


def test_search_follows_changed_text(as_user, app, world):
    client = as_user("officer1")
    with app.app_context():
        append_text(_db.session.get(Item, world.item_id), "Cống thoát nước bị nghẹt")
        _db.session.commit()
    assert _code(app, world.item_id) in client.get("/admin/items?q=cong+nghet").get_data(
        as_text=True
    )
    with app.app_context():
        _db.session.delete(_db.session.get(Item, world.item_id))
        _db.session.commit()
    assert "Không có ý kiến nào khớp" in client.get("/admin/items?q=cong+nghet").get_data(
        as_text=True
    )


def test_keyset_pages_walk_every_item_once(as_user, app, world):
    client = as_user("officer1")
    app.config["ADMIN_PAGE_SIZE"] = 2
    _add(app, world, *[f"Ý kiến số {n}" for n in range(5)])
    with app.app_context():
        expected = [
            i.tracking_code
            for i in _db.session.scalars(
                select(Item)
                .where(Item.commune_id == world.commune_id)
                .order_by(Item.created_at.desc(), Item.id.desc())
            )
        ]
    seen, url, pages = [], "/admin/items", []
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(url)
        seen += [code for code in expected if f">{code}</a>" in page]
        marker = 'id="page-older" href="'
        url = page.split(marker)[1].split('"')[0].replace("&amp;", "&") if marker in page else None
    assert seen == expected and len(pages) == 4
    back = client.get(pages[-1]).get_data(as_text=True)
    newer = back.split('id="page-newer" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "before=" in newer
    again = client.get(newer).get_data(as_text=True)
    assert all(f">{code}</a>" in again for code in expected[4:6])


def test_bulk_category_is_one_audit_and_one_history_entry_per_item(as_user, app, world):
    client = as_user("officer1")
    ids = _add(app, world, "Một", "Hai")
    with app.app_context():
        land = _db.session.scalar(select(Category.id).where(Category.code == "land"))
    response = client.post(
        "/admin/items/bulk",
        data={
            "csrf_token": page_csrf(client),
            "action": "category",
            "category": land,
            "ids": ids,
            "back": "/admin/items?status=new",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/items?status=new"
    with app.app_context():
        for item_id in ids:
            item = _db.session.get(Item, item_id)
            assert item.category_id == land and item.status == "triaged"
            audits = _db.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.object_id == item_id, AuditEvent.action == "item.category"
                )
            ).all()
            assert len(audits) == 1 and audits[0].user_id is not None
            kinds = [e.kind for e in item.events]
            assert kinds.count("category") == 1 and "status" in kinds


def test_bulk_reject_needs_a_reason_and_changes_nothing_without(as_user, app, world):
    client = as_user("officer1")
    ids = _add(app, world, "quảng cáo vay tiền", "quảng cáo sim số đẹp")
    token = page_csrf(client)
    client.post(
        "/admin/items/bulk",
        data={"csrf_token": token, "action": "reject", "reject": "", "ids": ids},
    )
    with app.app_context():
        assert {_db.session.get(Item, i).status for i in ids} == {"new"}
    client.post(
        "/admin/items/bulk",
        data={"csrf_token": token, "action": "reject", "reject": "Tin rác quảng cáo", "ids": ids},
    )
    with app.app_context():
        for i in ids:
            item = _db.session.get(Item, i)
            assert item.status == "rejected"
            assert item.events[-1].note == "Tin rác quảng cáo"


def test_bulk_applies_where_it_can_and_names_those_skipped(as_user, app, world):
    client = as_user("officer1")
    ids = _add(app, world, "Xin sửa cầu tre ấp Tân Phú", "Xin lắp đèn đường ấp Tân Hòa")
    with app.app_context():
        _db.session.add(
            Dialogue(
                commune_id=world.commune_id,
                place="Nhà văn hóa ấp Tân Phú",
                starts_at=utcnow() + timedelta(days=7),
            )
        )
        _db.session.commit()
        dialogue = _db.session.scalar(select(Dialogue.id))
    secret = _code(app, world.denunciation_id)
    # The denunciation can't go on a dialogue's agenda: it is skipped, the others go on.
    response = client.post(
        "/admin/items/bulk",
        data={
            "csrf_token": page_csrf(client),
            "action": "dialogue",
            "dialogue": dialogue,
            "ids": [*ids, world.denunciation_id],
        },
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã cập nhật 2 ý kiến." in page
    assert f"Bỏ qua 1 ý kiến: {secret}: Đơn tố cáo không được đưa vào chương trình" in page
    with app.app_context():
        for i in ids:
            item = _db.session.get(Item, i)
            assert item.dialogue_id == dialogue and item.status == "scheduled"
        assert [e.item_id for e in _db.session.get(Dialogue, dialogue).agenda] == ids
        secret_item = _db.session.get(Item, world.denunciation_id)
        assert secret_item.status == "new" and secret_item.dialogue_id is None


def test_bulk_skips_an_item_alike_one_already_on_the_agenda(as_user, app, world):
    client = as_user("officer1")
    [first] = _add(app, world, "Cầu tre ấp Tân Phú sắp sập, xin sửa cầu")
    [alike, other] = _add(
        app, world, "cau tre ap tan phu sap sap xin sua cau gap", "Xin lắp đèn đường ấp Tân Hòa"
    )
    with app.app_context():
        _db.session.add(
            Dialogue(
                commune_id=world.commune_id,
                place="Nhà văn hóa ấp Tân Phú",
                starts_at=utcnow() + timedelta(days=7),
            )
        )
        _db.session.commit()
        dialogue = _db.session.scalar(select(Dialogue.id))
    token = page_csrf(client)
    client.post(
        "/admin/items/bulk",
        data={"csrf_token": token, "action": "dialogue", "dialogue": dialogue, "ids": [first]},
    )
    response = client.post(
        "/admin/items/bulk",
        data={
            "csrf_token": token,
            "action": "dialogue",
            "dialogue": dialogue,
            "ids": [alike, other],
        },
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        f"Ý kiến mã {_code(app, alike)} giống ý kiến mã {_code(app, first)} đã có trong "
        "chương trình" in page
    )
    with app.app_context():
        assert _db.session.get(Item, alike).dialogue_id is None
        assert _db.session.get(Item, other).dialogue_id == dialogue


def test_a_tracking_code_typed_into_the_search_opens_the_item(as_user, app, world):
    client = as_user("officer1")
    code = _code(app, world.item_id)
    for typed in (code, f" {code[:4]} {code[4:]} ", f"{code[:4]}-{code[4:]}"):
        response = client.get("/admin/items", query_string={"q": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"] == f"/admin/items/{world.item_id}"
    # Another commune's code, or a mistyped one, is an ordinary search.
    theirs = _code(app, world.other_item_id)
    assert client.get("/admin/items", query_string={"q": theirs}).status_code == 200
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert client.get("/admin/items", query_string={"q": wrong}).status_code == 200


def test_bulk_duplicate_merges_and_tells_the_resident(as_user, app, world):
    client = as_user("officer1")
    [copy] = _add(app, world, "Đường ấp Tân Phú ngập nước", contact_phone="0933111222")
    kept = _code(app, world.item_id)
    client.post(
        "/admin/items/bulk",
        data={
            "csrf_token": page_csrf(client),
            "action": "duplicate",
            "duplicate": kept,
            "ids": [copy],
        },
    )
    with app.app_context():
        item = _db.session.get(Item, copy)
        assert item.status == "duplicate" and item.duplicate_of_id == world.item_id
        sms = _db.session.scalar(select(Message).where(Message.phone == "+84933111222"))
        assert kept in sms.body and sms.status == "queued"
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "2 người dân cùng phản ánh" in page


def _csv(response):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_exports_the_current_filter_with_a_bom(as_user, app, world):
    client = as_user("officer1")
    _add(app, world, '=HYPERLINK("http://x")', "Tranh chấp đất đai")
    response = client.get("/admin/items.csv?q=dat+dai")
    assert response.mimetype == "text/csv"
    rows = _csv(response)
    assert rows[0][0] == "Mã" and len(rows) == 2 and rows[1][8] == "Tranh chấp đất đai"
    rows = _csv(client.get("/admin/items.csv"))
    texts = {row[8]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in texts
    assert texts["Đường ấp Tân Phú bị ngập nước, xe không đi được."][9] == "0912 345 678"
    denunciation = texts["Tố cáo cán bộ địa chính nhận tiền."]
    assert denunciation[9] == "" and denunciation[10] == ""


def test_supervisor_sees_masked_phones_and_names(as_user, app, world):
    client = as_user("super1")
    rows = _csv(client.get("/admin/items.csv"))
    row = next(r for r in rows if r[8].startswith("Đường ấp Tân Phú"))
    assert row[9] == "0912 *** *78" and row[10] == "N. V. A."
    page = client.get(f"/admin/items/{world.item_id}").get_data(as_text=True)
    assert "0912 *** *78" in page and "Nguyễn Văn An" not in page and "345 678" not in page


def test_history_rows_are_written_for_bulk(as_user, app, world):
    client = as_user("officer1")
    client.post(
        "/admin/items/bulk",
        data={
            "csrf_token": page_csrf(client),
            "action": "legal_type",
            "legal_type": "complaint",
            "ids": [world.item_id],
        },
    )
    with app.app_context():
        event = _db.session.scalar(select(ItemEvent).where(ItemEvent.kind == "legal_type"))
        assert event.detail == {"before": "opinion", "after": "complaint"}


def test_inbox_in_english(as_user, world):
    client = as_user("officer1")
    client.get("/lang/en")
    page = client.get("/admin/items").get_data(as_text=True)
    assert "Inbox" in page and "Keyboard shortcuts" in page and "Search the text" in page
    assert "Hộp thư ý kiến" not in page


def test_counts_stop_at_the_cap(as_user, app, world, monkeypatch):
    from nghedan.services.items import search

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    _add(app, world, "Một", "Hai", "Ba")
    page = as_user("officer1").get("/admin/items").get_data(as_text=True)
    assert "Mới (2+)" in page and "Tất cả (2+)" in page


def test_search_finds_the_same_whichever_index_leads(as_user, app, world, monkeypatch):
    from nghedan.services.items import search

    client = as_user("officer1")
    _add(app, world, "Tranh chấp ĐẤT ĐAI giữa hai hộ", "Đường bị sạt lở")
    narrow = client.get("/admin/items?q=dat+dai").get_data(as_text=True)
    monkeypatch.setattr(search, "TEXT_DRIVEN_LIMIT", 0)  # as for a word in most rows
    broad = client.get("/admin/items?q=dat+dai").get_data(as_text=True)
    for page in (narrow, broad):
        assert "Tranh chấp ĐẤT ĐAI" in page and "sạt lở" not in page and "Tất cả (1)" in page


def test_the_unfiltered_inbox_shows_satisfaction_alerts(as_user, app, world):
    from nghedan.models import Rating
    from tests.factories import make_officer

    with app.app_context():
        officer = make_officer(_db.session.get(Commune, world.commune_id), name="Trần Văn Bình")
        for _ in range(6):  # a cluster of "không hài lòng" this week
            _db.session.add(
                Rating(commune_id=world.commune_id, officer_id=officer.id, score=4, channel="kiosk")
            )
        _db.session.commit()
    client = as_user("officer1")
    assert "Trần Văn Bình" in client.get("/admin/items").get_data(as_text=True)
    assert "Trần Văn Bình" not in client.get("/admin/items?status=new").get_data(as_text=True)


def test_a_long_export_never_holds_up_a_text_arriving_meanwhile(as_user, app, world, monkeypatch):
    # The export reads in short transactions, one per batch (and, marked reads_only, without
    # SQLite's write lock): an SMS stored mid-export never waits for the download.
    client = as_user("officer1")
    _add(app, world, *[f"Ý kiến số {n}" for n in range(7)])
    whole = _csv(client.get("/admin/items.csv"))
    monkeypatch.setattr(search, "row_batches", functools.partial(search.row_batches, batch=2))
    response = client.get("/admin/items.csv", buffered=False)
    chunks = iter(response.response)
    streamed = [next(chunks), next(chunks)]  # the header, then the first batch of two
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_engine(url, connect_args={"timeout": 0.5} if url.startswith("sqlite") else {})
    with other.begin() as conn:  # another worker storing a text's contact meanwhile
        conn.execute(insert(Contact.__table__).values(phone="+84911000999"))
    other.dispose()
    streamed += list(chunks)
    response.close()
    body = b"".join(c if isinstance(c, bytes) else c.encode() for c in streamed)
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == whole
    assert len(whole) > 6
