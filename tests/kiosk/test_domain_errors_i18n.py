"""A refusal at the kiosk is shown in the language the resident chose on the screen."""

from __future__ import annotations

from html import unescape

import flask_babel
from sqlalchemy import func, select

from nghedan.models import Item, Officer, Rating
from tests.kiosk.conftest import form_fields


def _shown(response) -> str:
    assert response.status_code == 422, response.status_code
    return unescape(response.get_data(as_text=True))


def _in_both_languages(client, refuse, vietnamese: str, english: str) -> None:
    shown = refuse()
    assert vietnamese in shown and english not in shown
    client.get("/lang/en")  # the screen's language button
    # The db fixture's app context is shared with the client's requests, and Flask-Babel
    # keeps the locale it chose there: forget it, as a new app context would.
    flask_babel.refresh()
    shown = refuse()
    assert english in shown and vietnamese not in shown


def test_an_empty_opinion_is_refused_in_the_screens_language(kiosk_client, db):
    def refuse():
        page = kiosk_client.get("/kiosk/opinion/write?category=roads").get_data(as_text=True)
        return _shown(
            kiosk_client.post(
                "/kiosk/opinion/write",
                data={**form_fields(page), "category": "roads", "text": "   "},
            )
        )

    _in_both_languages(
        kiosk_client, refuse, "Vui lòng viết nội dung ý kiến.", "Please write your opinion."
    )
    assert db.scalar(select(func.count(Item.id))) == 0


def test_a_too_long_comment_on_a_rating_is_refused_in_the_screens_language(kiosk_client, db):
    officer_id = db.scalar(select(Officer.id).where(Officer.code == "01"))
    url = f"/kiosk/rate/{officer_id}"

    def refuse():
        page = kiosk_client.get(f"{url}/why?score=4").get_data(as_text=True)
        return _shown(
            kiosk_client.post(
                url,
                data={**form_fields(page), "score": "4", "reason": "slow", "comment": "x" * 1001},
            )
        )

    _in_both_languages(
        kiosk_client,
        refuse,
        "Góp ý quá dài. Vui lòng viết ngắn hơn.",
        "The comment is too long. Please write less.",
    )
    assert db.scalar(select(func.count(Rating.id))) == 0
