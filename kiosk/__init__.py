"""The touchscreen kiosk at the commune office (blueprint mounted at /kiosk)."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static")
