"""Schemathesis over the Open311 API (in-process WSGI): generated requests from
tests/ops/open311_openapi.yaml, checked for no 5xx, documented statuses and content types, and
responses that match the schema. A commune with items and an API key is in the database; half
the cases get the real key, a published code and our commune swapped in, so the successful
paths are tried as well as the refusals."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nghedan.extensions import db as _db
from open311.keys import create_client
from tests.factories import make_commune, make_item

SCHEMA_PATH = Path(__file__).with_name("open311_openapi.yaml")


@pytest.fixture
def published(app) -> dict:
    """A commune with items in several statuses and an API key: what a valid request uses."""
    with app.app_context():
        commune = make_commune("Tân Thạnh", code="tan-thanh")
        codes = []
        for n, status in enumerate(("new", "triaged", "answered", "escalated", "rejected")):
            item = make_item(commune, f"Ý kiến số {n}, gọi 0912 345 678", category_code="roads")
            item.status = status
            codes.append(item.tracking_code)
        _, key = create_client("Cổng góp ý tỉnh")
        _db.session.commit()
        return {"api_key": key, "code": codes[1], "jurisdiction_id": "tan-thanh"}


def made_valid(case, published: dict) -> None:
    """Swap in what a real client would know: its key, a service, a published code, our commune."""
    if isinstance(case.body, dict):
        case.body.update(api_key=published["api_key"], service_code="roads")
    if case.path_parameters and "code" in case.path_parameters:
        case.path_parameters["code"] = published["code"]
    if case.path_parameters and "service_code" in case.path_parameters:
        case.path_parameters["service_code"] = "roads"
    if case.query and "jurisdiction_id" in case.query:
        case.query["jurisdiction_id"] = published["jurisdiction_id"]


def not_a_server_error(ctx, response, case):
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: 5xx"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def exercise(operation, published: dict, seen: Counter) -> None:
    """Generated cases of one operation, each called and checked; statuses counted in `seen`."""

    @given(case=operation.as_strategy(), valid=st.booleans())
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def generated(case, valid):
        if valid:
            made_valid(case, published)
        response = case.call_and_validate(checks=CHECKS)
        seen[response.status_code] += 1

    generated()


def test_open311_conforms_to_its_schema(app, published):
    schema = schemathesis.openapi.from_path(SCHEMA_PATH)
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    statuses = {operation.label: Counter() for operation in operations}
    for operation in operations:
        exercise(operation, published, statuses[operation.label])
    print(statuses)
    # The generated requests reached the successful paths too, not only the errors.
    assert all(any(200 <= code < 300 for code in seen) for seen in statuses.values()), statuses
