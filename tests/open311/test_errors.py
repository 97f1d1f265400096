"""Every error under /open311/v2 is the spec's list of `code` and `description`, in JSON or in
XML as the path asks, with the HTTP status the error deserves; never an HTML page."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

import pytest

from nghedan.extensions import db as _db
from nghedan.models import Item
from nghedan.tracking_codes import damm_digit
from open311 import service_requests
from open311.keys import create_client
from tests.factories import make_commune, make_item

# A well-formed tracking code (its check digit right) that no item has.
UNKNOWN_CODE = "1234567" + str(damm_digit("1234567"))


@pytest.fixture
def key(app) -> str:
    """A commune with one published item, and an API key for it."""
    with app.app_context():
        commune = make_commune("Tân Thạnh", code="tan-thanh")
        make_item(commune, "Đường ấp Tân Phú bị ngập.").status = "triaged"
        _, key = create_client("Cổng góp ý tỉnh")
        _db.session.commit()
    return key


def errors_in(response, fmt: str) -> list[tuple[int, str]]:
    """(code, description) of each error in the body, checking the format's shape."""
    if fmt == "json":
        assert response.content_type == "application/json; charset=utf-8"
        body = response.get_json()
        assert isinstance(body, list)
        assert all(set(error) == {"code", "description"} for error in body)
        return [(error["code"], error["description"]) for error in body]
    assert response.content_type == "text/xml; charset=utf-8"
    root = fromstring(response.data)
    assert root.tag == "errors" and len(root) >= 1
    assert all(
        error.tag == "error" and [child.tag for child in error] == ["code", "description"]
        for error in root
    )
    return [(int(error.find("code").text), error.find("description").text) for error in root]


def refused(response, fmt: str, status: int) -> str:
    """The description of the one error the response holds, which has this status."""
    assert response.status_code == status, response.get_data(as_text=True)
    [(code, description)] = errors_in(response, fmt)
    assert code == status and description
    return description


VALID_POST = {
    "jurisdiction_id": "tan-thanh",
    "service_code": "land",
    "description": "Đề nghị sửa đường ấp Tân Phú.",
}

# (method, path under /open311/v2 with {fmt}, form changes for a POST, status, in the text)
CASES = [
    ("GET", "services.{fmt}?jurisdiction_id=nowhere", None, 404, "jurisdiction_id"),
    ("GET", "requests.{fmt}?jurisdiction_id=nowhere", None, 404, "jurisdiction_id"),
    ("GET", "requests/{code}.{fmt}?jurisdiction_id=nowhere", None, 404, "jurisdiction_id"),
    ("GET", "services/nothing.{fmt}", None, 404, "service_code"),
    ("GET", "requests/" + UNKNOWN_CODE + ".{fmt}", None, 404, "Không tìm thấy yêu cầu"),
    ("GET", "requests/1234.{fmt}", None, 404, "Không tìm thấy yêu cầu"),
    ("GET", "requests/%00.{fmt}", None, 404, "Không tìm thấy yêu cầu"),
    ("GET", "services/%00.{fmt}", None, 404, "service_code"),
    ("GET", "requests.{fmt}?start_date=yesterday", None, 400, "W3C"),
    ("GET", "requests.{fmt}?end_date=2026-02-30", None, 400, "W3C"),
    ("GET", "requests.{fmt}?status=lost", None, 400, "open hoặc closed"),
    ("GET", "requests.{fmt}?service_code=a%00b", None, 400, "không hợp lệ"),
    ("GET", "services.{fmt}?jurisdiction_id=%00", None, 400, "không hợp lệ"),
    ("POST", "requests.{fmt}", {"api_key": "nd311_wrong"}, 403, "Khóa API"),
    ("POST", "requests.{fmt}", {"api_key": ""}, 403, "Khóa API"),
    ("POST", "requests.{fmt}", {"service_code": "nothing"}, 400, "service_code"),
    ("POST", "requests.{fmt}", {"jurisdiction_id": "nowhere"}, 404, "jurisdiction_id"),
    ("POST", "requests.{fmt}", {"description": " "}, 400, "trống"),
    ("POST", "requests.{fmt}", {"description": "a\x00b"}, 400, "không hợp lệ"),
    ("GET", "nothing.{fmt}", None, 404, "Open311"),
    ("GET", "requests/{code}/media.{fmt}", None, 404, "Open311"),
    ("GET", "nothing.{fmt}?status=%00", None, 404, "Open311"),
]


@pytest.mark.parametrize(
    "method, path, form, status, words",
    CASES,
    ids=[" ".join(str(part) for part in case[:4] if part) for case in CASES],
)
def test_each_error_is_the_spec_list_in_json_and_in_xml(
    app, client, key, method, path, form, status, words
):
    with app.app_context():
        code = _db.session.query(Item.tracking_code).scalar()
        before = _db.session.query(Item).count()
    for fmt in ("json", "xml"):
        url = "/open311/v2/" + path.format(fmt=fmt, code=code)
        data = {**VALID_POST, "api_key": key, **form} if form is not None else None
        response = client.open(url, method=method, data=data)
        assert words in refused(response, fmt, status)
    with app.app_context():
        assert _db.session.query(Item).count() == before  # a refused POST stores nothing


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("POST", "services", "GET, HEAD, OPTIONS"),
        ("DELETE", "requests/{code}", "GET, HEAD, OPTIONS"),
        ("PUT", "requests", "GET, HEAD, OPTIONS, POST"),
    ],
)
def test_a_wrong_method_is_a_405_that_says_which_are_allowed(client, key, method, path, allowed):
    for fmt in ("json", "xml"):
        response = client.open(
            f"/open311/v2/{path.format(code=UNKNOWN_CODE)}.{fmt}",
            method=method,
            data={"api_key": key},
        )
        assert "Phương thức" in refused(response, fmt, 405)
        assert response.headers["Allow"] == allowed


def test_an_unknown_format_is_a_404_in_json(client, key):
    for path in ("services.csv", "requests.html", f"requests/{UNKNOWN_CODE}.txt"):
        description = refused(client.get(f"/open311/v2/{path}"), "json", 404)
        assert ".json" in description and ".xml" in description


def test_the_prefix_itself_answers_in_json(client, key):
    for path in ("/open311/v2", "/open311/v2/"):
        assert "Open311" in refused(client.get(path), "json", 404)
    assert client.get("/khong-co").content_type.startswith("text/html")  # elsewhere: the page


def test_a_crash_is_a_500_in_the_spec_shape(app, client, key, monkeypatch):
    def broken(_query):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(service_requests, "find", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    for fmt in ("json", "xml"):
        response = client.get(f"/open311/v2/requests.{fmt}")
        description = refused(response, fmt, 500)
        assert "database" not in description and "Traceback" not in response.get_data(as_text=True)


def test_descriptions_follow_the_chosen_language(client, key):
    client.set_cookie("lang", "en")
    assert refused(client.get("/open311/v2/services/nothing.xml"), "xml", 404) == (
        "There is no such service (service_code)."
    )
    assert refused(client.get("/open311/v2/nothing.json"), "json", 404) == (
        "There is no such address in Open311 GeoReport v2."
    )
