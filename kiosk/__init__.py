"""The touchscreen kiosk at the commune office (blueprint at /kiosk) and the public pages.

`bp` serves enrolled kiosk screens only; `public_bp` serves what anyone may see: the status
page of a tracking code (`/t/<code>`) and the printable poster of a commune or hamlet.
"""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static")
public_bp = Blueprint("public", __name__, template_folder="templates")

from kiosk import prompts, public, views, voice  # noqa: E402,F401  (routes attach themselves)
