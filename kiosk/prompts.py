"""The kiosk speaks: each screen's speaker button plays the prompt the commune recorded for
it, in the kiosk's language or in a prompts-only language chosen on the home screen."""

from __future__ import annotations

from flask import abort, g, request, send_file, url_for

from kiosk.device import current_kiosk
from nghedan.services.items.recordings import file_path
from nghedan.services.people import kiosk_prompts

# Which screen each kiosk page is (a refused form shows its screen again).
SCREEN_OF_ENDPOINT = {
    "kiosk.home": "home",
    "kiosk.officers": "officers",
    "kiosk.faces": "faces",
    "kiosk.why": "why",
    "kiosk.rate": "why",
    "kiosk.categories": "categories",
    "kiosk.write": "write",
    "kiosk.send_opinion": "write",
    "kiosk.send_spoken_opinion": "write",
    "kiosk.receipt": "receipt",
    "kiosk.lookup": "lookup",
    "kiosk.thanks": "thanks",
}


def speaker() -> dict:
    """The screen's prompts by language, and the prompts-only languages that have prompts."""
    screen = SCREEN_OF_ENDPOINT.get(request.endpoint or "")
    if screen is None or g.get("kiosk") is None:
        return {"screen_prompts": {}, "prompt_languages": []}
    table = kiosk_prompts.prompt_table(g.kiosk.commune_id)
    spoken = {language for (_screen, language) in table}
    return {
        "screen_prompts": {
            language: url_for("kiosk.prompt_audio", prompt_id=prompt.id)
            for (on, language), prompt in table.items()
            if on == screen
        },
        "prompt_languages": [
            lang for lang in kiosk_prompts.languages(g.kiosk.commune_id) if lang.code in spoken
        ],
    }


def prompt_audio(prompt_id: int):
    """A prompt's sound, for the kiosks of its commune only."""
    prompt = kiosk_prompts.prompt_by_id(current_kiosk().commune_id, prompt_id)
    if prompt is None:
        abort(404)
    try:
        path = file_path(prompt.storage_path)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=prompt.content_type, conditional=True, etag=prompt.sha256)
