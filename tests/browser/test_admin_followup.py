"""Follow-up and triage in Chromium with an English browser: dd/mm/yyyy days, a refused form
that keeps what was typed, the entry form, a tracking code typed into the search."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.formatting import LOCAL_ZONE, fmt_date
from nghedan.models import Commune, Item
from tests.admin.conftest import PASSWORD, world  # noqa: F401 - the `world` fixture
from tests.browser.conftest import screenshot
from tests.factories import make_officer

pytestmark = pytest.mark.browser


def _log_in(page, base, path):
    page.goto(base + path)
    page.fill("#username", "officer1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**" + path)


def _item(app, item_id):
    with app.app_context():
        item = _db.session.get(Item, item_id)
        return item.due_date, item.responsible, item.tracking_code


def test_due_date_in_dd_mm_yyyy_and_a_refused_form_keeps_what_was_typed(
    live_server, page_factory, app, world
):
    with app.app_context():
        make_officer(_db.session.get(Commune, world.commune_id), "03", "Trần Văn Việt")
        _db.session.commit()
    page, log = page_factory("landscape", locale="en-US")  # a browser set to mm/dd/yyyy
    path = f"/admin/items/{world.item_id}"
    _log_in(page, live_server, path)
    due = datetime.now(LOCAL_ZONE).date() + timedelta(days=40)
    later = due + timedelta(days=15)
    page.select_option("#responsible-officer", label="Trần Văn Việt · Công chức Văn phòng")
    page.fill("input[name=due_date]", fmt_date(due))
    page.click("#triage button.primary")
    page.wait_for_url("**" + path)
    assert page.input_value("input[name=due_date]") == fmt_date(due)
    assert _item(app, world.item_id)[:2] == (due, "Trần Văn Việt")
    assert fmt_date(due) in page.text_content(".facts")
    # Moving the date without a reason is refused; everything typed is still there.
    page.fill("input[name=due_date]", fmt_date(later))
    page.fill("input[name=note]", "Đang chờ khảo sát")
    page.select_option("select[name=status]", "forwarded")
    page.click("#triage button.primary")
    page.wait_for_selector(".flash-error")
    assert "lý do gia hạn" in page.text_content(".flash-error")
    assert page.input_value("input[name=due_date]") == fmt_date(later)
    assert page.input_value("input[name=note]") == "Đang chờ khảo sát"
    assert page.input_value("select[name=status]") == "forwarded"
    screenshot(page, "admin-item-refused-form-kept")
    page.fill("input[name=due_reason]", "Chờ kinh phí")
    page.click("#triage button.primary")
    page.wait_for_selector(".flash-ok")
    assert _item(app, world.item_id)[0] == later
    assert "Gia hạn xử lý" in page.text_content("#history")
    screenshot(page, "admin-item-due-extended")
    assert log.outside == []


def test_entry_form_keeps_what_was_typed_and_search_opens_a_code(
    live_server, page_factory, app, world
):
    page, _log = page_factory("landscape", locale="en-US")
    _log_in(page, live_server, "/admin/items")
    page.fill("input[name=from]", "01/01/2020")
    page.click("#filters button.primary")
    page.wait_for_url("**from=01%2F01%2F2020**")
    assert page.input_value("input[name=from]") == "01/01/2020"
    page.click("#new-item-link")
    page.check("input[name=method][value=phone]")
    page.fill("textarea[name=text]", "Gọi điện báo cống ấp Tân Hòa bị tắc.")
    page.fill("input[name=name]", "Phạm Thị Hoa")
    page.fill("input[name=phone]", "0913 222 333")
    page.click("#new-item button.primary")  # no consent ticked: refused
    page.wait_for_selector(".flash-error")
    assert page.is_checked("input[name=method][value=phone]")
    assert page.input_value("textarea[name=text]") == "Gọi điện báo cống ấp Tân Hòa bị tắc."
    assert page.input_value("input[name=phone]") == "0913 222 333"
    screenshot(page, "admin-entry-form-kept")
    page.check("input[name=consent]")
    page.click("#new-item button.primary")
    page.wait_for_selector(".flash-ok")
    with app.app_context():
        code = _db.session.scalar(
            select(Item.tracking_code).where(Item.contact_name == "Phạm Thị Hoa")
        )
    screenshot(page, "admin-entry-form-saved")
    page.goto(live_server + "/admin/items")
    page.fill("#q", f"{code[:4]} {code[4:]}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/items/*")
    assert code in page.text_content("h1")


def test_a_too_large_evidence_file_is_refused_before_the_typed_note_is_sent(
    live_server, page_factory, app, world
):
    app.config["ITEM_EVIDENCE_MAX_BYTES"] = 2048
    page, _log = page_factory("landscape")
    path = f"/admin/items/{world.item_id}"
    _log_in(page, live_server, path)
    page.fill("textarea[name=resolution]", "Đã nạo vét cống, đường hết ngập.")
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * 4096
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "anh-lon.png", "mimeType": "image/png", "buffer": big}],
    )
    message = page.eval_on_selector("input[name=evidence]", "f => f.validationMessage")
    assert "Tệp quá lớn (tối đa 2 KB)" in message
    page.click("#resolve button.primary")
    page.wait_for_timeout(300)
    assert page.url.endswith(path) and _item(app, world.item_id)  # nothing was sent
    with app.app_context():
        assert _db.session.get(Item, world.item_id).status == "new"
    assert page.input_value("textarea[name=resolution]") == "Đã nạo vét cống, đường hết ngập."
    small = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "anh.png", "mimeType": "image/png", "buffer": small}],
    )
    page.click("#resolve button.primary")
    page.wait_for_selector("#evidence")
    assert "anh.png" in page.text_content("#evidence")
    screenshot(page, "admin-item-resolved-with-evidence")
