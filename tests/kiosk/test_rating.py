"""Rating an officer at the kiosk: faces, reasons, idempotency, the 20-second throttle."""

from __future__ import annotations

from sqlalchemy import func, select

from nghedan.models import Item, Officer, Rating
from tests.factories import make_commune, make_officer
from tests.kiosk.conftest import form_fields, kiosk_row


def _officer(db, code="01") -> Officer:
    return db.scalar(select(Officer).where(Officer.code == code))


def _ratings(db) -> list[Rating]:
    db.expire_all()
    return list(db.scalars(select(Rating).order_by(Rating.id)))


def _rate(client, officer_id, score, **extra):
    page = client.get(f"/kiosk/rate/{officer_id}").get_data(as_text=True)
    data = {**form_fields(page), "score": score, **extra}
    return client.post(f"/kiosk/rate/{officer_id}", data=data), data


def test_the_officer_cards_show_only_active_officers_of_this_commune(kiosk_client, db, commune):
    other = make_commune(name="Mỹ Hòa")
    make_officer(other, "01", "Người Xã Khác")
    make_officer(commune, "09", "Cán Bộ Đã Nghỉ", active=False)
    db.commit()
    html = kiosk_client.get("/kiosk/rate").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Trần Văn Hùng" in html
    assert "Người Xã Khác" not in html and "Cán Bộ Đã Nghỉ" not in html
    assert ">NL<" in html  # initials when there is no photo


def test_four_faces_with_words(kiosk_client, db, commune):
    html = kiosk_client.get(f"/kiosk/rate/{_officer(db).id}").get_data(as_text=True)
    for word in ("Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"):
        assert word in html
    assert 'name="csrf_token"' in html and 'name="screen_key"' in html


def test_a_satisfied_rating_is_stored_and_thanked(kiosk_client, db, enrollment):
    officer = _officer(db)
    response, _ = _rate(kiosk_client, officer.id, 1)
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/thanks")
    [rating] = _ratings(db)
    assert (rating.officer_id, rating.score, rating.channel) == (officer.id, 1, "kiosk")
    assert rating.kiosk_id == enrollment.kiosk.id
    thanks = kiosk_client.get("/kiosk/thanks").get_data(as_text=True)
    assert "Cảm ơn" in thanks
    assert "Rất hài lòng" not in thanks  # the officer's own screen never shows the face


def test_a_double_tap_stores_one_rating(kiosk_client, db):
    officer = _officer(db)
    first, data = _rate(kiosk_client, officer.id, 2)
    again = kiosk_client.post(f"/kiosk/rate/{officer.id}", data=data)
    assert first.status_code == again.status_code == 302
    assert len(_ratings(db)) == 1


def test_a_second_rating_within_the_window_is_ignored_and_counted(kiosk_client, db, enrollment):
    officer = _officer(db)
    _rate(kiosk_client, officer.id, 1)
    response, _ = _rate(kiosk_client, officer.id, 4)  # a fresh screen, so a fresh key
    assert response.headers["Location"].endswith("/kiosk/thanks")
    assert [r.score for r in _ratings(db)] == [1]
    assert kiosk_row(db, enrollment.kiosk.id).ignored_ratings == 1
    other, _ = _rate(kiosk_client, _officer(db, "02").id, 3)
    assert len(_ratings(db)) == 2  # another officer is another rating


def test_low_levels_ask_for_reasons_then_store_them_and_the_comment(kiosk_client, db):
    officer = _officer(db)
    faces = kiosk_client.get(f"/kiosk/rate/{officer.id}").get_data(as_text=True)
    assert f"/kiosk/rate/{officer.id}/why?score=4" in faces
    page = kiosk_client.get(f"/kiosk/rate/{officer.id}/why?score=4").get_data(as_text=True)
    for chip in (
        "Thái độ chưa tốt",
        "Chậm trễ",
        "Hướng dẫn chưa rõ",
        "Yêu cầu giấy tờ ngoài quy định",
        "Gây phiền hà",
    ):
        assert chip in page
    data = {
        **form_fields(page),
        "score": "4",
        "reason": ["slow", "extra_papers"],
        "comment": "Chờ hai tiếng mới được tiếp.",
    }
    response = kiosk_client.post(f"/kiosk/rate/{officer.id}", data=data)
    assert response.status_code == 302
    [rating] = _ratings(db)
    assert rating.score == 4 and rating.reasons == ["slow", "extra_papers"]
    item = db.get(Item, rating.item_id)
    assert item.text == "Chờ hai tiếng mới được tiếp." and item.channel == "kiosk"


