"""Views marked `reads_only` (reports, exports, the inbox, Open311 reads, the public status
pages and poster) never write, and on
SQLite a text is stored while one of them is still reading (they hold no write lock)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, event, insert

from nghedan.extensions import db as _db
from nghedan.models import Contact, Item
from tests.conftest import base_config

# Every view marked reads_only, with a URL that runs it; a newly marked view must be added.
URLS = {
    "admin.reports": "/admin/reports/",
    "admin.reports_satisfaction": "/admin/reports/satisfaction",
    "admin.reports_satisfaction_export": "/admin/reports/satisfaction.csv",
    "admin.reports_activity": "/admin/reports/activity",
    "admin.reports_activity_export": "/admin/reports/activity.xlsx",
    "admin.supervision": "/admin/supervision",
    "admin.items": "/admin/items",
    "admin.items_csv": "/admin/items.csv",
    "open311.services": "/open311/v2/services.json",
    "open311.service_definition": "/open311/v2/services/roads.json",
    "open311.requests": "/open311/v2/requests.json",
    "open311.request": "/open311/v2/requests/{code}.xml",
    "public.lookup_form": "/t/?code={code}",
    "public.status_page": "/t/{code}",
    "public.poster": "/poster/tan-thanh",
}


@pytest.fixture
def app_config(database_url):
    return {**base_config(database_url), "SQLITE_BUSY_TIMEOUT_MS": 500}


def test_every_reads_only_view_is_covered_and_writes_nothing(app, as_user, world):
    marked = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "reads_only", False)
    }
    assert marked == set(URLS)
    client = as_user("admin1")
    with app.app_context():
        code = _db.session.get(Item, world.item_id).tracking_code
        engine = _db.engine
    writes = []

    def watch(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        for endpoint, url in URLS.items():
            response = client.get(url.format(code=code))
            response.get_data()  # streamed exports run to the end
            assert response.status_code in (200, 302), (endpoint, response.status_code)
            assert writes == [], endpoint
    finally:
        event.remove(engine, "before_cursor_execute", watch)


def test_a_text_is_stored_while_a_report_is_still_reading(app, as_user, world, monkeypatch):
    from admin import reports as report_views

    client = as_user("admin1")
    reading, finish = threading.Event(), threading.Event()
    tally = report_views.report_activity.item_tally

    def slow_tally(*args, **kwargs):
        result = tally(*args, **kwargs)  # the page's transaction is open from here on
        reading.set()
        assert finish.wait(10)
        return result

    monkeypatch.setattr(report_views.report_activity, "item_tally", slow_tally)
    answers = []
    page = threading.Thread(
        target=lambda: answers.append(client.get("/admin/reports/activity").status_code)
    )
    page.start()
    try:
        assert reading.wait(10)
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        other = create_engine(
            url, connect_args={"timeout": 0.5} if url.startswith("sqlite") else {}
        )
        with other.begin() as conn:  # another worker storing a text's contact meanwhile
            conn.execute(insert(Contact.__table__).values(phone="+84911000888"))
        other.dispose()
    finally:
        finish.set()
        page.join(10)
    assert answers == [200]
