"""Meeting mode in Chromium (answer saved as typed) and the printed conclusion notice."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from nghedan.extensions import db
from nghedan.models import Commune, Item, utcnow
from nghedan.services.dialogues.agenda import assign_item
from nghedan.services.dialogues.meeting import close_dialogue, save_answer, set_outcome
from nghedan.services.items.history import change_status
from tests.admin.conftest import PASSWORD, world  # noqa: F401 - fixture reuse
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.dialogues.builders import make_dialogue

pytestmark = pytest.mark.browser


def _dialogue_with_item(app, world):
    with app.app_context():
        commune = db.session.get(Commune, world.commune_id)
        commune.chairman_name = "Nguyễn Văn Bình"
        # Begun a few minutes ago: "today" in Vietnam at any hour (an hour ahead can be
        # tomorrow there, and a dialogue not yet held cannot be closed).
        dialogue = make_dialogue(commune, starts_at=utcnow() - timedelta(minutes=5))
        item = db.session.get(Item, world.item_id)
        change_status(item, "triaged")
        assign_item(dialogue, item)
        db.session.commit()
        return dialogue.id


def _login(page, live_server):
    page.goto(live_server + "/admin/login")
    page.fill("input[name=username]", "officer1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_meeting_mode_saves_the_answer_as_it_is_typed(app, live_server, page_factory, world):
    dialogue_id = _dialogue_with_item(app, world)
    page, log = page_factory("landscape")
    _login(page, live_server)
    page.goto(f"{live_server}/admin/dialogues/{dialogue_id}/meeting")
    assert "Đường ấp Tân Phú bị ngập nước" in page.text_content(".question")
    page.click("#answer")
    page.keyboard.type("Xã sẽ nạo vét mương thoát nước trước Tết.")
    expect(page.locator("#save-state")).to_have_text("Đã lưu")
    screenshot(page, "dialogue-meeting-mode")
    page.reload()  # as if the laptop was closed and opened again
    assert page.input_value("#answer") == "Xã sẽ nạo vét mương thoát nước trước Tết."
    page.click("button[value=resolved]")
    page.wait_for_load_state()
    assert "Đã trả lời 1/1" in page.text_content(".meeting-head")
    with app.app_context():
        item = db.session.get(Item, world.item_id)
        assert item.outcome == "resolved"
        assert item.answer == "Xã sẽ nạo vét mương thoát nước trước Tết."
    assert log.outside == []


def test_answer_typed_while_offline_is_kept_and_sent_later(app, live_server, page_factory, world):
    dialogue_id = _dialogue_with_item(app, world)
    page, log = page_factory("landscape")
    _login(page, live_server)
    url = f"{live_server}/admin/dialogues/{dialogue_id}/meeting"
    page.goto(url)
    page.context.set_offline(True)  # the cultural house's connection drops
    page.click("#answer")
    page.keyboard.type("Trả lời khi mất mạng")
    expect(page.locator("#save-state")).to_have_text("Chưa lưu được — kiểm tra kết nối")
    page.close()  # the laptop is closed with nothing saved on the server
    page.context.set_offline(False)
    again = page.context.new_page()
    log.attach(again)
    again.goto(url)
    assert again.input_value("#answer") == "Trả lời khi mất mạng"  # kept in the browser
    expect(again.locator("#save-state")).to_have_text("Đã lưu")
    with app.app_context():
        assert db.session.get(Item, world.item_id).answer == "Trả lời khi mất mạng"
    assert log.outside == []


def test_an_answer_the_server_refuses_shows_why_and_is_not_resent(
    app, live_server, page_factory, world
):
    dialogue_id = _dialogue_with_item(app, world)
    page, log = page_factory("landscape")
    _login(page, live_server)
    page.goto(f"{live_server}/admin/dialogues/{dialogue_id}/meeting")
    with app.app_context():  # cancelled from another laptop while this one is open
        from nghedan.models import Dialogue

        db.session.get(Dialogue, dialogue_id).status = "cancelled"
        db.session.commit()
    answers = []
    page.on("request", lambda r: answers.append(r) if r.url.endswith("/answer") else None)
    page.click("#answer")
    page.keyboard.type("Xã sẽ trả lời sau.")
    expect(page.locator("#save-state")).to_have_text("Buổi đối thoại đã bị hủy.")
    expect(page.locator("#save-state")).to_have_class("save-state failed")
    page.wait_for_timeout(5000)  # longer than the retry after a lost connection
    assert len(answers) == 1 and answers[0].headers["accept"] == "application/json"
    expect(page.locator("#save-state")).to_have_text("Buổi đối thoại đã bị hủy.")
    with app.app_context():
        assert db.session.get(Item, world.item_id).answer is None
    assert log.outside == []


def test_printed_notice_in_the_official_layout(app, live_server, page_factory, tmp_path, world):
    dialogue_id = _dialogue_with_item(app, world)
    long_answer = " ".join(
        [
            "UBND xã giao Ban nhân dân ấp vận động bà con nạo vét mương, "
            "khơi thông dòng chảy trước mùa mưa."
        ]
        * 30
    )
    with app.app_context():
        from nghedan.models import Dialogue

        dialogue = db.session.get(Dialogue, dialogue_id)
        item = db.session.get(Item, world.item_id)
        save_answer(dialogue, item, long_answer)
        set_outcome(dialogue, item, "resolved")
        close_dialogue(dialogue, attendance=120, minutes="")
        db.session.commit()
    page, log = page_factory("landscape")
    _login(page, live_server)
    page.goto(f"{live_server}/admin/dialogues/{dialogue_id}/notice")
    page.click(".notice-start button")  # the clerk starts the draft…
    assert page.is_visible(".notice-draft-form")  # …and edits the summaries first
    screenshot(page, "dialogue-notice-draft")
    page.emulate_media(media="print")
    for hidden in (".admin-header", ".main-nav", ".notice-office", ".notice-draft-form"):
        assert not page.is_visible(hidden), hidden
    notice = page.locator("article.notice")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in notice.text_content()
    assert "TM. ỦY BAN NHÂN DÂN" in notice.text_content()
    assert "Số:      /TB-UBND" in notice.text_content()
    expect(notice).to_have_css(
        "font-family", '"Times New Roman", "Liberation Serif", "DejaVu Serif", serif'
    )
    # Issuer top left, motto top right, signing block bottom right.
    issuer, motto = page.locator(".issuer").bounding_box(), page.locator(".motto").bounding_box()
    signing = page.locator(".signing").bounding_box()
    assert issuer["x"] < motto["x"] and abs(issuer["y"] - motto["y"]) < 5
    assert signing["x"] > issuer["x"] and signing["y"] > motto["y"]
    # The short lines are borders, not characters.
    assert (
        page.eval_on_selector(".issuer .rule", "e => getComputedStyle(e).borderTopStyle") == "solid"
    )
    assert (
        page.eval_on_selector(".motto-2 span", "e => getComputedStyle(e).borderBottomStyle")
        == "solid"
    )
    screenshot(page, "dialogue-notice-print")
    pdf_path = tmp_path / "notice.pdf"
    pdf_path.write_bytes(page.pdf(prefer_css_page_size=True))
    pages = [p for p in _pdf_pages(pdf_path) if p.strip()]
    assert len(pages) >= 2
    assert "ỦY BAN NHÂN DÂN" in pages[0].strip().splitlines()[0]  # no number on page 1
    assert pages[1].strip().splitlines()[0].strip() == "2"  # centred at the top from page 2
    assert "- Lưu: VT, VP." in pages[-1]
    shots = ARTIFACTS / "screenshots"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf_path), str(shots / "dialogue-notice-print-page")],
        check=True,
        timeout=60,
    )
    assert log.outside == []


def _pdf_pages(pdf) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: make test installs poppler-utils")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return text.split("\f")


def test_meeting_mode_on_a_1366x768_laptop_shows_the_outcome_buttons(
    app, live_server, page_factory, world
):
    dialogue_id = _dialogue_with_item(app, world)
    with app.app_context():
        item = db.session.get(Item, world.item_id)
        item.text = " ".join(
            [
                "Đường liên ấp đoạn gần trường tiểu học bị sụt lún, mưa xuống "
                "ngập nước, xe máy đi rất nguy hiểm."
            ]
            * 8
        )
        db.session.commit()
    page, log = page_factory("landscape")
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server)
    page.goto(f"{live_server}/admin/dialogues/{dialogue_id}/meeting")
    assert page.evaluate("window.scrollY") == 0
    for value in ("resolved", "commune_will_resolve", "escalated", "explained"):
        box = page.locator(f"button[value={value}]").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 768, (value, box)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "dialogue-meeting-1366x768.png"))
    assert log.outside == []


def test_plan_page_and_printed_agenda(app, live_server, page_factory, world):
    dialogue_id = _dialogue_with_item(app, world)
    page, log = page_factory("landscape")
    _login(page, live_server)
    page.goto(f"{live_server}/admin/dialogues")
    assert "Kế hoạch luân phiên" in page.text_content("main")
    screenshot(page, "dialogue-plan")
    page.goto(f"{live_server}/admin/dialogues/{dialogue_id}/invitation")
    assert "GIẤY MỜI" in page.text_content("article.invitation")
    assert "Kính mời bà con" in page.text_content(".loudspeaker")
    screenshot(page, "dialogue-invitation")
    page.goto(f"{live_server}/admin/dialogues/{dialogue_id}/agenda/print")
    page.emulate_media(media="print")
    assert not page.is_visible(".admin-header")
    assert "Đường ấp Tân Phú bị ngập nước" in page.text_content(".print-agenda")
    screenshot(page, "dialogue-agenda-print")
    assert log.outside == []


def test_public_page_of_an_issued_notice_with_its_signed_scan(
    app, live_server, page_factory, world
):
    from nghedan.models import Dialogue
    from nghedan.services.dialogues.notice_issue import current_notice
    from tests.dialogues.builders import issue_notice

    dialogue_id = _dialogue_with_item(app, world)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        item = db.session.get(Item, world.item_id)
        save_answer(dialogue, item, "UBND xã giao Ban nhân dân ấp vận động nạo vét mương.")
        set_outcome(dialogue, item, "resolved")
        close_dialogue(dialogue, attendance=64, minutes="")
        issue_notice(dialogue, 12)
        db.session.commit()
        notice_id, code = current_notice(dialogue).id, item.tracking_code
    page, log = page_factory("landscape")
    page.goto(f"{live_server}/thong-bao/{notice_id}")
    assert "Số: 12/TB-UBND" in page.text_content("article.notice")
    assert page.is_visible("text=Xem bản đã ký, đóng dấu")
    screenshot(page, "notice-public")
    page.goto(f"{live_server}/t/{code}")
    page.click("text=Thông báo kết luận số 12/TB-UBND")
    page.wait_for_url(f"**/thong-bao/{notice_id}")
    assert log.outside == []
