"""Report tests reuse the admin panel's world (two communes, a user of each role)."""

from tests.admin.conftest import as_user, world  # noqa: F401 - fixtures
