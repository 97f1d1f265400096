from datetime import timedelta

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import Item, Message, Rating, utcnow
from nghedan.services.people.ratings import record_rating
from tests.factories import make_commune, make_item, make_officer


def _snapshot(session):
    """Every row of every table, as plain tuples, to compare databases."""
    tables = {}
    for table in _db.metadata.sorted_tables:
        rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [tuple(r) for r in rows]
    return tables


def _fill(db):
    commune = make_commune()
    officer = make_officer(commune)
    make_item(commune, contact_phone="0912345678", contact_name="Bà Lan", category_code="land")
    record_rating(
        officer_id=officer.id,
        score=4,
        channel="sms",
        reasons=["slow"],
        comment="Chờ lâu",
        phone="+84912345678",
    )
    db.commit()


def test_backup_and_restore_round_trip_every_table(app, db, runner, tmp_path):
    _fill(db)
    before = _snapshot(db)
    db.rollback()
    path = tmp_path / "backup.bin"
    result = runner.invoke(args=["backup", "--output", str(path)])
    assert result.exit_code == 0, result.output
    make_item(db.get(Item, 1).commune, text="thêm sau sao lưu")  # a change after the backup
    db.execute(Rating.__table__.delete())
    db.commit()
    db.close()
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _snapshot(_db.session) == before


def test_purge_removes_personal_data_but_keeps_records(app, db, runner):
    _fill(db)
    item = db.scalar(select(Item).where(Item.contact_phone.is_not(None)))
    item.status = "closed"
    db.add(
        Message(
            direction="in",
            channel="twilio",
            phone="+84912345678",
            body="hi",
            status="processed",
            created_at=utcnow() - timedelta(days=400),
        )
    )
    db.commit()
    old = utcnow() - timedelta(days=400)
    db.execute(Item.__table__.update().values(updated_at=old))
    db.execute(Rating.__table__.update().values(created_at=old))
    db.commit()
    result = runner.invoke(args=["purge", "--personal-data-older-than", "365"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    closed = db.get(Item, item.id)
    assert closed.contact_phone is None and closed.contact_name is None
    assert closed.text  # the anonymous record stays
    assert db.scalar(select(Message.phone)) == "purged"
    assert db.scalar(select(Rating.phone)) is None
    assert db.scalar(select(Rating.score)) == 4
    open_item = db.scalar(select(Item).where(Item.status == "new", Item.channel == "sms"))
    assert open_item is None or open_item.contact_phone  # open items keep their contact


def test_purge_refuses_zero_days(runner):
    result = runner.invoke(args=["purge", "--personal-data-older-than", "0"])
    assert result.exit_code != 0 and "at least 1 day" in result.output


def test_db_copy_moves_a_database_into_an_empty_one(app, tmp_path):
    """`nghedan db copy --from <this test's database>` into a fresh SQLite file."""
    from nghedan import create_app
    from nghedan.database import upgrade
    from tests.conftest import base_config

    with app.app_context():
        _fill(_db.session)
        before = _snapshot(_db.session)
        source_url = _db.engine.url.render_as_string(hide_password=False)
        _db.session.remove()
    target_app = create_app(base_config(f"sqlite:///{tmp_path}/copy.db"))
    upgrade(target_app)
    result = target_app.test_cli_runner().invoke(args=["db", "copy", "--from", source_url])
    assert result.exit_code == 0, result.output
    assert "items: 2" in result.output
    with target_app.app_context():
        assert _snapshot(_db.session) == before
        _db.session.remove()
    again = target_app.test_cli_runner().invoke(args=["db", "copy", "--from", source_url])
    assert again.exit_code != 0 and "not empty" in again.output


def test_db_copy_sqlite_into_postgresql_keeps_ids_usable(pg_cluster, tmp_path):
    """The move a growing commune makes: its SQLite file into the province's PostgreSQL."""
    from sqlalchemy import create_engine, text

    from nghedan import create_app
    from nghedan.database import upgrade
    from tests.conftest import base_config

    source = create_app(base_config(f"sqlite:///{tmp_path}/commune.db"))
    upgrade(source)
    with source.app_context():
        _fill(_db.session)
        before = _snapshot(_db.session)
        _db.session.remove()
    admin = create_engine(pg_cluster.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE copy_target"))
    target = create_app(base_config(pg_cluster.url("copy_target")))
    upgrade(target)
    result = target.test_cli_runner().invoke(
        args=["db", "copy", "--from", f"sqlite:///{tmp_path}/commune.db"]
    )
    assert result.exit_code == 0, result.output
    with target.app_context():
        assert _snapshot(_db.session) == before
        commune = _db.session.scalar(select(Item)).commune
        newer = make_item(commune, text="sau khi chuyển sang PostgreSQL")
        _db.session.commit()
        assert newer.id == 3  # sequences continue after the copied rows
        _db.session.remove()
        _db.engine.dispose()
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE copy_target WITH (FORCE)"))
    admin.dispose()
