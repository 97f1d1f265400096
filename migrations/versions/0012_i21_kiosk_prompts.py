"""The kiosk speaks: prompts recorded by the commune per screen and language, and the
prompts-only languages a commune adds.

Revision ID: 0012_i21_kiosk_prompts
Revises: 0011_i21_voice
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_i21_kiosk_prompts"
down_revision = "0011_i21_voice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk_languages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name="fk_kiosk_languages_commune_id_communes"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_kiosk_languages"),
        sa.UniqueConstraint("commune_id", "code", name="uq_kiosk_languages_commune_id"),
    )
    op.create_index("ix_kiosk_languages_commune_id", "kiosk_languages", ["commune_id"])
    op.create_table(
        "kiosk_prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("screen", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=24), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("storage_path", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name="fk_kiosk_prompts_commune_id_communes"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_kiosk_prompts_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_kiosk_prompts"),
        sa.UniqueConstraint("commune_id", "screen", "language", name="uq_kiosk_prompts_commune_id"),
    )
    op.create_index("ix_kiosk_prompts_commune_id", "kiosk_prompts", ["commune_id"])


def downgrade() -> None:
    op.drop_table("kiosk_prompts")
    op.drop_table("kiosk_languages")
