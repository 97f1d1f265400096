"""The commune's Zalo OA on the "Kênh liên lạc" page and on /healthz: when its token expires,
a failed renewal said plainly, and never a secret or a token."""

from __future__ import annotations

from nghedan.extensions import db as _db
from nghedan.models import ZaloAccount, utcnow
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
