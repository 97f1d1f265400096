"""Hamlets' households and adults (the bases of the dialogues' attendance rate) on the
commune page: admins enter them, bad numbers are refused with the field named, others read."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.extensions import db as _db
from nghedan.models import AuditEvent, Hamlet
from tests.admin.conftest import page_csrf


def _hamlet(app, name: str) -> Hamlet:
    with app.app_context():
        return _db.session.scalar(select(Hamlet).where(Hamlet.name == name))


def test_admin_enters_households_and_adults(as_user, app, world):
    client = as_user("admin1")
    token = page_csrf(client, "/admin/commune")
    client.post(
        "/admin/commune/hamlets",
        data={
            "csrf_token": token,
            "name": "Ấp Mới",
            "kind": "ap",
            "households": "420",
            "adults": "",
        },
    )
    hamlet = _hamlet(app, "Ấp Mới")
    assert (hamlet.households, hamlet.adults) == (420, None)  # empty: unknown
    client.post(
        f"/admin/commune/hamlets/{hamlet.id}",
        data={
            "csrf_token": token,
            "name": "Ấp Mới",
            "kind": "ap",
            "households": "430",
            "adults": "1100",
        },
    )
    hamlet = _hamlet(app, "Ấp Mới")
    assert (hamlet.households, hamlet.adults) == (430, 1100)
    with app.app_context():
        changed = _db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "hamlet.updated")
        ).all()
        assert {"changes": {"households": [420, 430], "adults": [None, 1100]}} in changed
    page = client.get("/admin/commune").get_data(as_text=True)
    assert 'name="households" type="number" min="1" inputmode="numeric" value="430"' in page


def test_bad_numbers_are_refused_and_nothing_changes(as_user, app, world):
    client = as_user("admin1")
    token = page_csrf(client, "/admin/commune")
    hamlet_id = _hamlet(app, "Ấp Tân Phú").id
    for bad in ("-5", "0", "nhiều", "99999999999"):
        response = client.post(
            f"/admin/commune/hamlets/{hamlet_id}",
            data={"csrf_token": token, "name": "Ấp Tân Phú Mới", "kind": "ap", "households": bad},
            follow_redirects=True,
        )
        assert response.status_code == 200
        assert "Số hộ:" in response.get_data(as_text=True)
        hamlet = _hamlet(app, "Ấp Tân Phú")
        assert hamlet is not None and hamlet.households is None


def test_others_read_the_figures_and_cannot_change_them(app, as_user, world):
    with app.app_context():
        hamlet = _db.session.scalar(select(Hamlet).where(Hamlet.name == "Ấp Tân Phú"))
        hamlet.households, hamlet.adults = 1750, 4200
        hamlet_id = hamlet.id
        _db.session.commit()
    client = as_user("officer1")
    page = client.get("/admin/commune").get_data(as_text=True)
    assert '<td class="num">1.750</td><td class="num">4.200</td>' in page
    token = page_csrf(client, "/admin/items")
    refused = client.post(
        f"/admin/commune/hamlets/{hamlet_id}",
        data={"csrf_token": token, "name": "Ấp Tân Phú", "kind": "ap", "households": "1"},
    )
    assert refused.status_code == 403
    assert _hamlet(app, "Ấp Tân Phú").households == 1750
