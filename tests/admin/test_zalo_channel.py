"""The commune's Zalo OA on the "Kênh liên lạc" page and on /healthz: when its token expires,
a failed renewal said plainly, and never a secret or a token. Admins connect an OA and change
its settings there (secrets written, never shown back); other roles and communes can't."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, ZaloAccount, utcnow
from tests.admin.conftest import page_csrf
from tests.sms_gateway.zalo_world import SECRET, make_zalo_world


def _fail_renewal(app, account_id):
    with app.app_context():
        account = _db.session.get(ZaloAccount, account_id)
        account.refresh_failed_at, account.refresh_error = utcnow(), "token (-14014): bad"
        _db.session.commit()


def test_the_page_shows_the_oa_and_its_token_state_but_no_secret(app, as_user, world):
    zalo = make_zalo_world(app, world.commune_id)
    client = as_user("officer1")
    page = client.get("/admin/sms-channels").get_data(as_text=True)
    assert "Kênh liên lạc" in page and "Zalo OA (Chính quyền điện tử)" in page
    assert "Mã truy cập Zalo dùng được đến" in page
    assert SECRET not in page and "AT-0" not in page and "RT-0" not in page
    _fail_renewal(app, zalo.account_id)
    page = client.get("/admin/sms-channels").get_data(as_text=True)
    assert "Gia hạn mã truy cập Zalo thất bại" in page and "cấp quyền lại" in page


def test_healthz_alerts_when_a_renewal_failed(app, client, world):
    zalo = make_zalo_world(app, world.commune_id)
    assert "zalo_token_refresh_failed" not in client.get("/healthz").get_json()["sms"]["alerts"]
    _fail_renewal(app, zalo.account_id)
    body = client.get("/healthz").get_json()["sms"]
    assert "zalo_token_refresh_failed" in body["alerts"]
    assert body["zalo_token_failures"][0]["oa_id"] == "579745863508352884"
    assert "RT-0" not in str(body) and SECRET not in str(body)


NEW = "/admin/sms-channels/zalo/new"
FORM_SECRET, FORM_REFRESH, FORM_ACCESS = "s3cret-typed-in-form", "RT-typed-in", "AT-typed-in"


def _connect_form(world, **changes) -> dict:
    return {
        "commune": str(world.commune_id),
        "name": "Zalo OA Tân Thạnh",
        "app_id": "4291763606161179100",
        "oa_id": "579745863508352884",
        "secret_key": FORM_SECRET,
        "refresh_token": FORM_REFRESH,
        "access_token": FORM_ACCESS,
        "access_expires_in": "90000",
        **changes,
    }


def _post(client, url, data, token_page=None):
    token = page_csrf(client, token_page or url)
    return client.post(url, data={**data, "csrf_token": token})


def _account(app, **where):
    with app.app_context():
        query = select(ZaloAccount)
        for field, value in where.items():
            query = query.where(getattr(ZaloAccount, field) == value)
        account = _db.session.scalar(query)
        if account is not None:
            _db.session.expunge(account)
        return account


def _audits(app, action):
    with app.app_context():
        return [
            e.detail
            for e in _db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


def test_an_admin_connects_an_oa_and_its_secrets_never_show_again(app, as_user, world):
    client = as_user("admin1")
    listing = client.get("/admin/sms-channels").get_data(as_text=True)
    assert NEW in listing and "Kết nối Zalo OA" in listing
    form = client.get(NEW).get_data(as_text=True)
    assert "Mã ứng dụng (App ID)" in form and "Khóa bí mật (Secret Key)" in form
    assert 'type="password"' in form and 'autocomplete="off"' in form
    response = _post(client, NEW, _connect_form(world))
    assert response.status_code == 302 and response.location.endswith("/admin/sms-channels")
    account = _account(app, oa_id="579745863508352884")
    assert (account.secret_key, account.refresh_token, account.access_token) == (
        FORM_SECRET,
        FORM_REFRESH,
        FORM_ACCESS,
    )
    assert account.access_expires_at > utcnow() + timedelta(hours=24)
    pages = [
        client.get(url).get_data(as_text=True)
        for url in ("/admin/sms-channels", f"/admin/sms-channels/{account.channel_id}/zalo", NEW)
    ]
    assert "Đã kết nối “Zalo OA Tân Thạnh”." in pages[0]
    assert "Zalo OA Tân Thạnh" in pages[0] and "579745863508352884" in pages[1]
    assert "Đã lưu (không hiển thị)" in pages[1] and "Dùng được đến" in pages[1]
    for page in pages:
        assert FORM_SECRET not in page and FORM_REFRESH not in page and FORM_ACCESS not in page
    [detail] = _audits(app, "zalo_account.connected")
    assert detail == {"name": "Zalo OA Tân Thạnh", "oa_id": "579745863508352884"}


def test_an_officer_or_a_supervisor_gets_403_on_both_pages(app, as_user, world):
    zalo = make_zalo_world(app, world.commune_id)
    with app.app_context():
        channel_id = _db.session.get(ZaloAccount, zalo.account_id).channel_id
    edit = f"/admin/sms-channels/{channel_id}/zalo"
    for username in ("officer1", "super1"):
        client = as_user(username)
        assert NEW not in client.get("/admin/sms-channels").get_data(as_text=True)
        assert client.get(NEW).status_code == 403
        assert client.get(edit).status_code == 403
        token = page_csrf(client, "/admin/sms-channels")
        data = {**_connect_form(world, oa_id="1", name="Khác"), "csrf_token": token}
        assert client.post(NEW, data=data).status_code == 403
        assert client.post(edit, data={"name": "Đổi", "csrf_token": token}).status_code == 403
        client.post("/admin/logout", data={"csrf_token": token})
    assert _account(app, oa_id="1") is None
    assert _account(app, id=zalo.account_id).secret_key == SECRET


def test_a_form_without_its_csrf_token_is_refused_with_400(app, as_user, world):
    zalo = make_zalo_world(app, world.commune_id)
    client = as_user("admin1")
    assert client.post(NEW, data=_connect_form(world, oa_id="1", name="Khác")).status_code == 400
    channel_id = _account(app, id=zalo.account_id).channel_id
    edit = f"/admin/sms-channels/{channel_id}/zalo"
    assert client.post(edit, data={"name": "Đổi", "app_id": "1"}).status_code == 400
    assert _account(app, oa_id="1") is None
    assert _account(app, id=zalo.account_id).app_id != "1"


def test_bad_ids_come_back_with_422_in_vietnamese_and_nothing_lost_but_secrets(app, as_user, world):
    client = as_user("admin1")
    response = _post(client, NEW, _connect_form(world, app_id="42917-abc", oa_id="OA１２"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Mã ứng dụng (App ID) chỉ gồm chữ số, như Zalo hiển thị." in page
    assert "Mã OA (OA ID) chỉ gồm chữ số, như Zalo hiển thị." in page
    assert 'id="app_id-error"' in page and 'id="oa_id-error"' in page
    assert 'value="Zalo OA Tân Thạnh"' in page and 'value="42917-abc"' in page
    assert FORM_SECRET not in page and FORM_REFRESH not in page and FORM_ACCESS not in page
    assert _account(app) is None and _audits(app, "zalo_account.connected") == []


def test_an_oa_connected_already_or_a_name_in_use_is_refused(app, as_user, world):
    make_zalo_world(app, world.commune_id)  # OA 579745863508352884, named "Zalo OA xã"
    client = as_user("admin1")
    again = _post(client, NEW, _connect_form(world))
    assert again.status_code == 422
    assert "Zalo OA 579745863508352884 đã được kết nối." in again.get_data(as_text=True)
    same_name = _post(client, NEW, _connect_form(world, oa_id="1", name="Zalo OA xã"))
    assert same_name.status_code == 422
    assert "Đã có kênh tên “Zalo OA xã”." in same_name.get_data(as_text=True)
    no_secret = _post(client, NEW, _connect_form(world, oa_id="1", name="Mới", secret_key=""))
    assert "Chưa nhập khóa bí mật" in no_secret.get_data(as_text=True)
    assert _account(app, oa_id="1") is None


def test_editing_with_an_empty_secret_keeps_the_old_one(app, as_user, world):
    zalo = make_zalo_world(app, world.commune_id)
    channel_id = _account(app, id=zalo.account_id).channel_id
    edit = f"/admin/sms-channels/{channel_id}/zalo"
    client = as_user("admin1")
    page = client.get(edit).get_data(as_text=True)
    assert "để trống nếu không đổi" in page and 'value="Zalo OA xã"' in page
    assert SECRET not in page and "RT-0" not in page and "AT-0" not in page
    data = {"name": "Zalo OA phường", "app_id": "123", "secret_key": "", "refresh_token": ""}
    response = _post(client, edit, data)
    assert response.status_code == 302
    account = _account(app, id=zalo.account_id)
    assert (account.app_id, account.secret_key, account.refresh_token) == ("123", SECRET, "RT-0")
    assert account.access_token == "AT-0"
    assert "Zalo OA phường" in client.get(edit).get_data(as_text=True)
    again = {"name": "Zalo OA phường", "app_id": "123", "secret_key": "new"}
    assert _post(client, edit, again).status_code == 302
    assert _account(app, id=zalo.account_id).secret_key == "new"
    details = _audits(app, "zalo_account.updated")
    assert details == [{"changed": ["name", "app_id"]}, {"changed": ["secret_key"]}]
    assert "new" not in str(details) and SECRET not in str(details)


def test_a_bad_app_id_on_the_edit_page_changes_nothing(app, as_user, world):
    zalo = make_zalo_world(app, world.commune_id)
    channel_id = _account(app, id=zalo.account_id).channel_id
    edit = f"/admin/sms-channels/{channel_id}/zalo"
    client = as_user("admin1")
    typed = "khoa-bi-mat-moi-go-sai"  # long: a short one can turn up inside a CSRF token
    response = _post(client, edit, {"name": "Tên mới", "app_id": "abc", "secret_key": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "chỉ gồm chữ số" in page and 'value="Tên mới"' in page and typed not in page
    account = _account(app, id=zalo.account_id)
    assert (account.app_id, account.secret_key) == ("4291763606161179100", SECRET)


def test_new_tokens_clear_a_failed_renewal(app, as_user, world):
    zalo = make_zalo_world(app, world.commune_id)
    _fail_renewal(app, zalo.account_id)
    channel_id = _account(app, id=zalo.account_id).channel_id
    edit = f"/admin/sms-channels/{channel_id}/zalo"
    client = as_user("admin1")
    assert "Gia hạn mã truy cập Zalo thất bại" in client.get(edit).get_data(as_text=True)
    data = {"name": "Zalo OA xã", "app_id": "4291763606161179100", "refresh_token": "RT-new"}
    assert _post(client, edit, data).status_code == 302
    account = _account(app, id=zalo.account_id)
    assert (account.refresh_token, account.access_token, account.secret_key) == (
        "RT-new",
        None,
        SECRET,
    )
    assert account.refresh_error is None and account.refresh_failed_at is None
    assert account.access_expires_at <= utcnow()  # renewed before the next send
    page = client.get(edit).get_data(as_text=True)
    assert "Gia hạn mã truy cập Zalo thất bại" not in page and "RT-new" not in page
    assert _audits(app, "zalo_account.updated") == [{"changed": ["tokens"]}]
    only_access = _post(client, edit, {**data, "refresh_token": "", "access_token": "AT-9"})
    assert only_access.status_code == 422
    assert "Chưa nhập mã làm mới" in only_access.get_data(as_text=True)


def test_an_admin_of_another_commune_can_neither_see_nor_change_the_oa(app, as_user, world):
    zalo = make_zalo_world(app, world.commune_id)
    channel_id = _account(app, id=zalo.account_id).channel_id
    edit = f"/admin/sms-channels/{channel_id}/zalo"
    client = as_user("admin2")
    assert client.get(edit).status_code == 404
    token = page_csrf(client, "/admin/sms-channels")
    changed = client.post(edit, data={"name": "Của tôi", "app_id": "1", "csrf_token": token})
    assert changed.status_code == 404
    theirs = _connect_form(world, oa_id="1", name="Mỹ Hòa OA")  # commune: Tân Thạnh's
    assert client.post(NEW, data={**theirs, "csrf_token": token}).status_code == 404
    form = client.get(NEW).get_data(as_text=True)
    assert f'value="{world.other_commune_id}"' in form
    assert f'value="{world.commune_id}"' not in form
    account = _account(app, id=zalo.account_id)
    assert account.app_id == "4291763606161179100" and _account(app, oa_id="1") is None


def test_the_form_in_english(app, as_user, world):
    client = as_user("admin1")
    client.set_cookie("lang", "en")
    page = unescape(client.get(NEW).get_data(as_text=True))
    assert "Connect a Zalo OA" in page and "Secret key" in page
    bad = _post(client, NEW, _connect_form(world, app_id="x"))
    assert "App ID has digits only" in unescape(bad.get_data(as_text=True))


def test_the_form_posted_twice_at_once_connects_the_oa_once(app, as_user, world, monkeypatch):
    from nghedan.services.sms import zalo_accounts

    client = as_user("admin1")
    assert _post(client, NEW, _connect_form(world)).status_code == 302
    # The second post's checks ran before the first one committed (a double click on a slow
    # line): only the database's unique keys can refuse it, and they do, with the message.
    monkeypatch.setattr(zalo_accounts, "_oa_connected", lambda oa_id: False)
    monkeypatch.setattr(zalo_accounts, "_name_errors", lambda name, own=None: {})
    again = _post(client, NEW, _connect_form(world))
    assert again.status_code == 422
    assert "Zalo OA 579745863508352884 đã được kết nối." in again.get_data(as_text=True)
    with app.app_context():
        assert len(_db.session.scalars(select(ZaloAccount)).all()) == 1
