"""Report pages and exports over HTTP: who sees what, figures, CSV with BOM, XLSX."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from nghedan.extensions import db as _db
from nghedan.models import Commune, utcnow
from nghedan.services.people.users import create_user
from tests.admin.conftest import PASSWORD, login
from tests.factories import make_officer
from tests.reports.builders import add_dialogue, add_ratings

pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def rated(app, world):
    """Ratings this quarter: Lan 8 of 10 satisfied, An only 3; one in the other commune."""
    with app.app_context():
        ours = _db.session.get(Commune, world.commune_id)
        other = _db.session.get(Commune, world.other_commune_id)
        now = utcnow() - timedelta(minutes=5)
        lan = make_officer(ours, "01", "Nguyễn Thị Lan", desk="Quầy 1")
        an = make_officer(ours, "02", "Trần Văn An", desk="Quầy 2")
        hoa = make_officer(other, "01", "Phạm Thị Hoa")
        add_ratings(lan, [1] * 6 + [2] * 2, now)
        add_ratings(lan, [4, 4], now, channel="sms", reasons=["slow"], comment="Chờ <b>quá</b> lâu")
        add_ratings(an, [1, 2, 3], now)
        add_ratings(hoa, [1] * 12, now)
        add_dialogue(ours, ours.hamlets[:1], now, attendance=1750)
        _db.session.commit()
        return {"lan": lan.id, "hoa": hoa.id}


def test_reports_need_a_login(client):
    for url in (
        "/admin/reports/satisfaction",
        "/admin/reports/activity",
        "/admin/reports/satisfaction.csv",
        "/admin/reports/activity.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login" in response.location


def test_satisfaction_page_for_an_officer_of_the_commune(as_user, rated):
    client = as_user("officer1")
    html = client.get("/admin/reports/satisfaction").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Trần Văn An" in html
    assert "Phạm Thị Hoa" not in html  # another commune
    assert "80%" in html  # Lan: 8 of 10
    assert "Chưa đủ đánh giá" in html  # An: 3 ratings
    assert "Chờ &lt;b&gt;quá&lt;/b&gt; lâu" in html  # a resident's comment, escaped
    assert 'type="application/json" id="trend-data"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    sms = client.get("/admin/reports/satisfaction?channel=sms").get_data(as_text=True)
    assert "Trần Văn An" not in sms and "Nguyễn Thị Lan" in sms
    one = client.get(f"/admin/reports/satisfaction?officer={rated['hoa']}").get_data(as_text=True)
    assert "Phạm Thị Hoa" not in one  # an officer of another commune is not chosen


def test_another_communes_admin_sees_only_theirs(as_user, rated, world):
    client = as_user("admin2")
    html = client.get(f"/admin/reports/satisfaction?commune={world.commune_id}").get_data(
        as_text=True
    )
    assert "Phạm Thị Hoa" in html and "Nguyễn Thị Lan" not in html


def test_supervisor_gets_a_row_per_commune(app, client, rated, world):
    with app.app_context():
        create_user(
            username="super2",
            password=PASSWORD,
            role="supervisor",
            supervised_commune_ids=(world.commune_id, world.other_commune_id),
        )
        _db.session.commit()
    assert login(client, "super2").status_code == 302
    html = client.get("/admin/reports/activity").get_data(as_text=True)
    assert 'id="communes-table"' in html
    assert "Tân Thạnh" in html and "Mỹ Hòa" in html
    assert (
        "2 xã, phường đã tổ chức 1 trong 1 cuộc đối thoại theo kế hoạch, 1.750 lượt người tham dự"
    ) in html
    csv_text = client.get("/admin/reports/activity.csv?table=communes").get_data(as_text=True)
    assert csv_text.splitlines()[1].startswith("Mỹ Hòa,0,0")
    assert len(csv_text.splitlines()) == 3


def test_activity_summary_for_one_commune(as_user, rated):
    html = as_user("officer1").get("/admin/reports/activity").get_data(as_text=True)
    assert (
        "xã Tân Thạnh đã tổ chức 1 trong 1 cuộc đối thoại theo kế hoạch, 1.750 lượt người tham dự"
    ) in html
    assert 'id="communes-table"' not in html
    assert "Ấp Tân Phú" in html  # no dialogue there this quarter (Tân Hòa had one)


def test_exports_csv_with_bom_and_xlsx(as_user, rated):
    client = as_user("officer1")
    response = client.get("/admin/reports/satisfaction.csv?table=officer")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Cán bộ,")
    assert "Nguyễn Thị Lan,Công chức Văn phòng · Quầy 1,Tân Thạnh,6,2,0,2,10,80%" in lines
    assert any(line.endswith(",Chưa đủ đánh giá") for line in lines)
    xlsx = client.get("/admin/reports/satisfaction.xlsx?table=officer")
    assert xlsx.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Cán bộ"
    lan = next(r for r in rows if r[0] == "Nguyễn Thị Lan")
    assert lan[3:9] == (6, 2, 0, 2, 10, 0.8)
    for table in ("desk", "commune", "trend", "reasons", "comments"):
        assert client.get(f"/admin/reports/satisfaction.xlsx?table={table}").status_code == 200
    for table in ("communes", "channel", "category", "legal_type", "hamlet", "hamlets"):
        assert client.get(f"/admin/reports/activity.csv?table={table}").status_code == 200
    assert client.get("/admin/reports/satisfaction.pdf").status_code == 404
    assert client.get("/admin/reports/activity.csv?table=secrets").status_code == 404


def test_alerts_show_on_the_satisfaction_page(app, as_user, world):
    with app.app_context():
        ours = _db.session.get(Commune, world.commune_id)
        an = make_officer(ours, "02", "Trần Văn An")
        add_ratings(an, [4] * 6, utcnow() - timedelta(days=1))
        _db.session.commit()
    html = as_user("officer1").get("/admin/reports/satisfaction").get_data(as_text=True)
    assert "Cảnh báo về mức độ hài lòng" in html
    assert "6 trong 6 lượt đánh giá 7 ngày qua" in html


def test_pages_in_english(as_user, rated):
    client = as_user("officer1")
    client.set_cookie("lang", "en")
    html = client.get("/admin/reports/satisfaction").get_data(as_text=True)
    assert "Residents' satisfaction" in html and "Not enough ratings" in html
    activity = client.get("/admin/reports/activity").get_data(as_text=True)
    assert "held 1 of the 1 dialogues planned, with 1.750 attendees" in activity


def test_alerts_partial_for_the_admin_home(app, world):
    """Any admin page can include the partial; it finds the current user's alerts itself."""
    from flask import render_template
    from flask_login import login_user

    from nghedan.models import User

    with app.app_context():
        ours = _db.session.get(Commune, world.commune_id)
        add_ratings(make_officer(ours, "02", "Trần Văn An"), [4] * 6, utcnow() - timedelta(days=1))
        _db.session.commit()
    with app.test_request_context("/admin/items"):
        assert render_template("admin/reports/_alerts.html").strip() == ""  # nobody logged in
        login_user(_db.session.query(User).filter_by(username="officer1").one())
        html = render_template("admin/reports/_alerts.html")
        assert "Trần Văn An" in html and "/admin/reports/satisfaction?officer=" in html
        login_user(_db.session.query(User).filter_by(username="admin2").one())
        assert "Trần Văn An" not in render_template("admin/reports/_alerts.html")
