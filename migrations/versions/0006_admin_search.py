"""Admin panel: diacritic-insensitive search over items.text_folded, login-throttle index.

SQLite: an FTS5 table with external content (items), kept in step by triggers.
PostgreSQL: pg_trgm and a GIN trigram index (serves LIKE '%word%').

Revision ID: 0006_admin_search
Revises: 0001_initial
"""

from alembic import op

revision = "0006_admin_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE items_fts USING fts5("
    "text_folded, content='items', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN "
    "INSERT INTO items_fts(rowid, text_folded) VALUES (new.id, new.text_folded); END",
    "CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, text_folded) "
    "VALUES ('delete', old.id, old.text_folded); END",
    "CREATE TRIGGER items_fts_update AFTER UPDATE OF text_folded ON items BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, text_folded) "
    "VALUES ('delete', old.id, old.text_folded); "
    "INSERT INTO items_fts(rowid, text_folded) VALUES (new.id, new.text_folded); END",
    "INSERT INTO items_fts(items_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS items_fts_update",
    "DROP TRIGGER IF EXISTS items_fts_delete",
    "DROP TRIGGER IF EXISTS items_fts_insert",
    "DROP TABLE IF EXISTS items_fts",
)
POSTGRES_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_items_text_folded_trgm ON items USING gin (text_folded gin_trgm_ops)",
)
POSTGRES_DOWN = ("DROP INDEX IF EXISTS ix_items_text_folded_trgm",)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)
    # Login throttling counts recent failures per address and per account.
    op.create_index("ix_audit_events_action_at", "audit_events", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_action_at", table_name="audit_events")
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
