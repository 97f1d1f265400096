"""Looking a code up at the kiosk, the public status page /t/<code>, and the poster."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest

from nghedan import tracking_codes
from nghedan.models import Dialogue, utcnow
from nghedan.services.items.history import change_status
from tests.factories import make_commune, make_item


def _wrong_check_digit(code: str) -> str:
    last = (int(code[-1]) + 1) % 10
    return code[:-1] + str(last)


def _scheduled_item(db, commune):
    item = make_item(
        commune,
        text="Đường ngập",
        category_code="roads",
        hamlet_id=commune.hamlets[0].id,
        contact_phone="0912345678",
        contact_name="Lê Văn Tư",
    )
    dialogue = Dialogue(
        commune=commune,
        place="Nhà văn hóa ấp Tân Phú",
        starts_at=utcnow().replace(hour=12, minute=0) + timedelta(days=3),
    )
    db.add(dialogue)
    item.dialogue = dialogue
    change_status(item, "scheduled")
    db.commit()
    return item


def test_the_kiosk_looks_up_a_code_in_plain_words(kiosk_client, db, commune):
    item = _scheduled_item(db, commune)
    code = item.tracking_code
    html = kiosk_client.get(f"/kiosk/lookup?code={code[:4]}+{code[4:]}").get_data(as_text=True)
    assert "Sẽ được trả lời tại buổi đối thoại" in html
    assert "Nhà văn hóa ấp Tân Phú" in html and "Đường sá, hạ tầng" in html
    assert "Lê Văn Tư" not in html and "Đường ngập" not in html
    assert "0912 345 678" not in html and "912345678" not in html
    # Beside the result, a way to start again with an empty code.
    assert 'class="button lookup-again" href="/kiosk/lookup"' in html and "Tra cứu mã khác" in html


def test_the_kiosk_says_when_a_check_digit_is_wrong(kiosk_client, db, commune):
    item = make_item(commune)
    db.commit()
    wrong = _wrong_check_digit(item.tracking_code)
    assert not tracking_codes.is_valid(wrong)
    html = kiosk_client.get(f"/kiosk/lookup?code={wrong}").get_data(as_text=True)
    assert "có thể gõ nhầm một chữ số" in html


def test_the_kiosk_lookup_page_and_its_other_answers(kiosk_client, db, commune):
    page = kiosk_client.get("/kiosk/lookup").get_data(as_text=True)
    assert 'data-keyboard="numeric"' in page
    answers = {
        "": "Vui lòng nhập mã tra cứu",
        "abc": "chỉ gồm chữ số",
        "1234": "đúng 8 chữ số",
        tracking_codes.new_code(): "Không tìm thấy",
    }
    for typed, message in answers.items():
        html = kiosk_client.get(f"/kiosk/lookup?code={typed}").get_data(as_text=True)
        assert message in html, typed
        assert "lookup-again" not in html  # the typed code stays to be corrected


def test_the_kiosk_finds_only_its_own_communes_items(kiosk_client, db):
    other = make_commune(name="Mỹ Hòa")
    item = make_item(other)
    db.commit()
    html = kiosk_client.get(f"/kiosk/lookup?code={item.tracking_code}").get_data(as_text=True)
    assert "Không tìm thấy" in html


def test_the_public_page_shows_status_category_hamlet_dialogue_never_the_person(
    client, db, commune
):
    item = _scheduled_item(db, commune)
    response = client.get(f"/t/{item.tracking_code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đã xếp lịch" in html and "Đường sá, hạ tầng" in html and item.hamlet.name in html
    assert "Nhà văn hóa ấp Tân Phú" in html
    for private in ("Lê Văn Tư", "0912 345 678", "912345678", "Đường ngập"):
        assert private not in html


def test_the_public_page_shows_the_answer(client, db, commune):
    item = make_item(commune, category_code="environment")
    item.answer = "Xã đã thu gom rác ngày 20/11.\nSẽ đặt thùng rác cố định."
    change_status(item, "answered")
    db.commit()
    html = client.get(f"/t/{item.tracking_code}").get_data(as_text=True)
    assert "Xã đã thu gom rác ngày 20/11." in html and "Đã trả lời" in html


def test_a_denunciation_shows_only_its_status(client, kiosk_client, db, commune):
    item = make_item(
        commune,
        legal_type="denunciation",
        category_code="officer_conduct",
        hamlet_id=commune.hamlets[0].id,
    )
    db.commit()
    for c, path in (
        (client, f"/t/{item.tracking_code}"),
        (kiosk_client, f"/kiosk/lookup?code={item.tracking_code}"),
    ):
        html = c.get(path).get_data(as_text=True)
        assert "Mới" in html
        assert "Thái độ, tác phong cán bộ" not in html and item.hamlet.name not in html


def test_the_public_page_refuses_wrong_codes(client, db, commune):
    item = make_item(commune)
    db.commit()
    wrong = client.get(f"/t/{_wrong_check_digit(item.tracking_code)}")
    assert wrong.status_code == 404
    assert "có thể gõ nhầm một chữ số" in wrong.get_data(as_text=True)
    assert client.get(f"/t/{tracking_codes.new_code()}").status_code == 404
    assert client.get("/t/abc").status_code == 404


def test_the_public_lookup_form_goes_to_the_status_page(client, db, commune):
    item = make_item(commune)
    db.commit()
    assert client.get("/t/").status_code == 200
    found = client.get(f"/t/?code={item.tracking_code}")
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/t/{item.tracking_code}")
    missing = client.get("/t/?code=1")
    assert missing.status_code == 404 and "đúng 8 chữ số" in missing.get_data(as_text=True)


def test_the_public_page_in_english(client, db, commune):
    item = make_item(commune, category_code="roads")
    db.commit()
    client.get("/lang/en")
    html = client.get(f"/t/{item.tracking_code}").get_data(as_text=True)
    assert "Roads and infrastructure" in html and "Received, waiting to be reviewed." in html


def test_the_poster_of_a_commune_and_of_a_hamlet(app, client, db, commune):
    app.config["PUBLIC_BASE_URL"] = "https://xa.example.vn"
    html = client.get(f"/poster/{commune.code}").get_data(as_text=True)
    assert "0868 000 115" in html and "GY" in html and "TT" in html and "DG" in html
    assert 'class="qr"' in html and "https://xa.example.vn/t/" in html
    assert html.index("0868 000 115") < html.index('class="qr"')  # the SMS number first
    assert "@page { size: A4" in html and "<link" not in html and "<script" not in html
    hamlet = commune.hamlets[0]
    hamlet_html = client.get(f"/poster/{commune.code}?hamlet={hamlet.id}").get_data(as_text=True)
    assert hamlet.name in hamlet_html


def test_the_poster_has_worked_examples_officer_codes_and_the_next_dialogues(client, db, commune):
    from kiosk.poster_content import example_code
    from nghedan.tracking_codes import is_valid
    from tests.dialogues.builders import make_dialogue

    hamlet = commune.hamlets[0]
    make_dialogue(commune, days=6, hamlets=[hamlet], place="Nhà văn hóa ấp Một")
    make_dialogue(commune, days=20, hamlets=[hamlet], place="Hội trường xã")
    make_dialogue(commune, days=2, hamlets=[hamlet], kind="voters", place="Trường tiểu học")
    db.commit()
    html = unescape(client.get(f"/poster/{commune.code}?hamlet={hamlet.id}").get_data(as_text=True))
    assert "<" + "..." not in html and "&lt;" not in html  # no placeholders to misread
    assert f"GY Đèn đường {hamlet.name} bị hư hai tháng nay" in html
    assert is_valid(example_code()) and f"TT {example_code()}" in html
    assert "DG 01 1" in html and "Đánh giá cán bộ Nguyễn Thị Lan (mã 01)" in html
    assert "Xã nhắn lại ngày, giờ và nơi họp đối thoại sắp tới" in html  # LICH
    for code, name in (("01", "Nguyễn Thị Lan"), ("02", "Trần Văn Hùng")):
        assert f'<span class="officer-code">{code}</span>' in html and name in html
    assert "Công chức Địa chính" in html and 'class="photo initials"' in html
    assert f"Buổi đối thoại sắp tới của {hamlet.name}" in html
    assert "Nhà văn hóa ấp Một" in html and "Hội trường xã" in html
    assert "Trường tiểu học" not in html  # a meeting with voters is not the commune's dialogue
    assert "Bà con" in html


def test_the_poster_embeds_officer_photos(app, client, db, commune, tmp_path):
    from sqlalchemy import select

    from nghedan.models import Officer

    app.config["OFFICER_PHOTO_DIR"] = str(tmp_path)
    (tmp_path / "lan.png").write_bytes(b"\x89PNG\r\n\x1a\n fake")
    officer = db.scalars(select(Officer).where(Officer.code == "01")).one()
    officer.photo_path = "lan.png"
    db.commit()
    html = client.get(f"/poster/{commune.code}").get_data(as_text=True)
    assert 'src="data:image/png;base64,iVBORw0KGgo' in html  # in the page: printed on its own


@pytest.mark.parametrize("base", [None, "http://127.0.0.1:5000"])
def test_a_poster_without_a_public_address_has_no_qr_code(app, client, db, commune, base):
    app.config["PUBLIC_BASE_URL"] = base
    html = client.get(f"/poster/{commune.code}").get_data(as_text=True)
    assert 'class="qr"' not in html and "Quét mã QR" not in html
    assert "TT " in html and "0868 000 115" in html  # the SMS instructions instead


def test_the_poster_refuses_unknown_places(client, db, commune):
    other = make_commune(name="Mỹ Hòa")
    db.commit()
    assert client.get("/poster/nope").status_code == 404
    assert client.get(f"/poster/{commune.code}?hamlet={other.hamlets[0].id}").status_code == 404
    assert client.get(f"/poster/{commune.code}?hamlet=abc").status_code == 404


def _too_many_wrong_codes(client, count):
    for _ in range(count):
        assert client.get(f"/t/{tracking_codes.new_code()}").status_code == 404


def test_an_address_that_tries_too_many_wrong_codes_is_asked_to_wait(app, client, db, commune):
    item = make_item(commune)
    db.commit()
    limit = app.config["PUBLIC_LOOKUP_MAX_MISSES"]
    client.get("/t/?code=")  # an empty form is not a wrong code
    _too_many_wrong_codes(client, limit - 1)
    assert client.get(f"/t/{item.tracking_code}").status_code == 200  # found: not counted
    assert client.get(f"/t/{_wrong_check_digit(item.tracking_code)}").status_code == 404
    for path in (f"/t/{item.tracking_code}", f"/t/?code={item.tracking_code}"):
        refused = client.get(path)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 429, path
        assert "Đã nhập sai mã quá nhiều lần" in html and "10 phút" in html
        assert 0 < int(refused.headers["Retry-After"]) <= 600
        assert "status-label" not in html  # nothing about the item
    other = client.get(f"/t/{item.tracking_code}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # another address is not held up


def test_the_wait_ends_when_the_oldest_wrong_code_leaves_the_window(
    app, client, db, commune, monkeypatch
):
    item = make_item(commune)
    db.commit()
    clock = [1000.0]
    monkeypatch.setattr("kiosk.lookup_throttle.time.monotonic", lambda: clock[0])
    _too_many_wrong_codes(client, app.config["PUBLIC_LOOKUP_MAX_MISSES"])
    assert client.get(f"/t/{item.tracking_code}").status_code == 429
    clock[0] += app.config["PUBLIC_LOOKUP_WINDOW_SECONDS"] - 30
    refused = client.get(f"/t/{item.tracking_code}")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 31
    assert "1 phút" in refused.get_data(as_text=True)
    clock[0] += 31
    assert client.get(f"/t/{item.tracking_code}").status_code == 200


def test_the_wait_is_explained_in_english(app, client, db, commune):
    client.get("/lang/en")
    _too_many_wrong_codes(client, app.config["PUBLIC_LOOKUP_MAX_MISSES"])
    html = client.get(f"/t/{tracking_codes.new_code()}").get_data(as_text=True)
    assert "Too many wrong codes. Please try again in 10 minutes" in html


def test_the_posters_example_reads_well_without_a_hamlet(db):
    from kiosk.poster_content import keyword_examples
    from tests.factories import make_commune

    commune = make_commune(hamlets=())
    assert keyword_examples(commune, None, [])[0].example == "GY Đèn đường bị hư hai tháng nay"
