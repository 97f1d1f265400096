"""The admin panel for commune officials and supervisors (blueprint at /admin)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates", static_folder="static")
