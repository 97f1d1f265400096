"""Open311 GeoReport v2: services, requests and their filters, one request, POST with a key."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from xml.etree.ElementTree import fromstring

import pytest

from nghedan.extensions import db as _db
from nghedan.formatting import LOCAL_ZONE
from nghedan.models import ApiClient, Category, Item
from open311.keys import create_client, key_hash
from open311.service_requests import redact
from tests.factories import make_commune, make_item
from tests.reports.builders import at

# Days relative to today in Vietnam, so the data never ages out of the default 90-day window.
TODAY = datetime.now(LOCAL_ZONE).date()
ANSWERED_DAY = TODAY - timedelta(days=49)
ESCALATED_DAY, ESCALATED_DUE = TODAY - timedelta(days=22), TODAY + timedelta(days=22)


def days_ago(days: int) -> datetime:
    """10:00 in Vietnam, `days` days before today."""
    return at((TODAY - timedelta(days=days)).isoformat())


@pytest.fixture
def data(app):
    """Two communes; answered, escalated, new, rejected, denunciation and old items."""
    with app.app_context():
        ours = make_commune("Tân Thạnh", code="tan-thanh", province="Cần Thơ")
        other = make_commune("Mỹ Hòa", hamlets=("Ấp Một",), code="my-hoa")
        land = "land"
        answered = make_item(
            ours,
            "Đường ấp Tân Phú ngập, gọi tôi 0912 345 678 hoặc a@b.vn",
            category_code=land,
            hamlet_id=ours.hamlets[0].id,
            contact_phone="0912345678",
            contact_name="Nguyễn Văn An",
        )
        answered.status, answered.answer = "answered", "Xã sẽ nạo vét cống trước 30/11."
        answered.created_at = at(ANSWERED_DAY.isoformat())
        escalated = make_item(
            ours, "Xin cấp giấy chứng nhận quyền sử dụng đất.", category_code=land
        )
        escalated.status, escalated.escalated_to = "escalated", "Sở Nông nghiệp và Môi trường"
        escalated.due_date = ESCALATED_DUE
        escalated.created_at = at(ESCALATED_DAY.isoformat())
        fresh = make_item(ours, "Tin mới chưa ai xem")
        fresh.created_at = days_ago(3)
        spam = make_item(ours, "quảng cáo vay tiền")
        spam.status, spam.created_at = "rejected", days_ago(3)
        secret = make_item(ours, "Tố cáo cán bộ nhận tiền.", legal_type="denunciation")
        secret.created_at = days_ago(3)
        elsewhere = make_item(other, "Ý kiến ở xã khác")
        elsewhere.status, elsewhere.created_at = "triaged", days_ago(2)
        old = make_item(ours, "Ý kiến từ bốn tháng trước")
        old.status, old.created_at = "triaged", days_ago(120)
        _db.session.commit()
        return {
            name: item.tracking_code
            for name, item in (
                ("answered", answered),
                ("escalated", escalated),
                ("fresh", fresh),
                ("spam", spam),
                ("secret", secret),
                ("elsewhere", elsewhere),
                ("old", old),
            )
        }


# From 83 days ago (local midnight, +07:00) to 38 days ahead (midnight UTC).
WINDOW = (
    f"start_date={TODAY - timedelta(days=83)}T00:00:00%2B07:00"
    f"&end_date={TODAY + timedelta(days=38)}T00:00:00Z"
)


def test_services_in_json_and_xml(client, data):
    services = client.get("/open311/v2/services.json").get_json()
    land = next(s for s in services if s["service_code"] == "land")
    assert land["service_name"] == "Đất đai"
    assert land["metadata"] is False and land["type"] == "realtime"
    english = client.get("/open311/v2/services.json?locale=en").get_json()
    assert next(s for s in english if s["service_code"] == "land")["service_name"] == "Land"
    response = client.get("/open311/v2/services.xml")
    assert response.content_type.startswith("text/xml")
    root = fromstring(response.data)
    assert root.tag == "services" and root[0].tag == "service"
    assert {child.tag for child in root[0]} >= {"service_code", "service_name", "metadata"}
    assert client.get("/open311/v2/services.csv").status_code == 404


def test_requests_never_show_personal_data_denunciations_or_spam(client, data):
    body = client.get(f"/open311/v2/requests.json?{WINDOW}").get_data(as_text=True)
    listed = json.loads(body)
    codes = {r["service_request_id"] for r in listed}
    assert codes == {data["answered"], data["escalated"], data["fresh"], data["elsewhere"]}
    for secret in ("0912", "345 678", "a@b.vn", "Nguyễn Văn An", "+8491", "Tố cáo", "quảng cáo"):
        assert secret not in body
    answered = next(r for r in listed if r["service_request_id"] == data["answered"])
    assert answered["status"] == "closed"
    assert answered["status_notes"] == "Xã sẽ nạo vét cống trước 30/11."
    assert answered["service_code"] == "land"
    assert answered["agency_responsible"] == "UBND xã Tân Thạnh"
    assert answered["address"] == "Ấp Tân Phú, xã Tân Thạnh, Cần Thơ"
    assert answered["requested_datetime"] == f"{ANSWERED_DAY}T10:00:00+07:00"
    assert "[…]" in answered["description"]
    escalated = next(r for r in listed if r["service_request_id"] == data["escalated"])
    assert escalated["status"] == "open"
    assert escalated["agency_responsible"] == "Sở Nông nghiệp và Môi trường"
    assert escalated["expected_datetime"] == f"{ESCALATED_DUE}T23:59:59+07:00"
    fresh = next(r for r in listed if r["service_request_id"] == data["fresh"])
    assert fresh["description"] == ""  # not looked at by officials yet


def test_request_filters(client, data):
    def codes(query: str) -> set[str]:
        return {
            r["service_request_id"]
            for r in client.get(f"/open311/v2/requests.json?{query}").get_json()
        }

    assert codes(f"{WINDOW}&status=closed") == {data["answered"]}
    assert codes(f"{WINDOW}&status=open") == {data["escalated"], data["fresh"], data["elsewhere"]}
    assert codes(f"{WINDOW}&service_code=land") == {data["answered"], data["escalated"]}
    day_after = ESCALATED_DAY + timedelta(days=1)
    assert codes(f"start_date={ESCALATED_DAY}&end_date={day_after}") == {data["escalated"]}
    # Without dates: the last 90 days, so the item from 120 days ago is left out.
    assert codes("status=open") == {data["escalated"], data["fresh"], data["elsewhere"]}
    assert codes(f"start_date={TODAY - timedelta(days=121)}&status=open") == {
        data["escalated"],
        data["fresh"],
        data["elsewhere"],
        data["old"],
    }
    assert codes(f"{WINDOW}&jurisdiction_id=my-hoa") == {data["elsewhere"]}
    ids = ",".join((data["answered"], data["secret"], data["spam"]))
    assert codes(f"service_request_id={ids}") == {data["answered"]}
    bad = client.get("/open311/v2/requests.json?start_date=yesterday")
    assert bad.status_code == 400 and bad.get_json()[0]["code"] == 400
    assert client.get("/open311/v2/requests.json?status=lost").status_code == 400
    assert client.get("/open311/v2/requests.json?jurisdiction_id=nowhere").status_code == 404


def test_one_request_in_json_and_xml(client, data):
    one = client.get(f"/open311/v2/requests/{data['answered']}.json").get_json()
    assert len(one) == 1 and one[0]["service_request_id"] == data["answered"]
    root = fromstring(client.get(f"/open311/v2/requests/{data['answered']}.xml").data)
    assert root.tag == "service_requests" and root[0].tag == "request"
    assert root[0].find("status").text == "closed"
    assert root[0].find("lat").text is None
    for hidden in ("secret", "spam"):
        response = client.get(f"/open311/v2/requests/{data[hidden]}.xml")
        assert response.status_code == 404
        assert fromstring(response.data)[0].find("code").text == "404"


def test_post_a_request_with_an_api_key(app, client, data):
    with app.app_context():
        _, key = create_client("Cổng góp ý tỉnh")
        _, bound_key = create_client("Cổng của xã", commune_id=_commune_id("my-hoa"))
        _db.session.commit()
    form = {
        "api_key": key,
        "jurisdiction_id": "tan-thanh",
        "service_code": "land",
        "description": "Đề nghị sửa đường ấp Tân Phú.",
        "address_string": "ap tan phu",
        "phone": "0987 654 321",
        "first_name": "Bình",
        "last_name": "Trần Văn",
    }
    response = client.post("/open311/v2/requests.json", data=form)  # no CSRF token: an API
    assert response.status_code == 201, response.get_data(as_text=True)
    code = response.get_json()[0]["service_request_id"]
    with app.app_context():
        item = _db.session.query(Item).filter_by(tracking_code=code).one()
        assert (item.channel, item.status, item.hamlet.name) == ("api", "new", "Ấp Tân Phú")
        assert (item.contact_phone, item.contact_name) == ("+84987654321", "Trần Văn Bình")
        assert _db.session.get(Category, item.category_id).code == "land"
        assert _db.session.query(ApiClient).filter_by(name="Cổng góp ý tỉnh").one().last_used_at
    shown = client.get(f"/open311/v2/requests/{code}.json").get_data(as_text=True)
    assert re.search(r"(?<!\d)0987(?!\d)", shown) is None and "987654321" not in shown
    assert "Bình" not in shown
    xml = client.post(
        "/open311/v2/requests.xml", data={**form, "api_key": bound_key, "jurisdiction_id": ""}
    )
    assert xml.status_code == 201
    assert fromstring(xml.data)[0].find("service_request_id").text.isdigit()


@pytest.mark.parametrize(
    "change, status",
    [
        ({"api_key": "nd311_wrong"}, 403),
        ({"api_key": ""}, 403),
        ({"service_code": "nothing"}, 400),
        ({"description": "  "}, 400),
        ({"jurisdiction_id": ""}, 400),
        ({"phone": "12"}, 400),
    ],
)
def test_refused_posts_store_nothing(app, client, data, change, status):
    with app.app_context():
        _, key = create_client("Cổng góp ý tỉnh")
        _db.session.commit()
        before = _db.session.query(Item).count()
    form = {
        "api_key": key,
        "jurisdiction_id": "tan-thanh",
        "service_code": "land",
        "description": "Đề nghị sửa đường.",
        **change,
    }
    response = client.post("/open311/v2/requests.json", data=form)
    assert response.status_code == status
    assert response.get_json()[0]["code"] == status
    with app.app_context():
        assert _db.session.query(Item).count() == before


def test_api_key_cli_prints_the_key_once_and_stores_its_hash(app, runner, data):
    result = runner.invoke(args=["api-key", "create", "--name", "Cổng tỉnh", "--commune", "my-hoa"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("nd311_") and len(key) > 40
    with app.app_context():
        client = _db.session.query(ApiClient).one()
        assert client.key_hash == key_hash(key) and key not in (client.key_hash, client.key_prefix)
        assert client.commune.code == "my-hoa"
    again = runner.invoke(args=["api-key", "create", "--name", "Cổng tỉnh"])
    assert again.exit_code != 0
    assert "Cổng tỉnh" in runner.invoke(args=["api-key", "list"]).output
    assert runner.invoke(args=["api-key", "revoke", "--name", "Cổng tỉnh"]).exit_code == 0
    with app.app_context():
        assert _db.session.query(ApiClient).one().active is False


def test_redaction():
    assert redact("Gọi 0912.345.678 hoặc +84 912 345 678, CCCD 079123456789") == (
        "Gọi […] hoặc […], CCCD […]"
    )
    assert redact("Email: an.nguyen@mail.vn, năm 2026") == "Email: […], năm 2026"


def _commune_id(code: str) -> int:
    from nghedan.models import Commune

    return _db.session.query(Commune).filter_by(code=code).one().id


def test_a_refusal_of_the_intake_is_the_spec_error_in_the_asked_format(app, client, data):
    with app.app_context():
        _, key = create_client("Cổng góp ý tỉnh")
        _db.session.commit()
    form = {"api_key": key, "jurisdiction_id": "tan-thanh", "service_code": "land"}
    response = client.post("/open311/v2/requests.xml", data={**form, "description": " "})
    assert response.status_code == 400 and response.mimetype.endswith("xml")
    error = fromstring(response.data)[0]
    assert error.find("code").text == "400"
    assert error.find("description").text == "Nội dung ý kiến đang trống."
