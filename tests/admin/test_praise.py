"""Praise left with a good rating shows on the officer's satisfaction page, not in the inbox."""

from __future__ import annotations

from sqlalchemy import func, select

from nghedan.extensions import db as _db
from nghedan.models import Commune, Item, Rating
from nghedan.services.people.ratings import record_rating
from tests.factories import make_officer


def test_praise_is_on_the_officers_page_and_not_an_item_to_triage(as_user, app, world):
    with app.app_context():
        officer = make_officer(_db.session.get(Commune, world.commune_id), "07", "Đỗ Thị Ánh")
        items_before = _db.session.scalar(select(func.count(Item.id)))
        praise = record_rating(
            officer_id=officer.id,
            score=1,
            channel="kiosk",
            comment="Chị Ánh hướng dẫn rất tận tình.",
        )
        fine = record_rating(
            officer_id=officer.id,
            score=2,
            channel="sms",
            phone="+84912000111",
            comment="Cảm ơn cán bộ",
        )
        complaint = record_rating(
            officer_id=officer.id,
            score=4,
            channel="sms",
            phone="+84912000222",
            comment="Bắt chờ quá lâu",
        )
        _db.session.commit()
        assert praise.rating.item_id is None and fine.rating.item_id is None
        assert complaint.rating.item_id is not None
        assert _db.session.scalar(select(func.count(Item.id))) == items_before + 1
        assert _db.session.scalar(select(func.count(Rating.id))) == 3
        officer_id = officer.id
    client = as_user("officer1")
    inbox = client.get("/admin/items").get_data(as_text=True)
    assert "hướng dẫn rất tận tình" not in inbox and "Bắt chờ quá lâu" in inbox
    page = client.get("/admin/reports/satisfaction", query_string={"officer": officer_id})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Chị Ánh hướng dẫn rất tận tình." in text and "Cảm ơn cán bộ" in text
