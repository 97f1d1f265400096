"""Small builders of test data; each adds and flushes, the test decides to commit."""

from __future__ import annotations

import itertools

from nghedan.extensions import db
from nghedan.models import Commune, Hamlet, Officer
from nghedan.services.items.intake import create_item

_seq = itertools.count(1)


def make_commune(name: str = "Tân Thạnh", hamlets=("Ấp Tân Phú", "Ấp Tân Hòa"), **kw) -> Commune:
    n = next(_seq)
    commune = Commune(code=kw.pop("code", f"xa-{n}"), name=name, **kw)
    commune.hamlets = [Hamlet(name=h, kind="ap") for h in hamlets]
    db.session.add(commune)
    db.session.flush()
    return commune


def make_officer(commune: Commune, code: str = "01", name: str = "Nguyễn Thị Lan", **kw) -> Officer:
    officer = Officer(
        commune=commune,
        code=code,
        name=name,
        title=kw.pop("title", "Công chức Văn phòng"),
        desk=kw.pop("desk", "Quầy 1"),
        **kw,
    )
    db.session.add(officer)
    db.session.flush()
    return officer


def make_item(commune: Commune, text: str = "Đường ấp Tân Phú bị ngập nước.", **kw):
    kw.setdefault("channel", "kiosk")
    return create_item(commune_id=commune.id, text=text, **kw)
