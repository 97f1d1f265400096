"""Recordings under retention and backups: purge deletes the files, backup/restore bring
them back with the database."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from nghedan.models import Item, ItemAttachment, utcnow
from nghedan.services.items.intake import create_item
from nghedan.services.items.recordings import (
    attach_recording,
    check_recording,
    file_path,
    write_summary,
)
from tests.audio_samples import ogg_opus, webm_3s
from tests.factories import make_commune


def _spoken(commune, data: bytes) -> Item:
    item = create_item(commune_id=commune.id, text="", channel="kiosk", spoken=True)
    attach_recording(item, check_recording(data))
    return item


def _files(app) -> list[Path]:
    root = Path(app.instance_path) / "recordings"
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_purge_deletes_old_finished_recordings_and_their_files(app, db, runner):
    commune = make_commune()
    old, recent = _spoken(commune, webm_3s()), _spoken(commune, ogg_opus(4))
    write_summary(old, "Cống ấp bị tắc.", user_id=None)
    old.status = recent.status = "closed"
    db.commit()
    db.execute(
        Item.__table__.update()
        .where(Item.id == old.id)
        .values(updated_at=utcnow() - timedelta(days=400))
    )
    db.commit()
    old_path = file_path(old.attachments[0].storage_path)
    assert old_path.is_file() and len(_files(app)) == 2
    result = runner.invoke(args=["purge", "--personal-data-older-than", "365"])
    assert result.exit_code == 0, result.output
    assert "1 recordings" in result.output
    db.expire_all()
    assert not old_path.exists() and len(_files(app)) == 1
    kept = db.get(Item, old.id)
    assert kept.attachments == [] and kept.summary == "Cống ấp bị tắc."  # the record stays
    assert len(db.get(Item, recent.id).attachments) == 1


def test_a_purge_rolled_back_keeps_the_files(app, db):
    from nghedan.ops import purge_personal_data

    commune = make_commune()
    item = _spoken(commune, webm_3s())
    item.status = "closed"
    db.commit()
    db.execute(Item.__table__.update().values(updated_at=utcnow() - timedelta(days=400)))
    db.commit()
    assert purge_personal_data(365)["recordings"] == 1
    db.rollback()
    db.commit()  # a later, unrelated commit deletes nothing either
    assert len(_files(app)) == 1 and db.scalar(select(ItemAttachment.id)) is not None


def test_backup_and_restore_round_trip_the_files(app, db, runner, tmp_path):
    commune = make_commune()
    first, second = _spoken(commune, webm_3s()), _spoken(commune, ogg_opus(7))
    db.commit()
    paths = {
        a.storage_path: file_path(a.storage_path).read_bytes()
        for a in (first.attachments[0], second.attachments[0])
    }
    bundle = tmp_path / "nightly.bak"
    result = runner.invoke(args=["backup", "--output", str(bundle)])
    assert result.exit_code == 0, result.output
    with tarfile.open(bundle) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert {r["path"] for r in manifest["recordings"]} == set(paths)
    assert {f"recordings/{p}" for p in paths} <= names and "database" in names
    # Lost: the files and the rows of a later change; the backup brings back what it held.
    for path in _files(app):
        path.unlink()
    _spoken(commune, ogg_opus(9))
    db.commit()
    db.close()
    result = runner.invoke(args=["restore", str(bundle), "--yes"])
    assert result.exit_code == 0, result.output
    restored = list(
        app.extensions["sqlalchemy"].session.scalars(
            select(ItemAttachment).order_by(ItemAttachment.id)
        )
    )
    assert [a.storage_path for a in restored] == list(paths)
    for relative, data in paths.items():
        assert file_path(relative).read_bytes() == data


def test_a_damaged_bundle_restores_nothing(app, db, runner, tmp_path):
    commune = make_commune()
    item = _spoken(commune, webm_3s())
    db.commit()
    bundle = tmp_path / "b.bak"
    assert runner.invoke(args=["backup", "--output", str(bundle)]).exit_code == 0
    damaged = tmp_path / "damaged.bak"
    with tarfile.open(bundle) as src, tarfile.open(damaged, "w") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("recordings/"):
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    file_path(item.attachments[0].storage_path).unlink()
    result = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code != 0 and "damaged recording" in result.output
    assert _files(app) == []
