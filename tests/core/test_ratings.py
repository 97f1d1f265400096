from datetime import timedelta

import pytest
from sqlalchemy import func, select

from nghedan.errors import NotFound, ValidationError
from nghedan.models import Item, Kiosk, Rating
from nghedan.services.people.ratings import officer_by_code, record_rating
from tests.factories import make_commune, make_officer


def ratings(db):
    return db.scalar(select(func.count(Rating.id)))


def test_rating_is_stored(db):
    officer = make_officer(make_commune())
    outcome = record_rating(officer_id=officer.id, score=2, channel="kiosk")
    db.commit()
    assert outcome.created and ratings(db) == 1


def test_low_rating_with_reasons_and_comment_becomes_an_item(db):
    officer = make_officer(make_commune())
    outcome = record_rating(
        officer_id=officer.id,
        score=4,
        channel="kiosk",
        reasons=["slow", "attitude"],
        comment="Chờ 2 tiếng mới được gọi.",
    )
    db.commit()
    item = db.get(Item, outcome.rating.item_id)
    assert item.text == "Chờ 2 tiếng mới được gọi."
    assert item.category.code == "officer_conduct"
    assert outcome.rating.reasons == ["slow", "attitude"]


@pytest.mark.parametrize("score", [0, 5, -1, None])
def test_score_out_of_range_is_refused(db, score):
    officer = make_officer(make_commune())
    with pytest.raises(ValidationError):
        record_rating(officer_id=officer.id, score=score, channel="sms")
    assert ratings(db) == 0


def test_reasons_only_for_lower_levels(db):
    officer = make_officer(make_commune())
    with pytest.raises(ValidationError):
        record_rating(officer_id=officer.id, score=1, channel="kiosk", reasons=["slow"])
    with pytest.raises(ValidationError):
        record_rating(officer_id=officer.id, score=4, channel="kiosk", reasons=["bribe"])


def test_unknown_or_inactive_officer(db):
    officer = make_officer(make_commune(), active=False)
    with pytest.raises(NotFound):
        record_rating(officer_id=officer.id, score=1, channel="sms")
    with pytest.raises(NotFound):
        record_rating(officer_id=12345, score=1, channel="sms")


def test_same_phone_same_officer_within_window_counts_once(db):
    officer = make_officer(make_commune())
    first = record_rating(officer_id=officer.id, score=1, channel="sms", phone="+84912345678")
    again = record_rating(officer_id=officer.id, score=4, channel="sms", phone="+84912345678")
    other = record_rating(officer_id=officer.id, score=4, channel="sms", phone="+84987654321")
    db.commit()
    assert first.created and not again.created and again.ignored == "repeat_phone"
    assert other.created
    assert ratings(db) == 2
    first.rating.created_at -= timedelta(minutes=11)
    db.commit()
    later = record_rating(officer_id=officer.id, score=2, channel="sms", phone="+84912345678")
    assert later.created


def test_kiosk_throttle_counts_ignored(db):
    commune = make_commune()
    officer = make_officer(commune)
    kiosk = Kiosk(commune=commune, name="Quầy một cửa")
    db.add(kiosk)
    db.flush()
    record_rating(officer_id=officer.id, score=1, channel="kiosk", kiosk_id=kiosk.id)
    ignored = record_rating(officer_id=officer.id, score=1, channel="kiosk", kiosk_id=kiosk.id)
    db.commit()
    assert ignored.ignored == "repeat_kiosk"
    assert db.get(Kiosk, kiosk.id).ignored_ratings == 1
    assert ratings(db) == 1


def test_same_client_key_is_one_rating(db):
    officer = make_officer(make_commune())
    a = record_rating(officer_id=officer.id, score=1, channel="kiosk", client_key="k1")
    b = record_rating(officer_id=officer.id, score=1, channel="kiosk", client_key="k1")
    db.commit()
    assert a.rating.id == b.rating.id and ratings(db) == 1


def test_officer_by_desk_code(db):
    commune = make_commune()
    officer = make_officer(commune, code="03")
    assert officer_by_code(commune.id, "3") == officer
    assert officer_by_code(commune.id, "003") == officer
    assert officer_by_code(commune.id, "03") == officer
    assert officer_by_code(commune.id, "9") is None
    assert officer_by_code(commune.id, "abc") is None
