"""Enrollment: only a browser that opened a one-time URL is a kiosk, until it is revoked."""

from __future__ import annotations

from nghedan.services.people import kiosks
from tests.kiosk.conftest import kiosk_row

NOT_SET_UP = "Màn hình này chưa được cài đặt"


def test_an_unenrolled_browser_sees_only_not_set_up(client, commune):
    for path in ("/kiosk/", "/kiosk/rate", "/kiosk/opinion", "/kiosk/lookup?code=1"):
        response = client.get(path)
        assert response.status_code == 403
        html = response.get_data(as_text=True)
        assert NOT_SET_UP in html
        assert "Nguyễn Thị Lan" not in html


def test_an_unenrolled_browser_cannot_post_either(client, commune):
    for data in ({"score": "1"}, {"score": "1", "csrf_token": "x", "screen_key": "a" * 32}):
        response = client.post("/kiosk/rate/1", data=data)
        assert response.status_code == 403
        assert NOT_SET_UP in response.get_data(as_text=True)


def test_static_files_need_no_enrollment(client):
    response = client.get("/kiosk/static/kiosk.css")
    assert response.status_code == 200
    response.close()


def test_the_enrollment_url_sets_a_long_lived_httponly_cookie(client, db, enrollment):
    response = client.get(f"/kiosk/enroll/{enrollment.token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/kiosk/")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("nghedan_kiosk=")
    assert "HttpOnly" in cookie and "Path=/kiosk" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=315360000" in cookie
    home = client.get("/kiosk/")
    assert home.status_code == 200
    assert "Đánh giá cán bộ" in home.get_data(as_text=True)
    assert home.headers["Cache-Control"] == "no-store"
    row = kiosk_row(db, enrollment.kiosk.id)
    assert row.is_active and row.last_seen_at is not None


def test_only_hashes_of_tokens_are_stored(client, db, enrollment):
    client.get(f"/kiosk/enroll/{enrollment.token}")
    device_token = client.get_cookie("nghedan_kiosk", path="/kiosk").value
    row = kiosk_row(db, enrollment.kiosk.id)
    stored = {row.enrollment_token_hash, row.device_token_hash}
    assert enrollment.token not in stored and device_token not in stored
    assert row.device_token_hash == kiosks.token_hash(device_token)


def test_the_enrollment_url_works_once(app, client, enrollment):
    assert client.get(f"/kiosk/enroll/{enrollment.token}").status_code == 302
    other = app.test_client()
    response = other.get(f"/kiosk/enroll/{enrollment.token}")
    assert response.status_code == 403
    assert NOT_SET_UP in response.get_data(as_text=True)


def test_an_enrolled_browser_reopening_the_url_goes_home(kiosk_client, enrollment):
    # The start script opens the enrollment URL after every restart of Chromium.
    response = kiosk_client.get(f"/kiosk/enroll/{enrollment.token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/kiosk/")


def test_a_made_up_token_enrolls_nothing(client, commune):
    response = client.get("/kiosk/enroll/not-a-real-token")
    assert response.status_code == 403
    assert "nghedan_kiosk" not in response.headers.get("Set-Cookie", "")


def test_revoking_stops_the_screen_at_once(kiosk_client, db, enrollment):
    assert kiosk_client.get("/kiosk/").status_code == 200
    kiosks.revoke(kiosk_row(db, enrollment.kiosk.id))
    db.commit()
    response = kiosk_client.get("/kiosk/")
    assert response.status_code == 403
    assert NOT_SET_UP in response.get_data(as_text=True)


def test_renewing_moves_the_kiosk_to_a_new_browser(app, kiosk_client, db, enrollment):
    renewed = kiosks.renew_enrollment(kiosk_row(db, enrollment.kiosk.id))
    db.commit()
    assert kiosk_client.get("/kiosk/").status_code == 200  # still works until the new one enrolls
    new_browser = app.test_client()
    assert new_browser.get(f"/kiosk/enroll/{renewed.token}").status_code == 302
    assert new_browser.get("/kiosk/").status_code == 200
    assert kiosk_client.get("/kiosk/").status_code == 403


def test_a_revoked_kiosk_can_be_reinstated_by_renewing(app, db, enrollment):
    kiosks.revoke(kiosk_row(db, enrollment.kiosk.id))
    db.commit()
    renewed = kiosks.renew_enrollment(kiosk_row(db, enrollment.kiosk.id))
    db.commit()
    browser = app.test_client()
    assert browser.get(f"/kiosk/enroll/{renewed.token}").status_code == 302
    assert browser.get("/kiosk/").status_code == 200


def test_kiosk_names_are_unique_per_commune_and_not_empty(db, commune):
    import pytest

    from nghedan.errors import ValidationError

    kiosks.add_kiosk(commune_id=commune.id, name="Quầy 1")
    with pytest.raises(ValidationError) as taken:
        kiosks.add_kiosk(commune_id=commune.id, name="  quầy   1 ")
    assert taken.value.code == "name_taken"
    with pytest.raises(ValidationError) as empty:
        kiosks.add_kiosk(commune_id=commune.id, name="   ")
    assert empty.value.code == "empty_name"


def test_find_kiosk_by_id_or_name(db, commune, enrollment):
    import pytest

    from nghedan.errors import NotFound

    assert kiosks.find_kiosk(str(enrollment.kiosk.id)).id == enrollment.kiosk.id
    assert kiosks.find_kiosk("QUẦY MỘT CỬA", commune.id).id == enrollment.kiosk.id
    with pytest.raises(NotFound):
        kiosks.find_kiosk("không có")


def test_english_switch_on_the_kiosk(kiosk_client):
    response = kiosk_client.get("/lang/en?next=/kiosk/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Rate an officer" in html and "Opinion or request" in html
    assert "Tiếng Việt" in html
    assert "People&#39;s Committee of Tân Thạnh commune" in html
