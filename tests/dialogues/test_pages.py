"""The dialogue pages over HTTP: plan, agenda, meeting mode, close, notice, follow-up, roles."""

import io
from datetime import datetime, timedelta

from sqlalchemy import select

from nghedan.extensions import db
from nghedan.formatting import LOCAL_ZONE
from nghedan.models import Commune, ConclusionNotice, Dialogue, Item, Message, utcnow
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.items.history import change_status
from tests.dialogues.builders import SCAN_PDF, form_starts_at
from tests.helpers import csrf_token


def _post(client, url, data, page_url=None):
    """Post a form of `page_url` (or of `url` itself) as a browser does, naming the page."""
    token = csrf_token(client.get(page_url or url).get_data(as_text=True))
    headers = {"Referer": f"http://localhost{page_url}"} if page_url else {}
    return client.post(url, data={**data, "csrf_token": token}, headers=headers)


def _planned(app, world, days=3):
    with app.app_context():
        from nghedan.models import Commune
        from tests.dialogues.builders import make_dialogue

        commune = db.session.get(Commune, world.commune_id)
        dialogue = make_dialogue(commune, starts_at=utcnow() + timedelta(days=days))
        item = db.session.get(Item, world.item_id)
        change_status(item, "triaged")
        db.session.commit()
        return dialogue.id


def test_officer_plans_a_dialogue_through_the_form(app, as_user, world):
    client = as_user("officer1")
    page = client.get("/admin/dialogues")
    assert page.status_code == 200 and "Kế hoạch luân phiên" in page.get_data(as_text=True)
    with app.app_context():
        from nghedan.models import Commune

        hamlet_id = db.session.get(Commune, world.commune_id).hamlets[0].id
    form = {
        "kind": "dialogue",
        "hamlet_ids": str(hamlet_id),
        "starts_at": form_starts_at(47),
        "place": "Nhà văn hóa ấp Tân Phú",
        "chair_name": "",
        "title": "",
    }
    response = _post(client, "/admin/dialogues/new", form)
    assert response.status_code == 302
    with app.app_context():
        dialogue = db.session.scalar(select(Dialogue))
        assert dialogue.place == "Nhà văn hóa ấp Tân Phú"
        assert dialogue.starts_at.hour == 7  # 14:00 in Vietnam is 07:00 UTC
    bad = _post(client, "/admin/dialogues/new", {**form, "place": ""})
    assert bad.status_code == 422 and "Cần ghi địa điểm" in bad.get_data(as_text=True)


