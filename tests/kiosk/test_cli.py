"""`nghedan kiosk …` and `nghedan poster`."""

from __future__ import annotations

import re

from sqlalchemy import select

from nghedan.models import Kiosk
from nghedan.services.people import kiosks
from tests.factories import make_commune

URL = re.compile(r"(https?://\S+/kiosk/enroll/(\S+))")


def _kiosks(db) -> list[Kiosk]:
    db.expire_all()
    return list(db.scalars(select(Kiosk).order_by(Kiosk.id)))


def test_add_prints_a_one_time_url_and_a_qr_code(runner, db, commune):
    result = runner.invoke(args=["kiosk", "add", "Quầy một cửa"])
    assert result.exit_code == 0, result.output
    url, token = URL.search(result.output).groups()
    assert url.startswith("http://127.0.0.1:5000/kiosk/enroll/")
    assert "█" in result.output  # the QR code, drawn in the terminal
    [kiosk] = _kiosks(db)
    assert kiosk.name == "Quầy một cửa" and kiosk.commune_id == commune.id
    assert kiosk.enrollment_token_hash == kiosks.token_hash(token)
    assert token not in (kiosk.enrollment_token_hash or "")


def test_add_uses_the_public_base_url(app, runner, db, commune):
    app.config["PUBLIC_BASE_URL"] = "https://xa.example.vn/"
    result = runner.invoke(args=["kiosk", "add", "Quầy 2", "--commune", commune.code])
    assert "https://xa.example.vn/kiosk/enroll/" in result.output


def test_add_refuses_a_name_already_used(runner, db, commune):
    runner.invoke(args=["kiosk", "add", "Quầy 1"])
    result = runner.invoke(args=["kiosk", "add", "quầy 1"])
    assert result.exit_code != 0 and "đã có" in result.output
    assert len(_kiosks(db)) == 1


def test_add_needs_a_commune_when_there_are_several(runner, db, commune):
    make_commune(name="Mỹ Hòa")
    db.commit()
    result = runner.invoke(args=["kiosk", "add", "Quầy 1"])
    assert result.exit_code != 0 and "--commune" in result.output


def test_list_revoke_and_renew(app, runner, db, commune):
    runner.invoke(args=["kiosk", "add", "Quầy 1"])
    listed = runner.invoke(args=["kiosk", "list"]).output
    assert "Quầy 1" in listed and "waiting" in listed
    revoked = runner.invoke(args=["kiosk", "revoke", "Quầy 1"])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert "revoked" in runner.invoke(args=["kiosk", "list"]).output
    kiosk_id = _kiosks(db)[0].id
    renewed = runner.invoke(args=["kiosk", "renew", str(kiosk_id)])
    _, token = URL.search(renewed.output).groups()
    browser = app.test_client()
    assert browser.get(f"/kiosk/enroll/{token}").status_code == 302
    assert browser.get("/kiosk/").status_code == 200
    assert "enrolled" in runner.invoke(args=["kiosk", "list"]).output
    missing = runner.invoke(args=["kiosk", "revoke", "không có"])
    assert missing.exit_code != 0 and "Không tìm thấy" in missing.output


def test_demo_url_creates_then_refreshes_the_demo_screen(app, runner, db):
    make_commune(name="Tân Thạnh", code="tan-thanh")
    make_commune(name="Mỹ Hòa")
    db.commit()
    first = runner.invoke(args=["kiosk", "demo-url", "--base-url", "http://127.0.0.1:8000"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("http://127.0.0.1:8000/kiosk/enroll/")
    second = runner.invoke(args=["kiosk", "demo-url"])
    [kiosk] = _kiosks(db)
    assert kiosk.name == "Màn hình demo" and kiosk.commune.code == "tan-thanh"
    old_token = first.output.strip().rsplit("/", 1)[1]
    new_token = second.output.strip().rsplit("/", 1)[1]
    assert app.test_client().get(f"/kiosk/enroll/{old_token}").status_code == 403
    assert app.test_client().get(f"/kiosk/enroll/{new_token}").status_code == 302


def test_poster_writes_a_printable_file(runner, db, commune, tmp_path):
    out = tmp_path / "poster.html"
    result = runner.invoke(
        args=[
            "poster",
            "-o",
            str(out),
            "--hamlet",
            commune.hamlets[0].name,
            "--base-url",
            "https://xa.example.vn",
        ]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "0868 000 115" in html and commune.hamlets[0].name in html
    assert "https://xa.example.vn/t/" in html and 'class="qr"' in html
    bad = runner.invoke(args=["poster", "-o", str(out), "--hamlet", "Ấp Không Có"])
    assert bad.exit_code != 0


def test_qr_check_says_why_receipts_have_no_qr_code(app, runner):
    app.config["PUBLIC_BASE_URL"] = None
    assert "chưa đặt PUBLIC_BASE_URL" in runner.invoke(args=["kiosk", "qr-check"]).output
    app.config["PUBLIC_BASE_URL"] = "http://localhost:5000"
    assert "là địa chỉ của chính máy chủ" in runner.invoke(args=["kiosk", "qr-check"]).output
    app.config["PUBLIC_BASE_URL"] = "https://xa.example.vn/"
    assert runner.invoke(args=["kiosk", "qr-check"]).output == "QR: https://xa.example.vn/t/…\n"


def test_the_make_run_banner_asks_for_the_qr_check():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "nghedan kiosk qr-check" in makefile.split("\nrun:")[1].split("\n\n")[0]