def test_the_reasons_page_only_exists_for_the_two_lower_levels(kiosk_client, db):
    officer = _officer(db)
    for score in ("1", "2", "9", "x"):
        response = kiosk_client.get(f"/kiosk/rate/{officer.id}/why?score={score}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/kiosk/rate/{officer.id}")


def test_bad_ratings_store_nothing(kiosk_client, db):
    officer = _officer(db)
    page = kiosk_client.get(f"/kiosk/rate/{officer.id}").get_data(as_text=True)
    for data in ({"score": "7"}, {"score": "abc"}, {"score": "1", "reason": "slow"}):
        data = {**form_fields(page), **data}
        response = kiosk_client.post(f"/kiosk/rate/{officer.id}", data=data)
        assert response.status_code == 422  # only a tampered form: the faces again
        assert "Ông/bà có hài lòng không?" in response.get_data(as_text=True)
    why = kiosk_client.get(f"/kiosk/rate/{officer.id}/why?score=3").get_data(as_text=True)
    response = kiosk_client.post(
        f"/kiosk/rate/{officer.id}", data={**form_fields(why), "score": "3", "reason": "bribe"}
    )
    assert response.status_code == 422
    assert "Vui lòng chọn lại lý do" in response.get_data(as_text=True)
    assert _ratings(db) == []


def test_a_post_without_its_screen_key_is_refused(kiosk_client, db):
    officer = _officer(db)
    page = kiosk_client.get(f"/kiosk/rate/{officer.id}").get_data(as_text=True)
    fields = form_fields(page)
    for key in (None, "short", "Z" * 32):
        data = {"csrf_token": fields["csrf_token"], "score": "1"}
        if key:
            data["screen_key"] = key
        assert kiosk_client.post(f"/kiosk/rate/{officer.id}", data=data).status_code == 400
    assert _ratings(db) == []


def test_a_stale_csrf_token_asks_the_page_to_renew_it(kiosk_client, db):
    officer = _officer(db)
    page = kiosk_client.get(f"/kiosk/rate/{officer.id}").get_data(as_text=True)
    data = {**form_fields(page), "score": "1", "csrf_token": "stale"}
    response = kiosk_client.post(f"/kiosk/rate/{officer.id}", data=data)
    assert response.status_code == 400
    assert response.headers["X-Kiosk-Csrf"] == "expired"
    assert "hết hạn" not in response.get_data(as_text=True)
    assert "UBND xã Tân Thạnh" in response.get_data(as_text=True)
    fresh = kiosk_client.get("/kiosk/csrf").get_json()["csrf_token"]
    response = kiosk_client.post(f"/kiosk/rate/{officer.id}", data={**data, "csrf_token": fresh})
    assert response.status_code == 302
    assert len(_ratings(db)) == 1


def test_the_session_behind_the_csrf_token_is_long_lived(kiosk_client):
    response = kiosk_client.get("/kiosk/")
    session_cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert session_cookie and "Expires=" in session_cookie[0]


def test_officers_of_another_commune_cannot_be_rated_here(kiosk_client, db):
    other = make_commune(name="Mỹ Hòa")
    stranger = make_officer(other, "05", "Người Xã Khác")
    db.commit()
    assert kiosk_client.get(f"/kiosk/rate/{stranger.id}").status_code == 404
    page = kiosk_client.get(f"/kiosk/rate/{_officer(db).id}").get_data(as_text=True)
    data = {**form_fields(page), "score": 1}
    response = kiosk_client.post(f"/kiosk/rate/{stranger.id}", data=data)
    assert response.status_code == 404
    assert db.scalar(select(func.count(Rating.id))) == 0


def test_an_officer_photo_is_served_when_there_is_one(app, kiosk_client, db, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "lan.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    app.config["OFFICER_PHOTO_DIR"] = str(folder)
    officer = _officer(db)
    officer.photo_path = "lan.png"
    db.commit()
    html = kiosk_client.get("/kiosk/rate").get_data(as_text=True)
    assert f"/kiosk/officers/{officer.id}/photo" in html
    photo = kiosk_client.get(f"/kiosk/officers/{officer.id}/photo")
    assert photo.status_code == 200 and photo.data.startswith(b"\x89PNG")
    photo.close()
    assert kiosk_client.get(f"/kiosk/officers/{_officer(db, '02').id}/photo").status_code == 404
