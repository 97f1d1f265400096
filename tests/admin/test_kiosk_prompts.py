"""The kiosk speaks: prompts recorded by the commune per screen and language, played by the
screen's speaker button; prompts-only languages on the home screen."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from nghedan.extensions import db
from nghedan.models import KioskPrompt
from nghedan.services.people import kiosk_prompts, kiosks
from tests.admin.conftest import page_csrf
from tests.audio_samples import ogg_opus, webm_3s


@pytest.fixture
def admin(as_user):
    return as_user("admin1")


@pytest.fixture
def kiosk(app, world):
    """A kiosk screen of the admin's commune (its own browser)."""
    with app.app_context():
        enrollment = kiosks.add_kiosk(commune_id=world.commune_id, name="Quầy một cửa")
        db.session.commit()
        token = enrollment.token
    screen = app.test_client()
    assert screen.get(f"/kiosk/enroll/{token}").status_code == 302
    return screen


def _prompts(app) -> list[KioskPrompt]:
    with app.app_context():
        found = db.session.query(KioskPrompt).order_by(KioskPrompt.id).all()
        db.session.expunge_all()
        return found


def _upload(client, screen, language, data, name="p.webm"):
    return client.post(
        "/admin/kiosk-prompts",
        data={
            "csrf_token": page_csrf(client, "/admin/kiosk-prompts"),
            "screen": screen,
            "language": language,
            "prompt": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _message(client, response) -> str:
    assert response.status_code == 422
    return response.get_data(as_text=True)


def test_no_prompt_no_speaker_button(kiosk):
    html = kiosk.get("/kiosk/").get_data(as_text=True)
    assert "data-speaker" not in html and "speaker.js" not in html


def test_a_recorded_prompt_shows_the_speaker_on_its_screen_only(app, admin, kiosk):
    assert _upload(admin, "home", "vi", webm_3s()).status_code == 302
    page = admin.get("/admin/kiosk-prompts").get_data(as_text=True)
    assert 'data-cell="home-vi"' in page and "0:03" in page
    [prompt] = _prompts(app)
    assert prompt.storage_path.startswith("prompts/") and 2700 < prompt.duration_ms < 3200
    home = kiosk.get("/kiosk/").get_data(as_text=True)
    assert "data-speaker" in home and "Nghe hướng dẫn" in home and "speaker.js" in home
    assert f"/kiosk/prompts/{prompt.id}" in home
    sound = kiosk.get(f"/kiosk/prompts/{prompt.id}")
    assert sound.status_code == 200 and sound.get_data() == webm_3s()
    assert "data-speaker" not in kiosk.get("/kiosk/lookup").get_data(as_text=True)
    assert admin.get(f"/admin/kiosk-prompts/{prompt.id}/audio").status_code == 200


def test_replacing_and_deleting_a_prompt_leave_no_file_behind(app, admin, kiosk):
    _upload(admin, "lookup", "vi", webm_3s())
    _upload(admin, "lookup", "vi", ogg_opus(4), name="p.ogg")
    root = Path(app.instance_path) / "recordings" / "prompts"
    [only] = [p for p in root.rglob("*") if p.is_file()]
    assert only.suffix == ".ogg"
    [prompt] = _prompts(app)
    admin.post(
        f"/admin/kiosk-prompts/{prompt.id}/delete",
        data={"csrf_token": page_csrf(admin, "/admin/kiosk-prompts")},
    )
    assert [p for p in root.rglob("*") if p.is_file()] == []
    assert kiosk.get(f"/kiosk/prompts/{prompt.id}").status_code == 404


def test_refused_prompts(admin):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    assert "Chỉ nhận bản ghi âm Opus (WebM hoặc Ogg)." in _message(
        admin, _upload(admin, "home", "vi", png)
    )
    assert "Màn hình không hợp lệ." in _message(admin, _upload(admin, "nowhere", "vi", webm_3s()))
    assert "Ngôn ngữ không hợp lệ." in _message(admin, _upload(admin, "home", "thai", webm_3s()))


def test_only_a_communes_admin_records_prompts(as_user, world):
    officer = as_user("officer1")
    assert officer.get("/admin/kiosk-prompts").status_code == 403


def test_a_prompts_only_language_appears_on_the_home_screen(app, admin, kiosk):
    token = page_csrf(admin, "/admin/kiosk-prompts")
    admin.post("/admin/kiosk-prompts/languages", data={"csrf_token": token, "name": "Tiếng Thái"})
    again = admin.post(
        "/admin/kiosk-prompts/languages", data={"csrf_token": token, "name": "tiếng thái"}
    )
    assert "Ngôn ngữ này đã có." in _message(admin, again)
    # Added but without any prompt yet: no button on the kiosk.
    assert "data-prompt-language" not in kiosk.get("/kiosk/").get_data(as_text=True)
    assert _upload(admin, "home", "tieng-thai", webm_3s()).status_code == 302
    home = kiosk.get("/kiosk/").get_data(as_text=True)
    assert 'data-prompt-language="tieng-thai"' in home and "Tiếng Thái" in home
    assert "<img" not in home.split("data-prompt-language")[1][:300]  # a text button, no flag
    admin.post("/admin/kiosk-prompts/languages/tieng-thai/delete", data={"csrf_token": token})
    assert "data-prompt-language" not in kiosk.get("/kiosk/").get_data(as_text=True)
    assert _prompts(app) == []


def test_prompts_belong_to_their_commune(app, admin, kiosk, world):
    with app.app_context():
        theirs = kiosk_prompts.save_prompt(
            commune_id=world.other_commune_id,
            screen="home",
            language="vi",
            data=ogg_opus(3),
            user_id=None,
        )
        db.session.commit()
        their_id = theirs.id
    assert kiosk.get(f"/kiosk/prompts/{their_id}").status_code == 404
    assert admin.get(f"/admin/kiosk-prompts/{their_id}/audio").status_code == 404
    assert "data-speaker" not in kiosk.get("/kiosk/").get_data(as_text=True)
