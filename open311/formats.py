"""GeoReport v2 responses in JSON or XML (the spec's element names and nesting)."""

from __future__ import annotations

import json
from xml.etree.ElementTree import Element, SubElement, tostring

from flask import Response

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
_XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


def _xml_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_xml(root: str, child: str, records: list[dict]) -> bytes:
    """`<root><child><field>value</field>…</child>…</root>`, UTF-8 with a declaration."""
    top = Element(root)
    for record in records:
        node = SubElement(top, child)
        for key, value in record.items():
            SubElement(node, key).text = _xml_value(value)
    return _XML_DECLARATION + tostring(top, encoding="unicode").encode()


def respond(records: list[dict], fmt: str, root: str, child: str, status: int = 200) -> Response:
    if fmt == "xml":
        body = to_xml(root, child, records)
    else:
        body = json.dumps(records, ensure_ascii=False).encode()
    return Response(body, status=status, content_type=CONTENT_TYPES[fmt])


def definition(service_code: str, fmt: str) -> Response:
    """A service definition with no attributes (`<service_definition>` in XML)."""
    if fmt == "xml":
        top = Element("service_definition")
        SubElement(top, "service_code").text = service_code
        SubElement(top, "attributes")
        body = _XML_DECLARATION + tostring(top, encoding="unicode").encode()
    else:
        body = json.dumps(
            {"service_code": service_code, "attributes": []}, ensure_ascii=False
        ).encode()
    return Response(body, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> Response:
    """The spec's error list: `[{"code": 400, "description": "…"}]` or `<errors><error>…`."""
    return respond(
        [{"code": status, "description": description}], fmt, "errors", "error", status=status
    )
