"""Residents' flows through the kiosk in Chromium with touch, at 1280×800."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nghedan.extensions import db
from nghedan.models import Item, Kiosk, Rating
from nghedan.services.people import kiosks
from tests.browser.conftest import screenshot
from tests.browser.kiosk.conftest import check_screen, query, tap_keys

pytestmark = pytest.mark.browser


def _ratings(app):
    return query(
        app,
        lambda: [
            (r.score, r.reasons, r.comment)
            for r in db.session.scalars(select(Rating).order_by(Rating.id))
        ],
    )


def _kiosk_items(app):
    return query(
        app,
        lambda: list(
            db.session.scalars(select(Item).where(Item.channel == "kiosk").order_by(Item.id))
        ),
    )


def test_enrollment_then_revocation(app, page_factory, kiosk_setup):
    page, log = page_factory("landscape")
    page.goto(kiosk_setup.base_url + "/kiosk/")
    assert page.text_content("h1") == "Màn hình này chưa được cài đặt"
    page.goto(kiosk_setup.enroll_url)
    page.wait_for_url("**/kiosk/")
    assert "Đánh giá cán bộ" in page.text_content(".choices")
    screenshot(page, "kiosk-enrolled-home")

    def revoke():
        kiosks.revoke(db.session.scalar(select(Kiosk)))
        db.session.commit()

    query(app, revoke)
    page.reload()
    assert page.text_content("h1") == "Màn hình này chưa được cài đặt"
    assert log.outside == []


def test_rating_an_officer_satisfied(app, kiosk_page, kiosk_setup):
    page, log = kiosk_page()
    before = log.bytes
    page.tap("text=Đánh giá cán bộ")
    page.wait_for_url("**/kiosk/rate")
    check_screen(page, log, "flow-officers", before)
    page.tap("text=Nguyễn Thị Lan")
    page.wait_for_url(f"**/kiosk/rate/{kiosk_setup.officer_id}")
    page.tap("button.level1")
    page.wait_for_url("**/kiosk/thanks")
    assert "Cảm ơn" in page.text_content("h1")
    screenshot(page, "kiosk-flow-thanks")
    page.wait_for_url("**/kiosk/", timeout=10_000)  # back to the start by itself
    assert _ratings(app) == [(1, [], None)]
    assert log.outside == []


def test_rating_with_reasons_and_a_comment_typed_on_screen(app, kiosk_page, kiosk_setup):
    page, log = kiosk_page()
    page.goto(kiosk_setup.base_url + f"/kiosk/rate/{kiosk_setup.officer_id}")
    page.tap("a.level4")
    page.wait_for_url("**/why?score=4")
    page.tap("text=Chậm trễ")
    page.tap("text=Gây phiền hà")
    page.tap("#comment")
    tap_keys(page, "chowf laau")
    assert page.input_value("#comment") == "chờ lâu"
    screenshot(page, "kiosk-flow-reasons")
    page.tap('.hg-button[data-skbtn="{done}"]')
    page.tap("text=Gửi đánh giá")
    page.wait_for_url("**/kiosk/thanks")
    assert _ratings(app) == [(4, ["slow", "harassment"], "chờ lâu")]
    assert log.outside == []


def test_a_double_tap_records_one_rating(app, kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    page.goto(kiosk_setup.base_url + f"/kiosk/rate/{kiosk_setup.officer_id}")
    page.eval_on_selector("button.level2", "b => { b.click(); b.click(); b.click(); }")
    page.wait_for_url("**/kiosk/thanks")
    assert _ratings(app) == [(2, [], None)]


def test_a_stale_csrf_token_is_renewed_without_bothering_the_resident(app, kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    page.goto(kiosk_setup.base_url + f"/kiosk/rate/{kiosk_setup.officer_id}")
    page.eval_on_selector("input[name=csrf_token]", "input => { input.value = 'stale'; }")
    page.tap("button.level1")
    page.wait_for_url("**/kiosk/thanks")
    assert _ratings(app) == [(1, [], None)]


def test_an_opinion_from_category_to_receipt_then_looked_up(app, kiosk_page, kiosk_setup):
    page, log = kiosk_page()
    page.tap("text=Góp ý, kiến nghị")
    page.wait_for_url("**/kiosk/opinion")
    page.tap("text=Đường sá, hạ tầng")
    page.wait_for_url("**/opinion/write?category=roads")
    page.tap("#text")
    tap_keys(page, "dduwowngf hw")
    page.tap('.hg-button[data-skbtn="{sac}"]')  # the tone button puts sắc on the last word
    assert page.input_value("#text") == "đường hứ"
    page.tap('.hg-button[data-skbtn="{bksp}"]')
    page.tap('.hg-button[data-skbtn="{telex}"]')
    tap_keys(page, "u")
    assert page.input_value("#text") == "đường hu"
    page.tap('.hg-button[data-skbtn="{done}"]')
    page.tap(".chip >> text=Khiếu nại")
    page.tap(".step:not([hidden]) >> text=Tiếp tục")
    page.tap("text=Ấp Tân Lợi")
    page.tap(".step:not([hidden]) >> text=Tiếp tục")
    page.tap("#phone")
    tap_keys(page, "0912345678")
    page.tap('.hg-button[data-skbtn="{done}"]')
    before = log.bytes
    page.tap("text=Gửi ý kiến")
    page.wait_for_url("**/kiosk/receipt/*")
    check_screen(page, log, "flow-receipt", before)
    code = page.url.rsplit("/", 1)[1]
    assert page.text_content(".tracking-code").replace("\u202f", "") == code
    assert f"TT {code}" in page.text_content(".sms-hint")
    assert "Luật Khiếu nại" in page.text_content(".legal-note")
    page.emulate_media(media="print")  # what the receipt printer gets: the slip, no buttons
    assert page.is_hidden(".bar") and page.is_hidden(".actions") and page.is_visible(".sms-hint")
    screenshot(page, "kiosk-flow-receipt-print")
    page.emulate_media(media="screen")
    [item] = [i for i in _kiosk_items(app) if i.tracking_code == code]
    assert (item.text, item.contact_phone, item.legal_type) == (
        "đường hu",
        "+84912345678",
        "complaint",
    )

    page.tap("text=Xong, về trang đầu")
    page.wait_for_url("**/kiosk/")
    page.tap("text=Tra cứu ý kiến đã gửi")
    page.wait_for_url("**/kiosk/lookup")
    tap_keys(page, code)
    page.tap("button:has-text('Tra cứu')")
    page.wait_for_url(f"**/kiosk/lookup?code={code}")
    assert "Đã tiếp nhận" in page.text_content(".lookup-result")
    screenshot(page, "kiosk-flow-lookup")
    page.tap("text=Tra cứu mã khác")
    page.wait_for_url("**/kiosk/lookup")
    assert page.input_value("#code") == "" and page.is_hidden(".status")
    assert log.outside == []


def test_lookup_of_a_mistyped_code_says_so(kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    page.goto(kiosk_setup.base_url + "/kiosk/lookup")
    code = kiosk_setup.item_code
    wrong = code[:3] + code[4] + code[3] + code[5:]  # two neighbouring digits swapped
    if wrong == code:
        wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    tap_keys(page, wrong)
    page.tap("button:has-text('Tra cứu')")
    page.wait_for_selector(".error")
    assert "gõ nhầm một chữ số" in page.text_content(".error")
    screenshot(page, "kiosk-flow-lookup-wrong")


def test_server_unreachable_keeps_the_input_and_sends_later(app, kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    page.goto(kiosk_setup.base_url + "/kiosk/opinion/write?category=other")
    page.tap("#text")
    tap_keys(page, "maats ddieenj")
    page.tap('.hg-button[data-skbtn="{done}"]')
    page.tap(".step:not([hidden]) >> text=Tiếp tục")
    page.tap(".step:not([hidden]) >> text=Tiếp tục")
    cut = lambda route: route.abort("connectionrefused")  # noqa: E731
    page.route("**/kiosk/opinion/write", cut)
    page.tap("text=Gửi ý kiến")
    page.wait_for_selector("#offline:not([hidden])")
    assert "chưa kết nối được" in page.text_content("#offline")
    assert page.is_visible("#offline [data-when=send]")
    assert page.input_value("#text") == "mất điện"
    screenshot(page, "kiosk-flow-offline")
    assert "mất điện" not in [i.text for i in _kiosk_items(app)]
    page.unroute("**/kiosk/opinion/write", cut)
    page.wait_for_url("**/kiosk/receipt/*", timeout=10_000)  # it tried again by itself
    assert [i.text for i in _kiosk_items(app)][-1] == "mất điện"


def test_a_link_while_the_server_is_unreachable_says_so_and_stays(kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    page.route("**/healthz", lambda route: route.abort("connectionrefused"))
    page.tap("text=Góp ý, kiến nghị")
    page.wait_for_selector("#offline:not([hidden])")
    assert page.is_visible("#offline [data-when=nav]")
    assert page.url.endswith("/kiosk/")


def test_english_and_back(kiosk_page):
    page, log = kiosk_page()
    page.tap("text=English")
    page.wait_for_selector("text=Rate an officer")
    screenshot(page, "kiosk-home-en")
    page.tap("text=Tiếng Việt")
    page.wait_for_selector("text=Đánh giá cán bộ")
    assert log.outside == []


ENGLISH_BROWSER_WORDS = ("Please", "fill out", "this field", "Select one", "match the")


def _no_browser_english(page, where: str) -> None:
    """No field can raise the browser's own message, and none is on the screen."""
    messages = page.evaluate("""() => [...document.querySelectorAll('input, textarea, select')]
        .map(f => f.validationMessage).filter(Boolean)""")
    assert messages == [], f"{where}: {messages}"
    text = page.text_content("body")
    assert not [w for w in ENGLISH_BROWSER_WORDS if w in text], where


