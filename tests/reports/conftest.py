"""Report tests reuse the admin panel's world (two communes, a user of each role)."""

from datetime import timedelta

import pytest

from nghedan.extensions import db as _db
from nghedan.models import Commune, utcnow
from nghedan.services.people.users import create_user
from tests.admin.conftest import PASSWORD, as_user, world  # noqa: F401 - fixtures
from tests.factories import make_officer
from tests.reports.builders import add_ratings, seed_quarter


@pytest.fixture
def supervised_quarter(app, world):  # noqa: F811
    """Every case in Tân Thạnh; satisfaction there fell from 100% to 50%; Mỹ Hòa is in order.

    super2 supervises both communes, super0 none. Returns (the seeded quarter, its "now").
    """
    with app.app_context():
        ours = _db.session.get(Commune, world.commune_id)
        other = _db.session.get(Commune, world.other_commune_id)
        now = utcnow() - timedelta(minutes=5)
        seeded = seed_quarter(ours, other, now)
        lan = make_officer(ours, "01", "Nguyễn Thị Lan")
        add_ratings(lan, [1] * 10, now - timedelta(days=60))
        add_ratings(lan, [1] * 5 + [4] * 5, now - timedelta(days=3))
        create_user(
            username="super2",
            password=PASSWORD,
            role="supervisor",
            supervised_commune_ids=(world.commune_id, world.other_commune_id),
        )
        create_user(username="super0", password=PASSWORD, role="supervisor")
        _db.session.commit()
        return seeded, now
