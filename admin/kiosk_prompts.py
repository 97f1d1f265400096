"""The kiosk's spoken prompts, recorded by the commune: per screen and language, recorded in
the browser or uploaded; and the prompts-only languages the kiosk offers on its home screen."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import require_role
from nghedan.refusals import on_refusal
from nghedan.services.items.recordings import file_path, max_seconds
from nghedan.services.people import kiosk_prompts


def _commune_id() -> int:
    if current_user.commune_id is None:
        abort(404)
    return current_user.commune_id


@require_role("admin")
def index():
    """The prompts of every screen in every language, and the form to record or upload one."""
    commune_id = _commune_id()
    on_refusal(_page_again)
    if request.method == "POST":
        upload = request.files.get("prompt")
        kiosk_prompts.save_prompt(
            commune_id=commune_id,
            screen=request.form.get("screen", ""),
            language=request.form.get("language", ""),
            data=upload.read() if upload else b"",
            user_id=current_user.id,
        )
        flash(_("Đã lưu lời hướng dẫn."), "ok")
        return redirect(url_for("admin.kiosk_prompts"))
    return _page(commune_id)


def _page_again(error) -> str:
    """The page again with the refusal (the request was rolled back)."""
    flash(error.message, "error")
    return _page(_commune_id())


def _page(commune_id: int) -> str:
    return render_template(
        "admin/kiosk_prompts.html",
        screens=kiosk_prompts.SCREENS,
        languages=kiosk_prompts.language_codes(commune_id),
        own_languages=kiosk_prompts.languages(commune_id),
        table=kiosk_prompts.prompt_table(commune_id),
        max_seconds=max_seconds(),
    )


@require_role("admin")
def delete(prompt_id: int):
    prompt = kiosk_prompts.prompt_by_id(_commune_id(), prompt_id)
    if prompt is None:
        abort(404)
    kiosk_prompts.delete_prompt(prompt)
    flash(_("Đã xóa lời hướng dẫn."), "ok")
    return redirect(url_for("admin.kiosk_prompts"))


@require_role("admin")
def audio(prompt_id: int):
    prompt = kiosk_prompts.prompt_by_id(_commune_id(), prompt_id)
    if prompt is None:
        abort(404)
    return send_file(
        file_path(prompt.storage_path),
        mimetype=prompt.content_type,
        conditional=True,
        etag=prompt.sha256,
    )


@require_role("admin")
def add_language():
    on_refusal(_page_again)
    language = kiosk_prompts.add_language(_commune_id(), request.form.get("name", ""))
    flash(_("Đã thêm ngôn ngữ %(name)s.", name=language.name), "ok")
    return redirect(url_for("admin.kiosk_prompts"))


@require_role("admin")
def remove_language(code: str):
    kiosk_prompts.remove_language(_commune_id(), code)
    flash(_("Đã bỏ ngôn ngữ."), "ok")
    return redirect(url_for("admin.kiosk_prompts"))