def test_empty_forms_are_checked_in_vietnamese_never_by_the_browser(app, kiosk_page, kiosk_setup):
    page, log = kiosk_page()
    page.goto(kiosk_setup.base_url + "/kiosk/opinion/write?category=roads")
    page.tap(".step:not([hidden]) >> text=Tiếp tục")
    assert page.is_visible("#form-error")
    assert page.text_content("#form-error") == "Vui lòng viết nội dung ý kiến."
    assert page.is_visible(".step[data-step=what]")  # still on the first step
    _no_browser_english(page, "opinion, empty text")
    screenshot(page, "kiosk-flow-empty-opinion")
    # Even straight to "send" (the last step reached by a stale page): the same message.
    page.eval_on_selector(
        "form.write",
        "f => f.querySelectorAll('.step').forEach("
        "(s, i, all) => { s.hidden = i !== all.length - 1; })",
    )
    page.tap("text=Gửi ý kiến")
    assert page.text_content("#form-error") == "Vui lòng viết nội dung ý kiến."
    assert page.is_visible(".step[data-step=what]")
    _no_browser_english(page, "opinion, sent empty")
    assert [i for i in _kiosk_items(app) if i.text == ""] == []
    assert len(_kiosk_items(app)) == 2  # the two of the setup: nothing sent
    page.tap("#text")
    tap_keys(page, "a")  # typing takes the message away
    assert page.is_hidden("#form-error")

    page.goto(kiosk_setup.base_url + "/kiosk/lookup")
    page.tap("button:has-text('Tra cứu')")
    page.wait_for_selector(".error")
    assert "Vui lòng nhập mã tra cứu" in page.text_content(".error")
    _no_browser_english(page, "lookup, empty")

    page.goto(kiosk_setup.base_url + f"/kiosk/rate/{kiosk_setup.officer_id}/why?score=4")
    page.tap("text=Gửi đánh giá")
    page.wait_for_url("**/kiosk/thanks")
    _no_browser_english(page, "rating with no reason")
    assert log.outside == []


