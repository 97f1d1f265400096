import unicodedata

import pytest
from sqlalchemy import func, select

from nghedan.errors import ValidationError
from nghedan.models import Contact, Item, ItemEvent
from nghedan.services.intake import MAX_TEXT_LENGTH, append_text, create_item
from nghedan.tracking_codes import is_valid
from tests.factories import make_commune, make_item


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_item_is_stored_with_a_valid_code_and_history(db):
    commune = make_commune()
    item = make_item(commune, hamlet_id=commune.hamlets[0].id, category_code="roads",
                     contact_phone="0912 345 678", contact_name=" Bà Lan ")
    db.commit()
    stored = db.get(Item, item.id)
    assert is_valid(stored.tracking_code)
    assert stored.status == "new"
    assert stored.contact_phone == "+84912345678"
    assert stored.contact_name == "Bà Lan"
    assert stored.category.code == "roads"
    assert stored.text_folded == "duong ap tan phu bi ngap nuoc."
    assert [e.kind for e in stored.events] == ["created"]
    assert db.scalar(select(Contact.phone)) == "+84912345678"


def test_text_is_stored_as_received_in_nfc(db):
    commune = make_commune()
    raw = unicodedata.normalize("NFD", "  Ngập nước 🌧️ ở ấp  ")
    item = make_item(commune, text=raw)
    db.commit()
    assert db.get(Item, item.id).text == unicodedata.normalize("NFC", raw)


@pytest.mark.parametrize("text,code", [
    ("", "empty_text"), ("   \n\t ", "empty_text"), (None, "empty_text"),
    ("x" * (MAX_TEXT_LENGTH + 1), "text_too_long"),
])
def test_bad_text_is_refused_and_nothing_written(db, text, code):
    commune = make_commune()
    db.commit()
    with pytest.raises(ValidationError) as e:
        make_item(commune, text=text)
    assert e.value.code == code
    db.rollback()
    assert count(db, Item) == 0


def test_unknown_commune_hamlet_or_category_is_refused(db):
    commune = make_commune()
    other = make_commune(name="Mỹ An", hamlets=("Ấp Mỹ Lợi",))
    db.commit()
    with pytest.raises(ValidationError, match="xã"):
        create_item(commune_id=99999, text="xin hỏi", channel="sms")
    with pytest.raises(ValidationError) as e:
        make_item(commune, hamlet_id=other.hamlets[0].id)
    assert e.value.code == "unknown_hamlet"
    with pytest.raises(ValidationError) as e:
        make_item(commune, category_code="no-such")
    assert e.value.code == "unknown_category"
    with pytest.raises(ValidationError) as e:
        make_item(commune, contact_phone="12")
    assert e.value.code == "bad_phone"
    db.rollback()
    assert count(db, Item) == 0


def test_max_length_text_is_kept_whole(db):
    commune = make_commune()
    text = ("Đường ngập " * 1000)[:MAX_TEXT_LENGTH]
    item = make_item(commune, text=text)
    db.commit()
    assert len(db.get(Item, item.id).text) == MAX_TEXT_LENGTH


def test_same_client_key_makes_one_item(db):
    commune = make_commune()
    first = make_item(commune, client_key="kiosk-1:abc")
    second = make_item(commune, client_key="kiosk-1:abc", text="khác")
    db.commit()
    assert first.id == second.id
    assert count(db, Item) == 1
    assert count(db, ItemEvent) == 1


def test_denunciation_is_a_legal_type(db):
    commune = make_commune()
    item = make_item(commune, legal_type="denunciation")
    db.commit()
    assert db.get(Item, item.id).is_denunciation
    with pytest.raises(ValidationError):
        make_item(commune, legal_type="gossip")


def test_append_text_joins_a_further_sms(db):
    commune = make_commune()
    item = make_item(commune, text="Đường ấp", channel="sms", contact_phone="0912345678")
    append_text(item, "bị ngập nước")
    db.commit()
    stored = db.get(Item, item.id)
    assert stored.text == "Đường ấp\nbị ngập nước"
    assert "ngap nuoc" in stored.text_folded
    assert [e.kind for e in stored.events] == ["created", "text_appended"]


def test_ten_thousand_items_get_distinct_valid_codes(db):
    commune = make_commune()
    codes = set()
    for n in range(10_000):
        codes.add(create_item(commune_id=commune.id, text=f"ý kiến {n}", channel="api").tracking_code)
        if n % 1000 == 999:
            db.commit()
    db.commit()
    assert len(codes) == 10_000
    assert all(is_valid(c) for c in codes)
    assert count(db, Item) == 10_000
