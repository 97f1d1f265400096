"""A backup as one file: the database's own backup and the recorded sound files beside it.

The bundle is a tar archive: `manifest.json` (format, what the database part is, every
sound file with its SHA-256), `database` (an SQLite copy or a `pg_dump -Fc` archive) and
`recordings/<path>` for each file under RECORDING_DIR (residents' spoken opinions, the
kiosk's prompts). Restoring reads only what the manifest names, checks each hash, and never
writes outside RECORDING_DIR. A backup from before bundles (a bare database file) still
restores.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nghedan.services.items.recordings import file_path, recordings_dir

FORMAT = "nghedan-backup/1"
MANIFEST, DATABASE = "manifest.json", "database"


class BundleError(RuntimeError):
    """The bundle is damaged or not ours; the message says what is wrong."""


def write_bundle(destination: Path, database_file: Path, engine: str) -> dict:
    """Write the bundle (atomically) from a finished database backup; returns the counts."""
    files = _sound_files()
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "recordings": [{"path": rel, "sha256": _sha256(path)} for rel, path in files],
    }
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".backup-")
    os.close(handle)
    with tarfile.open(temporary, "w") as tar:
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
        tar.add(database_file, arcname=DATABASE)
        for rel, path in files:
            tar.add(path, arcname=f"recordings/{rel}")
    os.replace(temporary, destination)
    return {"recordings": len(files)}


def is_bundle(source: Path) -> bool:
    if not tarfile.is_tarfile(source):
        return False
    with tarfile.open(source) as tar:
        return MANIFEST in tar.getnames()


@contextmanager
def opened_bundle(source: Path) -> Iterator[tuple[Path, dict]]:
    """The bundle's database part as a temporary file, and its manifest."""
    with tarfile.open(source) as tar, tempfile.TemporaryDirectory() as folder:
        manifest = json.loads(_member(tar, MANIFEST))
        if manifest.get("format") != FORMAT:
            raise BundleError(f"not a nghedan backup: {source}")
        _check_recordings(tar, manifest)  # before anything is replaced
        database = Path(folder) / DATABASE
        with database.open("wb") as out:  # a pg_dump may be large: streamed, not read whole
            shutil.copyfileobj(_member_file(tar, DATABASE), out)
        yield database, manifest


def _check_recordings(tar: tarfile.TarFile, manifest: dict) -> None:
    for entry in manifest.get("recordings", []):
        data = _member(tar, f"recordings/{entry['path']}")
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise BundleError(f"damaged recording in the backup: {entry['path']}")
        try:
            file_path(entry["path"])
        except ValueError as e:
            raise BundleError(str(e)) from e


def restore_recordings(source: Path, manifest: dict) -> int:
    """Put every sound file of the bundle back under RECORDING_DIR (checked on opening)."""
    restored = 0
    with tarfile.open(source) as tar:
        for entry in manifest.get("recordings", []):
            data = _member(tar, f"recordings/{entry['path']}")
            target = file_path(entry["path"])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            restored += 1
    return restored


def _sound_files() -> list[tuple[str, Path]]:
    root = recordings_dir()
    if not root.is_dir():
        return []
    return sorted(
        (path.relative_to(root).as_posix(), path)
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(".part-")
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    return _member_file(tar, name).read()


def _member_file(tar: tarfile.TarFile, name: str):
    try:
        member = tar.getmember(name)
    except KeyError as e:
        raise BundleError(f"the backup has no {name}") from e
    extracted = tar.extractfile(member) if member.isfile() else None
    if extracted is None:
        raise BundleError(f"{name} in the backup is not a file")
    return extracted