def test_tone_marks_wait_for_a_vowel(kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    page.goto(kiosk_setup.base_url + "/kiosk/opinion/write?category=other")
    page.tap("#text")
    page.tap('.hg-button[data-skbtn="{huyen}"]')  # alone: lit, waiting for a vowel
    assert "pending" in page.get_attribute('.hg-button[data-skbtn="{huyen}"]', "class")
    tap_keys(page, "a")
    assert page.input_value("#text") == "à"
    tap_keys(page, " c")
    page.tap('.hg-button[data-skbtn="{sac}"]')  # after a consonant: the same
    screenshot(page, "kiosk-flow-tone-waiting")
    tap_keys(page, "a")
    assert page.input_value("#text") == "à cá"
    assert "pending" not in page.get_attribute('.hg-button[data-skbtn="{sac}"]', "class")


def test_undo_of_a_telex_change_and_typing_in_the_middle(kiosk_page, kiosk_setup):
    page, _ = kiosk_page()
    page.goto(kiosk_setup.base_url + "/kiosk/opinion/write?category=other")
    page.tap("#text")
    tap_keys(page, "w")
    assert page.input_value("#text") == "ư"
    page.tap('.hg-button[data-skbtn="{undo}"]')  # the rest of the word as it is typed
    tap_keys(page, "ifi faceboo")
    assert page.input_value("#text") == "wifi facebô"
    page.tap('.hg-button[data-skbtn="{undo}"]')
    tap_keys(page, "k")
    assert page.input_value("#text") == "wifi facebook"
    page.tap('.hg-button[data-skbtn="{telex}"]')  # plain letters, no marks at all
    tap_keys(page, " ddd")
    assert page.input_value("#text") == "wifi facebook ddd"
    page.fill("#text", "")
    page.tap('.hg-button[data-skbtn="{telex}"]')
    tap_keys(page, "ddat ddai")
    for _ in range(4):
        page.tap('.hg-button[data-skbtn="{left}"]')  # back to just after "đat"
    tap_keys(page, "as")
    assert page.input_value("#text") == "đất đai"
    tap_keys(page, " nay")
    assert page.input_value("#text") == "đất nay đai"


def test_a_commune_with_many_hamlets_keeps_next_in_reach_and_says_the_list_scrolls(
    app, kiosk_page, kiosk_setup
):
    from nghedan.models import Commune, Hamlet

    def add_hamlets():
        commune = db.session.scalar(select(Commune).where(Commune.code == kiosk_setup.commune_code))
        for n in range(1, 41):
            db.session.add(Hamlet(commune_id=commune.id, name=f"Ấp Thạnh {n:02d}", kind="ap"))
        db.session.commit()

    query(app, add_hamlets)
    page, log = kiosk_page("laptop")
    page.goto(kiosk_setup.base_url + "/kiosk/opinion/write?category=roads")
    page.fill("#text", "Cầu khỉ sắp sập.")
    page.tap('.hg-button[data-skbtn="{done}"]')
    before = log.bytes
    page.tap(".step:not([hidden]) >> text=Tiếp tục")
    page.wait_for_selector("[data-scroll-hint]:not([hidden])")
    assert "vuốt danh sách lên" in page.text_content("[data-scroll-hint]")
    check_screen(page, log, "flow-many-hamlets", before)  # fits; "Tiếp tục" in reach
    page.locator("text=Ấp Thạnh 40").scroll_into_view_if_needed()
    page.tap("text=Ấp Thạnh 40")
    page.tap(".step:not([hidden]) >> text=Tiếp tục")
    page.tap("text=Gửi ý kiến")
    page.wait_for_url("**/kiosk/receipt/*")
    last = query(
        app,
        lambda: (
            db.session.scalar(
                select(Item).where(Item.channel == "kiosk").order_by(Item.id.desc())
            ).hamlet.name
        ),
    )
    assert last == "Ấp Thạnh 40"
