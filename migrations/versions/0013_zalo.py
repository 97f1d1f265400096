"""Zalo Official Account: the OA behind a channel with its rotating tokens, and its users.

Revision ID: 0013_zalo
Revises: 0011_inbound_pipeline, 0012_i21_kiosk_prompts
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_zalo"
down_revision = ("0011_inbound_pipeline", "0012_i21_kiosk_prompts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("attachments", sa.JSON(), nullable=True))
    op.create_table(
        "zalo_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("oa_id", sa.String(length=32), nullable=False),
        sa.Column("secret_key", sa.String(length=128), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sms_channels.id"],
            ondelete="CASCADE",
            name=op.f("fk_zalo_accounts_channel_id_sms_channels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_accounts")),
        sa.UniqueConstraint("channel_id", name=op.f("uq_zalo_accounts_channel_id")),
        sa.UniqueConstraint("oa_id", name=op.f("uq_zalo_accounts_oa_id")),
    )
    op.create_table(
        "zalo_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["zalo_accounts.id"],
            ondelete="CASCADE",
            name=op.f("fk_zalo_users_account_id_zalo_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_users")),
        sa.UniqueConstraint("account_id", "user_id", name=op.f("uq_zalo_users_account_id")),
    )


def downgrade() -> None:
    op.drop_table("zalo_users")
    op.drop_table("zalo_accounts")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("attachments")
