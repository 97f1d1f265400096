"""The officers page: Vietnamese list order, add/edit with unique desk codes, photos, deactivate."""

from __future__ import annotations

import io

from sqlalchemy import select

from nghedan.collation import person_sort_key
from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Commune, Officer
from tests.admin.conftest import login, page_csrf
from tests.factories import make_officer

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _officers(app, world, *specs):
    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        ids = [
            make_officer(commune, code=code, name=name, active=active).id
            for code, name, active in specs
        ]
        _db.session.commit()
        return ids


def _as(app, username):
    """A fresh test client logged in as `username` (several users in one test)."""
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_sort_key_is_given_name_then_family_name():
    names = ["Trần Văn Bình", "Nguyễn Thị Lan", "Lê Văn An", "Đỗ Thị Ánh", "Nguyễn Văn An"]
    assert sorted(names, key=person_sort_key) == [
        "Lê Văn An",
        "Nguyễn Văn An",
        "Đỗ Thị Ánh",
        "Trần Văn Bình",
        "Nguyễn Thị Lan",
    ]


def test_list_active_first_in_vietnamese_order_for_every_role(app, world):
    _officers(
        app,
        world,
        ("1", "Nguyễn Thị Lan", True),
        ("2", "Trần Văn Bình", True),
        ("3", "Lê Văn An", False),
        ("4", "Phạm Minh Anh", True),
    )
    for username in ("officer1", "super1"):
        page = _as(app, username).get("/admin/officers").get_data(as_text=True)
        order = [
            page.index(n) for n in ("Phạm Minh Anh", "Trần Văn Bình", "Nguyễn Thị Lan", "Lê Văn An")
        ]
        assert order == sorted(order), username
        assert 'id="new-officer"' not in page and "/deactivate" not in page
    other = _as(app, "admin2").get("/admin/officers").get_data(as_text=True)
    assert "Nguyễn Thị Lan" not in other


def test_admin_adds_and_edits_with_unique_desk_codes(as_user, app, world):
    [lan] = _officers(app, world, ("01", "Nguyễn Thị Lan", True))
    client = as_user("admin1")
    token = page_csrf(client, "/admin/officers")
    taken = client.post(
        "/admin/officers",
        data={"csrf_token": token, "name": "Trần Văn Bình", "code": "1", "active": "y"},
    )
    assert taken.status_code == 422 and "đã có cán bộ khác dùng" in taken.get_data(as_text=True)
    added = client.post(
        "/admin/officers",
        data={
            "csrf_token": token,
            "name": "  Trần   Văn Bình ",
            "code": "07",
            "title": "Công chức",
            "desk": "Quầy 2",
            "active": "y",
        },
    )
    assert added.status_code == 302
    letters = client.post(
        "/admin/officers", data={"csrf_token": token, "name": "Lê Văn An", "code": "abc"}
    )
    assert "Mã quầy gồm 1 đến 8 chữ số" in letters.get_data(as_text=True)
    edited = client.post(
        f"/admin/officers/{lan}",
        data={
            "csrf_token": token,
            "name": "Nguyễn Thị Lan",
            "code": "03",
            "title": "Địa chính",
            "desk": "Quầy 3",
            "active": "y",
        },
    )
    assert edited.status_code == 302
    with app.app_context():
        officers = {o.name: o for o in _db.session.scalars(select(Officer))}
        assert officers["Trần Văn Bình"].code == "07"
        assert officers["Trần Văn Bình"].commune_id == world.commune_id
        lan_now = officers["Nguyễn Thị Lan"]
        assert (lan_now.code, lan_now.desk) == ("03", "Quầy 3")
        assert len(officers) == 2
        actions = set(_db.session.scalars(select(AuditEvent.action)))
        assert {"officer.created", "officer.updated"} <= actions


def test_photo_upload_accepts_jpeg_and_png_only(as_user, app, world, tmp_path):
    tmp_path = tmp_path / "photos"
    app.config["OFFICER_PHOTO_DIR"] = str(tmp_path)
    app.config["OFFICER_PHOTO_MAX_BYTES"] = 1000
    [lan] = _officers(app, world, ("01", "Nguyễn Thị Lan", True))
    client = as_user("admin1")
    token = page_csrf(client, f"/admin/officers/{lan}")

    def upload(data, name):
        return client.post(
            f"/admin/officers/{lan}/photo",
            content_type="multipart/form-data",
            data={"csrf_token": token, "photo": (io.BytesIO(data), name)},
            follow_redirects=True,
        ).get_data(as_text=True)

    assert "Chỉ nhận ảnh JPEG hoặc PNG" in upload(b"GIF89a" + b"\x00" * 20, "a.jpg")
    assert "Ảnh quá lớn" in upload(JPEG + b"\x00" * 2000, "big.jpg")
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []
    upload(JPEG, "../../etc/passwd.jpg")
    with app.app_context():
        first = _db.session.get(Officer, lan).photo_path
    assert first.endswith(".jpg") and "passwd" not in first and (tmp_path / first).exists()
    upload(PNG, "lan.png")
    with app.app_context():
        second = _db.session.get(Officer, lan).photo_path
    assert second.endswith(".png") and [p.name for p in tmp_path.iterdir()] == [second]
    served = _as(app, "super1").get(f"/admin/officers/{lan}/photo")
    assert served.status_code == 200 and served.data == PNG
    assert _as(app, "admin2").get(f"/admin/officers/{lan}/photo").status_code == 404


def test_deactivate_keeps_the_officer_and_hides_them_from_rating(as_user, app, world):
    [lan] = _officers(app, world, ("01", "Nguyễn Thị Lan", True))
    client = as_user("admin1")
    response = client.post(
        f"/admin/officers/{lan}/deactivate",
        data={"csrf_token": page_csrf(client, "/admin/officers")},
    )
    assert response.status_code == 302
    with app.app_context():
        from nghedan.services.people.ratings import officer_by_code

        officer = _db.session.get(Officer, lan)
        assert officer is not None and not officer.active
        assert officer_by_code(world.commune_id, "1") is None
        assert (
            _db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "officer"))
            == "officer.deactivated"
        )
