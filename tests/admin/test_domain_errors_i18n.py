"""A service's refusal reaches the official in the interface's language: flash, form, JSON."""

from __future__ import annotations

from html import unescape

from nghedan.extensions import db as _db
from nghedan.models import Commune
from nghedan.services.dialogues.meeting import MAX_ANSWER_LENGTH
from tests.admin.conftest import page_csrf
from tests.dialogues.test_access import ours  # noqa: F401 - a dialogue with one agenda item
from tests.factories import make_officer

# Each refusal as (Vietnamese, English).
LANGUAGES = {
    "officer": (
        "Mã quầy này đã có cán bộ khác dùng.",
        "Another officer already uses this desk code.",
    ),
    "kiosk": ("Xã đã có màn hình tên này.", "The commune already has a screen with this name."),
    "hamlet": ("Xã đã có ấp, khóm tên này.", "The commune already has a hamlet with this name."),
    "merge": ("Không thể gộp ý kiến vào chính nó.", "An item cannot be merged into itself."),
    "sms_number": ("Số điện thoại nhận tin nhắn không hợp lệ.", "The SMS number is not valid."),
    "answer": (
        f"Câu trả lời quá dài (tối đa {MAX_ANSWER_LENGTH} ký tự).",
        f"The answer is too long (at most {MAX_ANSWER_LENGTH} characters).",
    ),
}


def _in_both_languages(client, case: str, refuse) -> None:
    """`refuse()` returns the text shown; Vietnamese by default, English with lang=en."""
    vietnamese, english = LANGUAGES[case]
    shown = refuse()
    assert vietnamese in shown and english not in shown
    client.set_cookie("lang", "en")
    shown = refuse()
    assert english in shown and vietnamese not in shown


def _text(response, status: int) -> str:
    assert response.status_code == status, response.status_code
    return unescape(response.get_data(as_text=True))


def test_a_refused_officer_is_flashed_in_the_users_language(as_user, app, world):
    with app.app_context():
        make_officer(_db.session.get(Commune, world.commune_id), code="7")
        _db.session.commit()
    client = as_user("admin1")

    def refuse():
        response = client.post(
            "/admin/officers",
            data={
                "csrf_token": page_csrf(client, "/admin/officers"),
                "name": "Lê Văn Tâm",
                "code": "7",
                "title": "",
                "desk": "",
            },
        )
        return _text(response, 422)

    _in_both_languages(client, "officer", refuse)


def test_a_flash_after_a_redirect_keeps_the_language_of_the_request(as_user, world):
    client = as_user("admin1")
    page = f"/admin/items/{world.item_id}"

    def refuse():  # a button, not a form: the refusal goes back to the page it came from
        response = client.post(
            f"{page}/merge",
            data={"csrf_token": page_csrf(client, page), "other": str(world.item_id)},
            headers={"Referer": f"http://localhost{page}"},
            follow_redirects=True,
        )
        return _text(response, 200)

    _in_both_languages(client, "merge", refuse)


def test_a_refused_hamlet_comes_back_on_the_commune_page(as_user, world):
    client = as_user("admin1")

    def refuse():
        response = client.post(
            "/admin/commune/hamlets",
            data={
                "csrf_token": page_csrf(client, "/admin/commune"),
                "name": "Ấp Tân Phú",
                "kind": "ap",
            },
        )
        return _text(response, 422)

    _in_both_languages(client, "hamlet", refuse)


def test_a_kiosk_name_refused_under_the_field(as_user, world):
    client = as_user("admin1")

    def add():
        return client.post(
            "/admin/kiosks",
            data={"csrf_token": page_csrf(client, "/admin/kiosks"), "name": "Quầy một cửa"},
        )

    add()

    def refuse():
        page = _text(add(), 422)
        return page[page.index('id="new-kiosk"') :]  # the error stands in the form

    _in_both_languages(client, "kiosk", refuse)


def test_commune_settings_refused_under_the_field(as_user, world):
    client = as_user("admin1")
    settings = {
        "name": "Tân Thạnh",
        "kind": "xa",
        "sms_number": "12345",
        "chairman_name": "",
        "notice_signing_authority": "TM. ỦY BAN NHÂN DÂN",
        "notice_signing_title": "CHỦ TỊCH",
        "rotation_days": "60",
    }

    def refuse():
        token = page_csrf(client, "/admin/commune")
        page = _text(
            client.post("/admin/commune/settings", data={**settings, "csrf_token": token}), 422
        )
        return page[page.index('name="sms_number"') :]

    _in_both_languages(client, "sms_number", refuse)


def test_the_meeting_autosave_answers_json_in_the_users_language(as_user, ours):  # noqa: F811
    dialogue_id, item_id = ours["dialogue_id"], ours["item_id"]
    client = as_user("officer1")
    base = f"/admin/dialogues/{dialogue_id}/meeting"

    def refuse():
        response = client.post(
            f"{base}/items/{item_id}/answer",
            data={"csrf_token": page_csrf(client, base), "answer": "x" * (MAX_ANSWER_LENGTH + 1)},
            headers={"Accept": "application/json"},  # as meeting mode's fetch asks
        )
        assert response.status_code == 422
        assert response.get_json()["code"] == "answer_too_long"
        return response.get_json()["error"]

    _in_both_languages(client, "answer", refuse)
