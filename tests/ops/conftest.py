"""Fixtures of the operations tests: the production stack as processes, always stopped."""

from __future__ import annotations

import uuid

import pytest

from tests.ops.stack import Stack, create_database


@pytest.fixture
def pg_database(pg_cluster):
    """A new, empty database in the suite's PostgreSQL cluster (migrated by the stack)."""
    name = f"ops_{uuid.uuid4().hex[:8]}"
    create_database(pg_cluster.admin_url, name)
    return pg_cluster.url(name)


@pytest.fixture
def start_stack(request, tmp_path):
    """start_stack(database_url, **options) -> a running Stack, stopped after the test."""

    def start(database_url: str, **options) -> Stack:
        stack = Stack(database_url, tmp_path, **options)
        request.addfinalizer(stack.stop)
        return stack.start()

    return start
