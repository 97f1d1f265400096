"""The supervisor's landing and the activity report over a supervised_quarter quarter, over HTTP."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from nghedan.formatting import fmt_date, local
from tests.admin.conftest import login

pytestmark = pytest.mark.usefixtures("world")


def _day(now, days: int) -> str:
    return fmt_date(local(now + timedelta(days=days)).date())


def test_a_supervisor_lands_on_their_communes_with_problems_first(client, supervised_quarter):
    _quarter, now = supervised_quarter
    response = login(client, "super2")
    assert response.status_code == 302 and response.location == "/admin/supervision"
    assert client.get("/admin/").location == "/admin/supervision"
    html = client.get("/admin/supervision").get_data(as_text=True)
    assert "1 trong 2 xã, phường cần chú ý." in html
    # Tân Thạnh has problems: before Mỹ Hòa, though M comes first.
    assert html.index('data-commune="Tân Thạnh"') < html.index('data-commune="Mỹ Hòa"')
    assert f"1 cuộc đối thoại quá ngày nhưng chưa tổ chức: Ấp Bắc ({_day(now, -8)})" in html
    assert (
        f"1 thông báo kết luận quá hạn 7 ngày chưa ban hành: Ấp Mới, Ấp Tân Phú ({_day(now, -20)})"
    ) in html
    assert "Chỉ số hài lòng giảm từ 100% xuống 50% trong 30 ngày qua." in html
    mỹ_hòa = html[html.index('data-commune="Mỹ Hòa"') :]
    assert "Không có vấn đề" in mỹ_hòa and "Cần chú ý" not in mỹ_hòa
    client.set_cookie("lang", "en")
    english = client.get("/admin/supervision").get_data(as_text=True)
    assert "1 of 2 communes need attention." in english
    assert f"1 dialogues past their date and not held: Ấp Bắc ({_day(now, -8)})" in english
    assert "Satisfaction fell from 100% to 50% over the last 30 days." in english


def test_a_supervisor_without_communes_is_told_so(client, supervised_quarter):
    assert login(client, "super0").location == "/admin/supervision"
    html = client.get("/admin/supervision").get_data(as_text=True)
    assert "chưa được giao xã, phường nào để giám sát" in html
    report = client.get("/admin/reports/activity").get_data(as_text=True)
    assert 'id="no-communes"' in report
    assert "Ấp, khóm nào cũng đã có buổi đối thoại" not in report
    assert 'id="no-communes"' in client.get("/admin/reports/satisfaction").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "No communes are assigned to you" in client.get("/admin/supervision").get_data(
        as_text=True
    )


def test_officials_still_land_on_the_inbox_and_may_open_the_overview(as_user, supervised_quarter):
    client = as_user("officer1")
    assert client.get("/admin/").location == "/admin/items"
    html = client.get("/admin/supervision").get_data(as_text=True)
    assert 'data-commune="Tân Thạnh"' in html and 'data-commune="Mỹ Hòa"' not in html


def _activity(client, supervised_quarter, path="/admin/reports/activity", **extra):
    period = supervised_quarter[0].period
    return client.get(
        path, query_string={"from": period.start.isoformat(), "to": period.end.isoformat(), **extra}
    )


def test_the_activity_page_shows_each_figure(as_user, supervised_quarter):
    html = _activity(as_user("officer1"), supervised_quarter).get_data(as_text=True)
    for figure in (
        "Kế hoạch</dt><dd>7",
        "Đã tổ chức</dt><dd>4",
        'Quá ngày, chưa tổ chức</dt><dd class="warn">1',
        "Đã hủy</dt><dd>1",
        "Lượt người tham dự</dt><dd>390",
        "Tỷ lệ so với số hộ</dt><dd>27,7%",
        "Tỷ lệ so với số người từ 18 tuổi</dt><dd>10,8%",
        "Ý kiến được nêu</dt><dd>6",
        "Trả lời tại buổi đối thoại</dt><dd>3",
        "Xã tiếp tục giải quyết</dt><dd>1",
        "Kiến nghị cấp trên</dt><dd>1",
        "Đúng hạn</dt><dd>1",
        'Trễ hạn</dt><dd class="warn">1',
        'Quá hạn, chưa ban hành</dt><dd class="warn">1',
        "Chưa đến hạn</dt><dd>1",
    ):
        assert figure in html, figure
    assert 'id="register-table"' in html and 'id="voters-table"' in html
    assert "Nguyễn Văn Chủ" in html and "12/TB-UBND" in html
    # Only a meeting with voters in Ấp Đông: it still has had no dialogue.
    assert '<p class="hamlets">Ấp Đông</p>' in html


def test_the_register_exports_to_xlsx(as_user, supervised_quarter):
    _quarter, now = supervised_quarter
    client = as_user("officer1")
    response = _activity(
        client, supervised_quarter, "/admin/reports/activity.xlsx", table="register"
    )
    assert response.status_code == 200
    assert 'filename="so-doi-thoai-' in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Ngày",
        "Xã, phường",
        "Ấp, khóm",
        "Người chủ trì",
        "Tình trạng",
        "Lượt người tham dự",
    )
    assert len(rows) == 1 + 7  # the seven dialogues, not the meeting with voters
    first = rows[1]
    assert first[0].date() == local(now - timedelta(days=50)).date()
    assert first[2:6] == ("Ấp Tân Phú", "Nguyễn Văn Chủ", "Đã tổ chức", 120)
    assert first[6] == pytest.approx(0.3) and first[8:12] == (4, 2, 1, 1)
    assert first[12] == "12/TB-UBND" and first[13].date() == local(now - timedelta(days=47)).date()
    assert first[14] == "Đúng hạn"
    states = {row[2]: (row[4], row[14]) for row in rows[1:]}
    assert states["Ấp Mới, Ấp Tân Phú"] == ("Đã tổ chức", "Quá hạn, chưa ban hành")
    voters = _activity(
        client, supervised_quarter, "/admin/reports/activity.csv", table="voters"
    ).get_data(as_text=True)
    assert len(voters.splitlines()) == 2 and "Ấp Đông" in voters
