"""Labels declared once at import time (lazy_gettext) follow the official's language."""

from __future__ import annotations

from html import unescape

PAGES = {
    "/admin/kiosks": ("Tên màn hình", "Screen name"),
    "/admin/commune": ("Tên xã, phường", "Name of the commune or ward"),
    "/admin/officers": ("Mã quầy", "Desk code"),
}


def test_form_labels_in_vietnamese_then_english(as_user, world):
    client = as_user("admin1")
    for url, (vietnamese, _) in PAGES.items():
        assert vietnamese in client.get(url).get_data(as_text=True), url
    client.set_cookie("lang", "en")
    for url, (vietnamese, english) in PAGES.items():
        page = unescape(client.get(url).get_data(as_text=True))
        assert english in page and vietnamese not in page, url
    commune = unescape(client.get("/admin/commune").get_data(as_text=True))
    assert "Signing authority when the chairman signs (notices, invitations)" in commune
    assert "Neighbourhood (khóm)" in commune
