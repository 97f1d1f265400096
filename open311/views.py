"""Open311 GeoReport v2 endpoints: services (list, definition), requests (list, one, create)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from nghedan.database import reads_only
from nghedan.models import Commune
from nghedan.services.items.categories import category_id, ordered_categories
from nghedan.services.items.intake import create_item
from nghedan.services.people import places
from nghedan.text import fold_diacritics
from nghedan.tracking_codes import is_valid
from open311 import formats, service_requests
from open311.errors import refuse
from open311.keys import client_for_key


def _fmt(fmt: str) -> str:
    if fmt not in formats.FORMATS:
        refuse(404, _("Chỉ có định dạng .json và .xml."))
    return fmt


def _locale() -> str:
    return "en" if request.values.get("locale", "").lower().startswith("en") else "vi"


def _jurisdiction() -> Commune | None:
    """The commune named by `jurisdiction_id` (our commune code); 404 when unknown."""
    code = request.values.get("jurisdiction_id")
    if not code:
        return None
    commune = places.commune_by_code(code)
    if commune is None:
        refuse(404, _("Không có xã, phường nào có mã jurisdiction_id này."))
    return commune


@reads_only
def services(fmt: str):
    """Our categories, as GeoReport services."""
    fmt = _fmt(fmt)
    _jurisdiction()
    english = _locale() == "en"
    records = [
        {
            "service_code": c.code,
            "service_name": c.name_en if english else c.name,
            "description": c.name_en if english else c.name,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        }
        for c in ordered_categories()
    ]
    return formats.respond(records, fmt, "services", "service")


@reads_only
def service_definition(service_code: str, fmt: str):
    """A service's extra fields: none, since every service has `metadata: false`."""
    fmt = _fmt(fmt)
    _jurisdiction()
    if _category_id(service_code) is None:
        return formats.error(fmt, 404, _("Không có dịch vụ (service_code) này."))
    return formats.definition(service_code, fmt)


def _category_id(service_code: str) -> int | None:
    if not service_code or "\x00" in service_code:  # a NUL can come in the path
        return None
    return category_id(service_code)


def _split(name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in request.args.get(name, "").split(",") if v.strip())


@reads_only
def requests_list(fmt: str):
    """Requests matching the spec's filters: ids, service_code, dates, status."""
    fmt = _fmt(fmt)
    commune = _jurisdiction()
    try:
        start = request.args.get("start_date")
        end = request.args.get("end_date")
        query = service_requests.RequestQuery(
            codes=_split("service_request_id"),
            service_codes=_split("service_code"),
            start=service_requests.parse_datetime(start) if start else None,
            end=service_requests.parse_datetime(end) if end else None,
            statuses=tuple(s.lower() for s in _split("status")),
            commune_id=commune.id if commune else None,
        )
    except ValueError:
        return formats.error(fmt, 400, _("Ngày giờ không đúng định dạng W3C (ISO 8601)."))
    if any(s not in ("open", "closed") for s in query.statuses):
        return formats.error(fmt, 400, _("Trạng thái chỉ có thể là open hoặc closed."))
    locale = _locale()
    records = [service_requests.as_request(i, locale) for i in service_requests.find(query)]
    return formats.respond(records, fmt, "service_requests", "request")


@reads_only
def request_one(code: str, fmt: str):
    """One request by its tracking code (a list of one, as the spec says)."""
    fmt = _fmt(fmt)
    item = service_requests.by_code(code) if is_valid(code) else None
    commune = _jurisdiction()
    if item is None or (commune is not None and item.commune_id != commune.id):
        return formats.error(fmt, 404, _("Không tìm thấy yêu cầu có mã này."))
    return formats.respond(
        [service_requests.as_request(item, _locale())], fmt, "service_requests", "request"
    )


def request_create(fmt: str):
    """A new item from an integrating system (`api_key` required), via the intake service."""
    fmt = _fmt(fmt)
    client = client_for_key(request.form.get("api_key"))
    if client is None:
        return formats.error(fmt, 403, _("Khóa API không hợp lệ hoặc đã bị thu hồi."))
    commune, problem = _target_commune(client)
    if problem:
        return formats.error(fmt, 400, problem)
    code = request.form.get("service_code", "").strip()
    if _category_id(code) is None:
        return formats.error(fmt, 400, _("Thiếu service_code hoặc service_code không có."))
    item = create_item(
        commune_id=commune.id,
        text=request.form.get("description", ""),
        channel="api",
        category_code=code,
        hamlet_id=_hamlet_id(commune, request.form.get("address_string")),
        contact_phone=request.form.get("phone") or None,
        contact_name=_contact_name(),
    )
    notice = _("Ý kiến đã được tiếp nhận, mã tra cứu %(code)s.", code=item.tracking_code)
    return formats.respond(
        [{"service_request_id": item.tracking_code, "service_notice": notice, "account_id": None}],
        fmt,
        "service_requests",
        "request",
        status=201,
    )


def _target_commune(client) -> tuple[Commune | None, str | None]:
    """The client's own commune, else `jurisdiction_id`, else the only commune there is."""
    named = _jurisdiction()
    if client.commune_id is not None:
        if named is not None and named.id != client.commune_id:
            return None, _("Khóa API này không được gửi cho xã, phường đó.")
        return places.commune_by_id(client.commune_id), None
    if named is not None:
        return named, None
    only = places.sole_commune()
    if only is not None:
        return only, None
    return None, _("Cần jurisdiction_id (mã xã, phường).")


def _hamlet_id(commune: Commune, address: str | None) -> int | None:
    """The hamlet whose name the address mentions (without diacritics), if any."""
    if not address:
        return None
    folded = fold_diacritics(address)
    hamlets = places.active_hamlets(commune.id)
    for hamlet in sorted(hamlets, key=lambda h: -len(h.name)):
        if fold_diacritics(hamlet.name) in folded:
            return hamlet.id
    return None


def _contact_name() -> str | None:
    """Vietnamese order: family name (`last_name`) first."""
    parts = (request.form.get("last_name", "").strip(), request.form.get("first_name", "").strip())
    return " ".join(p for p in parts if p) or None
