"""Property: every GET route of the application (the admin panel as an admin and as a
supervisor, the public pages, Open311), with random path values and query strings (huge
ints, odd dates, unicode, empty values), answers below 500."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.admin.conftest import login
from tests.helpers import csrf_token

TRIED: Counter = Counter()  # requests per category, for docs/RELIABILITY.md (run with -s)
SERVER_ERRORS: Counter = Counter()

HUGE = ["99999999999999999999999", str(2**31), str(2**63), "9" * 400, "-1", "0", "1e400"]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "10000-01-01",
    "2026-13-01",
    "1900-01-01",
    "20261203",
    "2026-W49",
    "-2026-01-01",
]
ODD = [
    "",
    " ",
    "²",
    "١٢",
    "１２",
    "\u202e1",
    "Đường ấp",
    "' OR 1=1 --",
    "%00",
    "\x7f",
    "😀",
    "null",
    "[]",
    "a" * 3000,
]
KEYS = [
    "commune",
    "hamlet",
    "category",
    "officer",
    "dialogue",
    "status",
    "channel",
    "legal_type",
    "from",
    "to",
    "after",
    "before",
    "q",
    "table",
    "unit",
    "quarter",
    "n",
    "overdue",
    "flagged",
    "failed",
    "direction",
    "next",
    "kind",
    "year",
    "page",
    "id",
]
VALUES = (
    st.sampled_from(HUGE + DATES + ODD)
    | st.integers(-(10**30), 10**30).map(str)
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
)


def _category(value: str) -> str:
    if value in HUGE or (value.lstrip("-").isdigit() and len(value) > 9):
        return "huge ints"
    if value in DATES:
        return "odd dates"
    if value == "":
        return "empty"
    return "unicode and text"


def get_rules(app) -> list:
    """Every GET route but static files."""
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if "GET" in r.methods and not r.endpoint.endswith("static")
        ),
        key=lambda r: r.rule,
    )


_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path(rule, values) -> str:
    """The rule's path with each variable filled from `values` (digits for an int)."""
    found = iter(values * 3)

    def fill(match) -> str:
        value = next(found)
        if match.group(1) == "int":
            return value if value.isascii() and value.isdigit() else "1"
        return quote(value, safe="/" if match.group(1) == "path" else "") or "x"

    return _VARIABLE.sub(fill, rule.rule)


@pytest.fixture
def clients(app, world):
    """An admin's and a supervisor's logged-in clients, and an anonymous one."""
    made = {}
    for username in ("admin1", "super1"):
        client = app.test_client()
        assert login(client, username).status_code == 302
        made[username] = client
    made["anonymous"] = app.test_client()
    return made


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\nGET fuzz: requests per category {dict(TRIED)}, 5xx {dict(SERVER_ERRORS)}")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(
    who="admin1",
    rule_index=0,
    path_values=["99999999999999999999999"],
    query={"hamlet": "99999999999999999999999", "from": "0001-01-01", "to": "9999-12-31"},
)
@given(
    who=st.sampled_from(["admin1", "super1", "anonymous"]),
    rule_index=st.integers(0, 10**6),
    path_values=st.lists(VALUES, min_size=1, max_size=3),
    query=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=5),
)
def test_every_get_with_random_values_answers_below_500(
    app, clients, who, rule_index, path_values, query
):
    rules = get_rules(app)
    rule = rules[rule_index % len(rules)]
    path = _path(rule, path_values)
    url = path + ("?" + urlencode(query) if query else "")
    response = clients[who].get(url)
    for value in list(query.values()) + (path_values if "<" in rule.rule else []):
        TRIED[_category(value)] += 1
    TRIED["requests"] += 1
    if response.status_code >= 500:
        SERVER_ERRORS[rule.rule] += 1
    assert response.status_code < 500, (url, who, response.status_code)


def test_the_reported_inputs_answer_400_or_404(app, clients):
    """The requests of the hostile pass, one by one."""
    admin = clients["admin1"]
    for url in (
        "/admin/items/99999999999999999999999",
        "/admin/items?hamlet=99999999999999999999",
        "/admin/items?category=99999999999999999999",
        "/admin/items?from=0001-01-01",
        "/admin/items?to=9999-12-31",
        "/admin/sms?after=99999999999999999999999",
        "/admin/sms?before=99999999999999999999999&from=0001-01-01&to=9999-12-31",
        "/admin/reports/satisfaction?officer=99999999999999999999",
        "/admin/reports/satisfaction?from=0001-01-01&to=9999-12-31",
        "/admin/items.csv?hamlet=99999999999999999999&to=9999-12-31",
        "/poster/tan-thanh?hamlet=99999999999999999999999",
        "/admin/items?after=20260101000000000000-99999999999999999999",
    ):
        response = admin.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
    assert admin.get("/admin/items/99999999999999999999999").status_code == 404
    assert admin.get("/poster/tan-thanh?hamlet=99999999999999999999999").status_code == 404


def test_digits_python_cannot_read_in_forms_are_refused_not_500(app, clients, world):
    """`"²".isdigit()` is true but `int("²")` fails: forms and filters must not trust it."""
    admin = clients["admin1"]
    assert admin.get("/admin/reports/satisfaction?quarter=²-Q1").status_code == 200
    token = csrf_token(admin.get("/admin/items").get_data(as_text=True))
    bulk = admin.post(
        "/admin/items/bulk",
        data={"csrf_token": token, "action": "category", "category": "²", "ids": ["²", "9" * 30]},
    )
    assert bulk.status_code == 302
    triage = admin.post(
        f"/admin/items/{world.item_id}/triage",
        data={"csrf_token": token, "category": "²", "hamlet": "9" * 30},
    )
    assert triage.status_code == 302
    officer = admin.post(
        "/admin/officers",
        data={"csrf_token": token, "name": "Lê Văn Tư", "code": "²", "title": "", "desk": ""},
    )
    assert officer.status_code < 500
