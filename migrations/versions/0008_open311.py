"""Open311 API clients (hashed keys) and covering indexes for the reports.

Revision ID: 0008_open311
Revises: 0001_initial
"""

from alembic import op
import sqlalchemy as sa

revision = "0008_open311"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=12), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"],
                                name=op.f("fk_api_clients_commune_id_communes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_clients_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_api_clients_name")),
    )
    # Plain CREATE INDEX (no batch table copy, so other heads' triggers on items survive).
    # The reports group a commune's rows of a period: these indexes cover those queries.
    op.create_index("ix_ratings_report", "ratings",
                    ["commune_id", "created_at", "officer_id", "score", "channel"])
    # Every column the activity report reads, so a quarter is one index range scan.
    op.create_index("ix_items_report", "items",
                    ["commune_id", "created_at", "status", "channel", "category_id",
                     "legal_type", "hamlet_id", "answered_at", "due_date", "outcome",
                     "dialogue_id"])


def downgrade() -> None:
    op.drop_index("ix_items_report", table_name="items")
    op.drop_index("ix_ratings_report", table_name="ratings")
    op.drop_table("api_clients")
