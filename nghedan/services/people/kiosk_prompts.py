"""The kiosk speaks: each screen's prompt, recorded by the commune (its own announcer, the way
the commune loudspeaker works), per screen and per language.

Vietnamese and English are the kiosk's own languages; a commune may add languages made of
recorded prompts only (Thái, H'Mông…), offered as text buttons on the kiosk's home screen.
A prompt is a sound file under RECORDING_DIR/prompts, checked as a resident's recording is.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nghedan.errors import NotFound, ValidationError
from nghedan.extensions import db
from nghedan.models import KioskLanguage, KioskPrompt
from nghedan.services.items.recordings import (
    check_recording,
    delete_files_after_commit,
    store_file,
)
from nghedan.text import collapse_spaces, fold_diacritics, nfc

# The kiosk's screens, in the order a resident meets them, with what each prompt should say.
SCREENS = {
    "home": _l("Trang đầu: chọn đánh giá cán bộ, góp ý, hoặc tra cứu"),
    "officers": _l("Chọn cán bộ đã tiếp ông/bà"),
    "faces": _l("Chọn mức hài lòng"),
    "why": _l("Lý do chưa hài lòng"),
    "categories": _l("Chọn lĩnh vực của ý kiến"),
    "write": _l("Viết hoặc nói ý kiến"),
    "receipt": _l("Phiếu nhận ý kiến và mã tra cứu"),
    "lookup": _l("Tra cứu bằng mã"),
    "thanks": _l("Cảm ơn"),
}
BUILT_IN_LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
MAX_LANGUAGE_NAME = 40
MAX_LANGUAGES = 8


def languages(commune_id: int) -> list[KioskLanguage]:
    """The commune's prompts-only languages, in the order they were added."""
    return list(
        db.session.scalars(
            select(KioskLanguage)
            .where(KioskLanguage.commune_id == commune_id)
            .order_by(KioskLanguage.id)
        )
    )


def language_codes(commune_id: int) -> dict[str, str]:
    """Every language a prompt may be in: code → name (Vietnamese, English, the commune's)."""
    return {**BUILT_IN_LANGUAGES, **{lang.code: lang.name for lang in languages(commune_id)}}


def add_language(commune_id: int, name: str) -> KioskLanguage:
    """A prompts-only language, named as its button will say it ("Tiếng Thái")."""
    name = collapse_spaces(nfc(name or "").strip())
    if not name or len(name) > MAX_LANGUAGE_NAME:
        raise ValidationError(
            _l("Cần ghi tên ngôn ngữ (tối đa %(n)s ký tự).", n=MAX_LANGUAGE_NAME),
            code="bad_language_name",
        )
    code = "-".join(fold_diacritics(name).replace("'", "").split())[:24]
    if not code.replace("-", "").isalnum():
        raise ValidationError(_l("Tên ngôn ngữ chưa hợp lệ."), code="bad_language_name")
    existing = language_codes(commune_id)
    if code in existing or name.casefold() in {n.casefold() for n in existing.values()}:
        raise ValidationError(_l("Ngôn ngữ này đã có."), code="language_exists")
    if len(existing) - len(BUILT_IN_LANGUAGES) >= MAX_LANGUAGES:
        raise ValidationError(_l("Đã đủ số ngôn ngữ cho phép."), code="too_many_languages")
    language = KioskLanguage(commune_id=commune_id, code=code, name=name)
    db.session.add(language)
    db.session.flush()
    return language


def remove_language(commune_id: int, code: str) -> None:
    """Remove a prompts-only language with its prompts."""
    language = db.session.scalar(
        select(KioskLanguage).where(
            KioskLanguage.commune_id == commune_id, KioskLanguage.code == code
        )
    )
    if language is None:
        raise NotFound(_l("Không tìm thấy ngôn ngữ này."), code="unknown_language")
    for prompt in prompts(commune_id):
        if prompt.language == code:
            delete_prompt(prompt)
    db.session.delete(language)


def prompts(commune_id: int) -> list[KioskPrompt]:
    return list(db.session.scalars(select(KioskPrompt).where(KioskPrompt.commune_id == commune_id)))


def prompt_table(commune_id: int) -> dict[tuple[str, str], KioskPrompt]:
    """The commune's prompts by (screen, language)."""
    return {(p.screen, p.language): p for p in prompts(commune_id)}


def save_prompt(
    *, commune_id: int, screen: str, language: str, data: bytes, user_id: int | None
) -> KioskPrompt:
    """Keep a screen's prompt in a language (replacing the one it had)."""
    if screen not in SCREENS:
        raise ValidationError(_l("Màn hình không hợp lệ."), code="bad_screen")
    if language not in language_codes(commune_id):
        raise ValidationError(_l("Ngôn ngữ không hợp lệ."), code="bad_language")
    recording = check_recording(data)
    prompt = prompt_table(commune_id).get((screen, language))
    if prompt is None:
        prompt = KioskPrompt(commune_id=commune_id, screen=screen, language=language)
        db.session.add(prompt)
    elif prompt.storage_path:
        delete_files_after_commit({prompt.storage_path})
    prompt.content_type = recording.content_type
    prompt.storage_path = store_file(recording, "prompts")
    prompt.sha256 = recording.sha256
    prompt.duration_ms = round(recording.seconds * 1000)
    prompt.user_id = user_id
    db.session.flush()
    return prompt


def delete_prompt(prompt: KioskPrompt) -> None:
    """Remove a prompt; its file goes once the change is committed."""
    delete_files_after_commit({prompt.storage_path})
    db.session.delete(prompt)
    db.session.flush()


def prompt_by_id(commune_id: int, prompt_id: int) -> KioskPrompt | None:
    prompt = db.session.get(KioskPrompt, prompt_id)
    return prompt if prompt is not None and prompt.commune_id == commune_id else None
