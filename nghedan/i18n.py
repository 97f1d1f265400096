"""Languages: Vietnamese first, English second; the choice is kept in a cookie."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask import Flask, request
from flask_babel import force_locale

from nghedan.extensions import babel

LANG_COOKIE = "lang"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Each part of the code keeps its own catalogue; Flask-Babel merges them.
TRANSLATION_DIRS = [
    str(PROJECT_ROOT / part / "translations")
    for part in ("nghedan", "kiosk", "sms_gateway", "admin", "open311")
]


def in_language(code: str) -> AbstractContextManager[None]:
    """Flask-Babel's `force_locale` for a resident's language ("vi", "en"): what an SMS to
    them is written in. The parsed locale is kept (parsing looks on disk every time)."""
    return force_locale(_parsed_locale(code))


@lru_cache(maxsize=32)
def _parsed_locale(code: str) -> Locale:
    return Locale.parse(code)


def select_locale() -> str:
    from flask import current_app, has_request_context

    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        chosen = request.cookies.get(LANG_COOKIE)
        if chosen in languages:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(TRANSLATION_DIRS))
    babel.init_app(app, locale_selector=select_locale)
    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale
