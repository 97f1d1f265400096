"""Open311 GeoReport v2 for other systems (blueprint at /open311/v2).

This file is the routing table; the views live in `open311.views`.
"""

from flask import Blueprint

from nghedan.extensions import csrf

bp = Blueprint("open311", __name__)
# Machines call this API with their own API key, never with a browser session.
csrf.exempt(bp)


def _routes() -> None:
    from open311 import errors, views

    rule = bp.add_url_rule
    rule("/services.<fmt>", "services", views.services)
    rule("/services/<service_code>.<fmt>", "service_definition", views.service_definition)
    rule("/requests.<fmt>", "requests", views.requests_list)
    rule("/requests.<fmt>", "create_request", views.request_create, methods=["POST"])
    rule("/requests/<code>.<fmt>", "request", views.request_one)
    errors.register(bp)


_routes()
