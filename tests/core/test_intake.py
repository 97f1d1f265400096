import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nghedan.errors import ValidationError
from nghedan.models import Contact, Item, ItemEvent
from nghedan.services.items.intake import MAX_TEXT_LENGTH, append_text, create_item
from nghedan.tracking_codes import is_valid
from tests.factories import make_commune, make_item


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_item_is_stored_with_a_valid_code_and_history(db):
    commune = make_commune()
    item = make_item(
        commune,
        hamlet_id=commune.hamlets[0].id,
        category_code="roads",
        contact_phone="0912 345 678",
        contact_name=" Bà Lan ",
    )
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


@pytest.mark.parametrize(
    "text,code",
    [
        ("", "empty_text"),
        ("   \n\t ", "empty_text"),
        (None, "empty_text"),
        ("x" * (MAX_TEXT_LENGTH + 1), "text_too_long"),
    ],
)
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
        item = create_item(commune_id=commune.id, text=f"ý kiến {n}", channel="api")
        codes.add(item.tracking_code)
        if n % 1000 == 999:
            db.commit()
    db.commit()
    assert len(codes) == 10_000
    assert all(is_valid(c) for c in codes)
    assert count(db, Item) == 10_000


def test_a_fresh_process_stores_its_first_item_whole(db, app_config):
    # The item is inserted by an ORM INSERT … RETURNING; in a new process (a gunicorn
    # worker's first request) nothing has configured the mappers before it runs.
    commune_id = make_commune().id
    db.commit()  # and nothing read afterwards: on SQLite a read would hold the write lock
    script = (
        "import json, sys\n"
        "from nghedan import create_app\n"
        "from nghedan.database import unit_of_work\n"
        "from nghedan.services.items.intake import create_item\n"
        "app = create_app(json.loads(sys.argv[1]))\n"
        "with app.app_context(), unit_of_work():\n"
        "    item = create_item(commune_id=int(sys.argv[2]), text='Đèn đường hỏng',\n"
        "                       channel='sms', contact_phone='0912 345 678')\n"
        "    print(item.tracking_code, item.status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(app_config), str(commune_id)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    code, status = done.stdout.split()[-2:]
    assert status == "new"
    stored = db.scalar(select(Item).where(Item.tracking_code == code))
    assert stored.text == "Đèn đường hỏng" and stored.contact_phone == "+84912345678"
