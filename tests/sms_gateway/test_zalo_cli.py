"""`nghedan zalo add` and `nghedan zalo status`: an OA connected from the command line, its
secret and tokens kept and never printed."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import SmsChannel, ZaloAccount
from tests.factories import make_commune

ADD = ["zalo", "add", "--name", "Zalo OA xã", "--app-id", "4291763606161179100"]
OA = ["--oa-id", "579745863508352884"]


def _commune(app):
    with app.app_context():
        commune = make_commune()
        _db.session.commit()
        return commune.code


def test_an_oa_is_added_with_its_secret_asked_for_and_never_printed(app, runner):
    code = _commune(app)
    result = runner.invoke(
        args=[*ADD, *OA, "--commune", code], input="the-secret-key\nthe-refresh-token\n"
    )
    assert result.exit_code == 0, result.output
    assert "the-secret-key" not in result.output and "the-refresh-token" not in result.output
    assert "/zalo/webhook" in result.output
    with app.app_context():
        account = _db.session.scalar(select(ZaloAccount))
        assert (account.secret_key, account.refresh_token) == (
            "the-secret-key",
            "the-refresh-token",
        )
        assert account.channel.kind == "zalo" and account.channel.name == "Zalo OA xã"
    status = runner.invoke(args=["zalo", "status"])
    assert "579745863508352884" in status.output
    assert "the-refresh-token" not in status.output and "the-secret-key" not in status.output


def test_the_same_oa_or_a_name_in_use_is_refused(app, runner):
    code = _commune(app)
    env = {"ZALO_SECRET_KEY": "s", "ZALO_REFRESH_TOKEN": "r"}
    assert runner.invoke(args=[*ADD, *OA, "--commune", code], env=env).exit_code == 0
    again = runner.invoke(
        args=["zalo", "add", "--name", "Khác", "--app-id", "1", *OA, "--commune", code], env=env
    )
    assert again.exit_code != 0 and "đã được kết nối" in again.output
    same_name = runner.invoke(args=[*ADD, "--oa-id", "1", "--commune", code], env=env)
    assert same_name.exit_code != 0 and "Đã có kênh tên" in same_name.output
    with app.app_context():
        assert len(_db.session.scalars(select(SmsChannel)).all()) == 1


def test_an_id_that_is_not_a_number_is_refused(app, runner):
    code = _commune(app)
    result = runner.invoke(
        args=["zalo", "add", "--name", "Z", "--app-id", "abc", *OA, "--commune", code],
        env={"ZALO_SECRET_KEY": "s", "ZALO_REFRESH_TOKEN": "r"},
    )
    assert result.exit_code != 0 and "Mã ứng dụng (App ID) chỉ gồm chữ số" in result.output


def test_new_tokens_after_authorising_again_clear_a_failed_renewal(app, runner):
    code = _commune(app)
    env = {"ZALO_SECRET_KEY": "s", "ZALO_REFRESH_TOKEN": "r"}
    assert runner.invoke(args=[*ADD, *OA, "--commune", code], env=env).exit_code == 0
    with app.app_context():
        account = _db.session.scalar(select(ZaloAccount))
        account.refresh_error = "HTTP 500"
        _db.session.commit()
    result = runner.invoke(args=["zalo", "tokens", "Zalo OA xã"], input="RT-new\n")
    assert result.exit_code == 0 and "RT-new" not in result.output
    with app.app_context():
        account = _db.session.scalar(select(ZaloAccount))
        assert (account.refresh_token, account.refresh_error) == ("RT-new", None)
    unknown = runner.invoke(args=["zalo", "tokens", "Không có"], env=env)
    assert unknown.exit_code != 0 and "no Zalo channel" in unknown.output
