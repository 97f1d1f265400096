"""Adding a commune to the deployment (`nghedan commune add`, the admin page for deployment
admins), and two communes staying apart: items, SMS and pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Commune, Item
from sms_gateway.inbound import InboundSms
from tests.admin.conftest import PASSWORD, login
from tests.helpers import csrf_token
from tests.sms_gateway.conftest import deliver


def _add(runner, *args):
    return runner.invoke(args=["commune", "add", *args])


def test_the_cli_adds_a_commune_with_its_hamlets(app, runner, world):
    result = _add(
        runner,
        "--code",
        "vinh-loi",
        "--name",
        "Vĩnh Lợi",
        "--province",
        "Bạc Liêu",
        "--sms-number",
        "0291 380 0777",
        "--hamlet",
        "Ấp Một",
        "--hamlet",
        "Ấp Hai",
        "--hamlet-kind",
        "ap",
    )
    assert result.exit_code == 0, result.output
    assert "vinh-loi added with 2 hamlets" in result.output
    with app.app_context():
        commune = _db.session.scalar(select(Commune).where(Commune.code == "vinh-loi"))
        assert (commune.name, commune.province, commune.sms_number) == (
            "Vĩnh Lợi",
            "Bạc Liêu",
            "+842913800777",
        )
        assert sorted(h.name for h in commune.hamlets) == ["Ấp Hai", "Ấp Một"]


def test_the_cli_refuses_a_taken_code_a_bad_code_and_a_taken_number(app, runner, world):
    assert _add(runner, "--code", "tan-thanh", "--name", "X").exit_code != 0
    bad = _add(runner, "--code", "Tân Thạnh!", "--name", "X")
    assert bad.exit_code != 0 and "tan-thanh" in bad.output
    assert (
        _add(runner, "--code", "a1", "--name", "A", "--sms-number", "0291 380 0111").exit_code == 0
    )
    taken = _add(runner, "--code", "a2", "--name", "B", "--sms-number", "02913800111")
    assert taken.exit_code != 0
    with app.app_context():
        assert _db.session.scalar(select(Commune).where(Commune.code == "a2")) is None


def _admin(app, username="admin1"):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_only_deployment_admins_open_the_communes_page(app, world):
    assert _admin(app).get("/admin/communes").status_code == 403
    app.config["DEPLOYMENT_ADMINS"] = "admin1, someone"
    page = _admin(app).get("/admin/communes")
    assert page.status_code == 200 and "Mỹ Hòa" in page.get_data(as_text=True)
    assert _admin(app, "officer1").get("/admin/communes").status_code == 403
    assert _admin(app, "admin2").get("/admin/communes").status_code == 403


def test_a_deployment_admin_adds_a_commune_on_the_page(app, world):
    app.config["DEPLOYMENT_ADMINS"] = ["admin1"]
    client = _admin(app)
    token = csrf_token(client.get("/admin/communes").get_data(as_text=True))
    form = {
        "code": "long-dien",
        "name": "Long Điền",
        "kind": "xa",
        "province": "Bạc Liêu",
        "sms_number": "",
        "hamlets": "Ấp Một\r\n\r\nẤp Hai\r\n",
        "hamlet_kind": "ap",
    }
    assert client.post("/admin/communes", data=form).status_code == 400  # no CSRF token
    response = client.post("/admin/communes", data={**form, "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/admin/communes").get_data(as_text=True)
    assert "long-dien" in page and "nghedan user create --role admin --commune long-dien" in page
    again = client.post("/admin/communes", data={**form, "csrf_token": token})
    assert again.status_code == 422 and "Đã có xã, phường mã này." in again.get_data(as_text=True)
    with app.app_context():
        commune = _db.session.scalar(select(Commune).where(Commune.code == "long-dien"))
        assert len(commune.hamlets) == 2
        assert (
            _db.session.scalar(
                select(AuditEvent).where(AuditEvent.action == "commune.added")
            ).object_id
            == commune.id
        )


def test_a_pasted_list_of_too_many_hamlets_is_refused_not_cut(app, world):
    """201 hamlets: the page says so beside the list, and nothing is added (earlier the list
    was cut at 200 without a word)."""
    app.config["DEPLOYMENT_ADMINS"] = ["admin1"]
    client = _admin(app)
    token = csrf_token(client.get("/admin/communes").get_data(as_text=True))
    form = {
        "code": "dong-hai",
        "name": "Đông Hải",
        "kind": "xa",
        "hamlets": "\n".join(f"Ấp {n}" for n in range(1, 202)),
        "hamlet_kind": "ap",
        "csrf_token": token,
    }
    response = client.post("/admin/communes", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Danh sách có 201 ấp, khóm; mỗi lần thêm tối đa 200." in page
    assert "Ấp 201" in page  # the list comes back as typed
    with app.app_context():
        assert _db.session.scalar(select(Commune).where(Commune.code == "dong-hai")) is None


def test_two_communes_added_by_the_cli_stay_apart(app, runner, world):
    assert (
        _add(
            runner,
            "--code",
            "hoa-binh",
            "--name",
            "Hòa Bình",
            "--sms-number",
            "0291 380 0888",
            "--hamlet",
            "Ấp Bắc",
        ).exit_code
        == 0
    )
    created = runner.invoke(
        args=[
            "user",
            "create",
            "--username",
            "binh",
            "--role",
            "admin",
            "--commune",
            "hoa-binh",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert created.exit_code == 0, created.output
    with app.app_context():
        deliver(InboundSms("twilio", "+84912000111", "Cầu ấp Bắc bị gãy", "SMhb1", "+842913800888"))
        _db.session.commit()
        theirs = _db.session.scalar(select(Item).where(Item.text == "Cầu ấp Bắc bị gãy"))
        assert theirs.commune.code == "hoa-binh"
        theirs_id = theirs.id
    binh, ours = _admin(app, "binh"), _admin(app)
    assert binh.get(f"/admin/items/{theirs_id}").status_code == 200
    assert ours.get(f"/admin/items/{theirs_id}").status_code == 404
    assert binh.get(f"/admin/items/{world.item_id}").status_code == 404
    inbox = binh.get("/admin/items").get_data(as_text=True)
    assert "Cầu ấp Bắc" in inbox and "Đường ấp Tân Phú" not in inbox
    assert "Cầu ấp Bắc" not in ours.get("/admin/items").get_data(as_text=True)
    assert not re.search("Cầu ấp Bắc", ours.get("/admin/sms").get_data(as_text=True))
