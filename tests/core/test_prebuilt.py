"""Hot-path statements run on the DBAPI cursor (nghedan.database.run_prebuilt): the same rows,
values and errors as SQLAlchemy's own execution, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, event, select, update
from sqlalchemy.exc import IntegrityError, StatementError

from nghedan.database import insert_row, insert_row_id, run_prebuilt
from nghedan.extensions import db as _db
from nghedan.models import Contact, Item, ItemEvent, Message
from nghedan.services.sms.contacts import ensure_contact
from tests.factories import make_commune, make_item

_RENAME = update(Contact.__table__).where(Contact.__table__.c.phone == bindparam("old"))
_LANGUAGE = select(Contact.__table__.c.language, Contact.__table__.c.opted_out).where(
    Contact.__table__.c.phone == bindparam("phone")
)


def _watching(engine):
    seen = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    return seen, lambda: event.remove(engine, "before_cursor_execute", watch)


def test_values_are_stored_as_the_orm_stores_them(db):
    item = make_item(make_commune(), text="Cầu ấp 3 xuống cấp 🙏")
    db.commit()
    at = datetime(2026, 11, 23, 7, 30, 15, 123456, tzinfo=UTC)
    event_id = insert_row_id(
        ItemEvent,
        dict(
            item_id=item.id,
            at=at,
            actor="sms",
            kind="created",
            to_status="new",
            detail={"lần": 1, "ok": True},
        ),
    )
    db.commit()
    db.expire_all()
    stored = db.get(ItemEvent, event_id)
    assert stored.at == at and stored.at.tzinfo is not None
    assert stored.detail == {"lần": 1, "ok": True}
    assert stored.item_id == item.id and stored.kind == "created"
    assert [e.id for e in db.get(Item, item.id).events if e.kind == "created"][-1] == event_id


def test_a_row_inserted_and_read_back_in_its_transaction(db):
    commune = make_commune()
    db.commit()
    message = insert_row(
        Message,
        dict(
            direction="in",
            channel="twilio",
            provider_id="SM1",
            phone="+84912345678",
            body="Xin chào",
            parts=1,
            encoding="UCS-2",
            status="received",
            kind="inbound",
            commune_id=commune.id,
        ),
    )
    assert message.flagged is False and message.created_at.tzinfo is not None
    message.flagged = True  # an ORM change to it is flushed like any loaded object's
    db.commit()
    assert db.scalar(select(Message.flagged).where(Message.id == message.id)) is True


def test_constant_defaults_booleans_and_updates(db):
    ensure_contact("+84912345678")
    ensure_contact("+84912345678")  # already there: nothing inserted, no error
    assert tuple(run_prebuilt(_LANGUAGE, {"phone": "+84912345678"}).fetchone()) in (
        ("vi", False),
        ("vi", 0),
    )
    run_prebuilt(_RENAME, {"old": "+84912345678", "phone": "+84987654321"})
    db.commit()
    assert db.scalars(select(Contact.phone)).all() == ["+84987654321"]
    assert run_prebuilt(_LANGUAGE, {"phone": "+84912345678"}).fetchone() is None


def test_a_statement_watcher_sees_every_statement(app, db):
    ensure_contact("+84900000001")
    db.commit()
    seen, stop = _watching(_db.engine)
    try:
        ensure_contact("+84900000002")
        run_prebuilt(_LANGUAGE, {"phone": "+84900000002"}).fetchone()
    finally:
        stop()
    assert any(s.startswith("INSERT INTO contacts") for s in seen)
    assert any(s.startswith("SELECT contacts.language") for s in seen)
    db.commit()
    assert db.scalar(select(Contact.language).where(Contact.phone == "+84900000002")) == "vi"


def test_errors_are_sqlalchemys_and_the_transaction_rolls_back(db):
    commune = make_commune()
    db.commit()
    with pytest.raises(IntegrityError):
        insert_row_id(ItemEvent, dict(item_id=None, actor="sms", kind="created"))
    db.rollback()
    item = make_item(commune)
    db.commit()
    assert db.get(Item, item.id) is not None
    assert db.scalar(select(ItemEvent.id).where(ItemEvent.item_id.is_(None))) is None


def test_a_parameter_left_out_is_named_not_run_as_null(db):
    with pytest.raises(StatementError, match="phone"):
        run_prebuilt(_LANGUAGE, {})
    db.rollback()