def test_agenda_meeting_close_notice_and_publish_over_http(app, as_user, world):
    dialogue_id = _planned(app, world, days=0)  # it starts now
    client = as_user("officer1")
    base = f"/admin/dialogues/{dialogue_id}"
    page = client.get(base).get_data(as_text=True)
    assert "Đường ấp Tân Phú bị ngập nước" in page  # a candidate to add
    assert "Tố cáo" not in page  # denunciations are never offered
    assert _post(client, base + "/agenda", {"item_id": str(world.item_id)}, base).status_code == 302
    meeting = client.get(base + "/meeting").get_data(as_text=True)
    assert "Ý kiến 1/1" in meeting and 'data-save-url="' in meeting
    token = csrf_token(meeting)
    url = f"{base}/meeting/items/{world.item_id}/answer"
    saved = client.post(url, data={"answer": "Xã sẽ nạo vét mương", "csrf_token": token})
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    assert client.post(url, data={"answer": "x"}).status_code == 400  # no CSRF token
    outcome = client.post(
        f"{base}/meeting/items/{world.item_id}/outcome",
        data={
            "csrf_token": token,
            "n": "1",
            "outcome": "resolved",
            "answer": "Xã sẽ nạo vét mương ngay tuần này.",
        },
    )
    assert outcome.status_code == 302
    closed = _post(client, base + "/close", {"attendance": "45", "minutes": "Biên bản"})
    assert closed.status_code == 302 and closed.headers["Location"].endswith(base + "/notice")
    notice = client.get(base + "/notice").get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in notice and "/TB-UBND" in notice
    assert "Xã sẽ nạo vét mương ngay tuần này." in notice
    docx = client.get(base + "/notice.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    notice_id = issue_over_http(app, client, base, 1)
    with app.app_context():
        item = db.session.get(Item, world.item_id)
        assert item.status == "closed"
        [sms] = db.session.scalars(select(Message).where(Message.kind == "dialogue_outcome"))
        assert sms.phone == "+84912345678"
    public = client.get(f"/t/{item.tracking_code}").get_data(as_text=True)
    assert "Xã sẽ nạo vét mương ngay tuần này." in public
    assert f"/thong-bao/{notice_id}" in public and "Thông báo kết luận số 1/TB-UBND" in public
    anyone = app.test_client()
    page = anyone.get(f"/thong-bao/{notice_id}")  # the public page, no login
    assert page.status_code == 200 and "Số: 1/TB-UBND" in page.get_data(as_text=True)
    scan = anyone.get(f"/thong-bao/{notice_id}/ban-ky")
    assert scan.status_code == 200 and scan.mimetype == "application/pdf"
    assert scan.data == SCAN_PDF


def issue_over_http(app, client, base: str, number: int) -> int:
    """As the clerk does on the notice page: summaries, signature, number and scan."""
    from nghedan.models import AgendaEntry

    page = client.get(base + "/notice").get_data(as_text=True)
    assert "Số:      /TB-UBND" in page  # the draft's number is left blank
    assert "Lập dự thảo thông báo kết luận" in page  # opening the page writes nothing
    started = _post(client, base + "/notice/start-draft", {}, base + "/notice")
    assert started.status_code == 302
    dialogue_id = int(base.rsplit("/", 1)[1])
    with app.app_context():
        entries = db.session.scalars(
            select(AgendaEntry).where(AgendaEntry.dialogue_id == dialogue_id)
        ).all()
        summaries = {f"summary-{e.id}": "Tóm tắt: " + e.item.text[:40] for e in entries}
    assert (
        _post(
            client,
            base + "/notice/save-summaries",
            {**summaries, "signer_name": "Nguyễn Văn Bình", "signer_role": "chairman"},
            base + "/notice",
        ).status_code
        == 302
    )
    _post(client, base + "/notice/submit", {}, base + "/notice")
    with app.app_context():
        assert (
            db.session.scalars(select(Message).where(Message.kind == "dialogue_outcome")).all()
            == []
        )  # not before it is issued
    token = csrf_token(client.get(base + "/notice").get_data(as_text=True))
    today = datetime.now(LOCAL_ZONE).date().isoformat()
    issued = client.post(
        base + "/notice/issue",
        data={
            "csrf_token": token,
            "number": str(number),
            "symbol": "TB-UBND",
            "issued_on": today,
            "scan": (io.BytesIO(SCAN_PDF), "ban-ky.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert issued.status_code == 302
    page = client.get(base + "/notice").get_data(as_text=True)
    assert f"Đã ban hành số {number}/TB-UBND" in page, page
    with app.app_context():
        return db.session.scalar(
            select(ConclusionNotice.id).where(
                ConclusionNotice.dialogue_id == dialogue_id, ConclusionNotice.status == "issued"
            )
        )


def test_supervisor_reads_but_cannot_change(app, as_user, world):
    dialogue_id = _planned(app, world)
    client = as_user("super1")
    base = f"/admin/dialogues/{dialogue_id}"
    for url in (
        "/admin/dialogues",
        base,
        base + "/meeting",
        base + "/agenda/print",
        base + "/notice",
        "/admin/follow-up",
    ):
        assert client.get(url).status_code == 200, url
    token = csrf_token(client.get("/admin/dialogues").get_data(as_text=True))
    response = client.post(base + "/cancel", data={"reason": "x", "csrf_token": token})
    assert response.status_code == 403


def test_other_commune_sees_nothing(app, as_user, world):
    dialogue_id = _planned(app, world)
    client = as_user("admin2")
    base = f"/admin/dialogues/{dialogue_id}"
    for url in (
        base,
        base + "/meeting",
        base + "/agenda/print",
        base + "/notice",
        base + "/notice.docx",
    ):
        assert client.get(url).status_code == 404, url
    assert "Nhà văn hóa" not in client.get("/admin/dialogues").get_data(as_text=True)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/admin/dialogues")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_printable_agenda_and_follow_up(app, as_user, world):
    dialogue_id = _planned(app, world)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assign_item(dialogue, db.session.get(Item, world.item_id))
        db.session.commit()
    client = as_user("officer1")
    printed = client.get(f"/admin/dialogues/{dialogue_id}/agenda/print").get_data(as_text=True)
    assert "CHƯƠNG TRÌNH" in printed and "dialogues/print.css" in printed
    assert "Nguyễn Văn An" in printed
    assert "Xã tiếp tục giải quyết" in client.get("/admin/follow-up").get_data(as_text=True)


def test_pages_in_english(app, as_user, world):
    dialogue_id = _planned(app, world)
    client = as_user("officer1")
    client.set_cookie("lang", "en")
    listing = client.get("/admin/dialogues").get_data(as_text=True)
    assert "Rotation over hamlets" in listing and "Upcoming" in listing
    meeting = client.get(f"/admin/dialogues/{dialogue_id}/meeting").get_data(as_text=True)
    assert "New item from the room" in meeting and "The agenda is empty." in meeting


def test_agenda_order_by_buttons_and_by_drag(app, as_user, world):
    dialogue_id = _planned(app, world)
    with app.app_context():
        from nghedan.models import Commune
        from tests.dialogues.builders import triaged_item

        dialogue = db.session.get(Dialogue, dialogue_id)
        commune = db.session.get(Commune, world.commune_id)
        for text in ("Một", "Hai"):
            assign_item(dialogue, triaged_item(commune, text, category="roads"))
        first, second = [e.id for e in sorted(dialogue.agenda, key=lambda e: e.position)]
        db.session.commit()
    client = as_user("officer1")
    base = f"/admin/dialogues/{dialogue_id}"
    page = client.get(base).get_data(as_text=True)
    assert "dialogues/agenda.js" in page and f'data-entry="{second}"' in page
    token = csrf_token(page)
    client.post(f"{base}/agenda/{second}/move", data={"step": "up", "csrf_token": token})
    texts = client.get(base).get_data(as_text=True)
    assert texts.index("<p>Hai</p>") < texts.index("<p>Một</p>")
    ok = client.post(
        base + "/agenda/order", data={"order": f"{second},{first}", "csrf_token": token}
    )
    assert ok.status_code == 200 and ok.get_json() == {"ok": True}
    bad = client.post(base + "/agenda/order", data={"order": "1,2,3,x", "csrf_token": token})
    assert bad.status_code == 400
    client.post(base + "/agenda/order", data={"order": f"{first},{second}", "csrf_token": token})
    texts = client.get(base).get_data(as_text=True)
    assert texts.index("<p>Một</p>") < texts.index("<p>Hai</p>")


def test_a_control_character_in_an_sms_does_not_break_the_docx(app, as_user, world):
    """A phone sent \\x01 and \\x1b: stored as sent, and the .docx still downloads and opens."""
    from docx import Document

    from nghedan.models import Commune
    from nghedan.services.dialogues.meeting import close_dialogue, save_answer, set_outcome
    from nghedan.services.items.intake import create_item
    from tests.dialogues.builders import make_dialogue

    with app.app_context():
        commune = db.session.get(Commune, world.commune_id)
        dialogue = make_dialogue(commune, starts_at=utcnow())
        item = create_item(
            commune_id=commune.id,
            channel="sms",
            contact_phone="0912345678",
            text="den duong\x01 hu\x1b roi",
            hamlet_id=commune.hamlets[0].id,
        )
        change_status(item, "triaged")
        assign_item(dialogue, item)
        save_answer(dialogue, item, "Đã thay bóng đèn\x1b.")
        set_outcome(dialogue, item, "resolved")
        close_dialogue(dialogue, attendance=12, minutes="")
        db.session.commit()
        assert "\x01" in item.text  # the stored text keeps what the phone sent
        base = f"/admin/dialogues/{dialogue.id}"
    client = as_user("officer1")
    assert client.get(base + "/notice").status_code == 200
    response = client.get(base + "/notice.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "den duong\ufffd hu\ufffd roi" in text and "Đã thay bóng đèn\ufffd." in text


def test_send_invitations_now_and_print_the_invitation(app, as_user, world):
    dialogue_id = _planned(app, world, days=10)
    client = as_user("officer1")
    base = f"/admin/dialogues/{dialogue_id}"
    _post(client, base + "/agenda", {"item_id": str(world.item_id)}, base)
    page = client.get(base).get_data(as_text=True)
    assert "Gửi thư mời ngay" in page and "1 người dân sẽ nhận tin nhắn mời" in page
    sent = _post(client, base + "/invite", {}, base)
    assert sent.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Đã gửi thư mời: 1 tin nhắn đang chờ gửi." in page and "Gửi thư mời ngay" not in page
    with app.app_context():
        [sms] = db.session.scalars(select(Message).where(Message.kind == "dialogue_invitation"))
        assert sms.phone == "+84912345678"
    again = _post(client, base + "/invite", {}, base)
    assert "Thư mời đã được gửi." in client.get(again.headers["Location"]).get_data(as_text=True)
    printed = client.get(base + "/invitation").get_data(as_text=True)
    assert "GIẤY MỜI" in printed and "Bà con Nhân dân ấp Tân Hòa" in printed
    assert "Thông báo trên loa truyền thanh" in printed and "Kính mời bà con" in printed
    assert "Ủy ban nhân dân xã trân trọng kính mời" in printed
    with app.app_context():  # the same commune as a ward: its paper says so
        db.session.get(Commune, world.commune_id).kind = "phuong"
        db.session.commit()
    printed = client.get(base + "/invitation").get_data(as_text=True)
    assert "Ủy ban nhân dân phường trân trọng kính mời" in printed
    assert "PHƯỜNG TÂN THẠNH" in printed and "UBND phường nghe ý kiến" in printed
    supervisor = app.test_client()
    from tests.admin.conftest import PASSWORD, login

    login(supervisor, "super1", PASSWORD)
    token = csrf_token(supervisor.get(base).get_data(as_text=True))
    assert supervisor.post(base + "/invite", data={"csrf_token": token}).status_code == 403


def test_the_jobs_worker_runs_the_due_jobs_until_stopped(app):
    import threading

    from nghedan.jobs import work

    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    with app.app_context():
        assert work(stop, every_seconds=30) == 1  # one round, then it waited and stopped


def test_the_chair_is_recorded_with_the_role_the_notice_names(app, as_user, world):
    client = as_user("officer1")
    with app.app_context():
        from nghedan.models import Commune

        hamlet_id = db.session.get(Commune, world.commune_id).hamlets[0].id
    form = {
        "kind": "dialogue",
        "hamlet_ids": str(hamlet_id),
        "starts_at": form_starts_at(20),
        "place": "Hội trường UBND xã",
        "chair_name": "Phạm Thị Hoa",
        "chair_role": "vice_chairman",
        "title": "",
    }
    page = client.get("/admin/dialogues/new").get_data(as_text=True)
    assert 'name="chair_role"' in page and 'name="chair_officer_id"' in page
    assert _post(client, "/admin/dialogues/new", form).status_code == 302
    with app.app_context():
        from nghedan.services.dialogues.notices import chair_phrase

        dialogue = db.session.scalar(select(Dialogue))
        assert dialogue.chair_role == "vice_chairman"
        assert chair_phrase(dialogue) == "đồng chí Phạm Thị Hoa, Phó Chủ tịch UBND xã"


def test_refusals_over_http_say_why_and_keep_everything(app, as_user, world):
    """0 attendance, a PNG for the scan, a number already used: a clear message, nothing lost."""
    dialogue_id = _planned(app, world, days=0)
    client = as_user("officer1")
    base = f"/admin/dialogues/{dialogue_id}"
    _post(client, base + "/agenda", {"item_id": str(world.item_id)}, base)
    token = csrf_token(client.get(base + "/meeting").get_data(as_text=True))
    empty = client.post(
        f"{base}/meeting/items/{world.item_id}/outcome",
        data={"csrf_token": token, "n": "1", "outcome": "resolved", "answer": "  "},
        headers={"Referer": f"http://localhost{base}/meeting?n=1"},
    )
    assert "Cần ghi nội dung trả lời" in client.get(empty.headers["Location"]).get_data(
        as_text=True
    )
    client.post(
        f"{base}/meeting/items/{world.item_id}/outcome",
        data={"csrf_token": token, "n": "1", "outcome": "resolved", "answer": "Đã nạo vét."},
    )
    zero = _post(client, base + "/close", {"attendance": "0", "minutes": "Biên bản giữ lại"})
    assert zero.status_code == 422
    page = zero.get_data(as_text=True)
    assert "Số người dự bằng 0" in page and "Biên bản giữ lại" in page  # the form is kept
    no_reason = _post(client, base + "/close", {"no_attendance": "1", "minutes": ""})
    assert no_reason.status_code == 422 and "nêu lý do" in no_reason.get_data(as_text=True)
    assert (
        _post(
            client,
            base + "/close",
            {
                "no_attendance": "1",
                "minutes": "",
                "no_attendance_reason": "Mưa lớn, không điểm danh",
            },
        ).status_code
        == 302
    )
    shown = client.get(base).get_data(as_text=True)
    assert "Không ghi nhận được số người dự: Mưa lớn, không điểm danh" in shown
    _post(client, base + "/notice/start-draft", {}, base + "/notice")
    with app.app_context():
        from nghedan.models import AgendaEntry

        [entry] = db.session.scalars(
            select(AgendaEntry).where(AgendaEntry.dialogue_id == dialogue_id)
        ).all()
    _post(
        client,
        base + "/notice/save-summaries",
        {
            f"summary-{entry.id}": "Nạo vét mương.",
            "signer_name": "Nguyễn Văn Bình",
            "signer_role": "chairman",
        },
        base + "/notice",
    )
    _post(client, base + "/notice/submit", {}, base + "/notice")
    token = csrf_token(client.get(base + "/notice").get_data(as_text=True))
    png = client.post(
        base + "/notice/issue",
        data={
            "csrf_token": token,
            "number": "4",
            "issued_on": datetime.now(LOCAL_ZONE).date().isoformat(),
            "scan": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 20), "scan.pdf"),
        },
        content_type="multipart/form-data",
        headers={"Referer": f"http://localhost{base}/notice"},
    )
    page = client.get(png.headers["Location"]).get_data(as_text=True)
    assert "Bản scan phải là tệp PDF hoặc ảnh JPEG." in page and "Chờ ký" in page
    with app.app_context():
        assert (
            db.session.scalars(select(Message).where(Message.kind == "dialogue_outcome")).all()
            == []
        )
        notice = db.session.scalar(select(ConclusionNotice))
        assert notice.status == "awaiting_signature" and notice.number is None
    supervisor = app.test_client()
    from tests.admin.conftest import PASSWORD, login

    login(supervisor, "super1", PASSWORD)
    token = csrf_token(supervisor.get(base + "/notice").get_data(as_text=True))
    for step in ("save-summaries", "submit", "back-to-draft", "issue", "correct"):
        assert (
            supervisor.post(f"{base}/notice/{step}", data={"csrf_token": token}).status_code == 403
        ), step
