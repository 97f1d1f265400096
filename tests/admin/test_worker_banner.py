"""Officials see when no `nghedan worker` runs: texts are stored but nobody answers them."""

from __future__ import annotations

from nghedan.extensions import db as _db
from nghedan.services.health import beat


def test_the_panel_says_when_no_worker_runs_and_stops_saying_it_once_one_beats(app, as_user, world):
    client = as_user("officer1")
    page = client.get("/admin/items").get_data(as_text=True)
    assert 'class="flash system-alert"' in page and "nghedan worker" in page
    with app.app_context():
        beat("worker-test")
        _db.session.commit()
    assert "system-alert" not in client.get("/admin/items").get_data(as_text=True)
