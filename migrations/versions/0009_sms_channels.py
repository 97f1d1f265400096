"""SMS channels (Twilio, Android phone gateway, GSM modem) and their failed sends.

Revision ID: 0009_sms_channels
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_sms_channels"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("phone_number", sa.String(length=32), nullable=True),
        sa.Column("carrier", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("last_ping_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ping_status", sa.String(length=16), nullable=True),
        sa.Column("ping_detail", sa.JSON(), nullable=True),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"],
                                name=op.f("fk_sms_channels_commune_id_communes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_sms_channels_name")),
    )
    op.create_table(
        "sms_channel_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["sms_channels.id"], ondelete="CASCADE",
                                name=op.f("fk_sms_channel_failures_channel_id_sms_channels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_channel_failures")),
    )
    op.create_index("ix_sms_channel_failures_channel_at", "sms_channel_failures",
                    ["channel_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_sms_channel_failures_channel_at", table_name="sms_channel_failures")
    op.drop_table("sms_channel_failures")
    op.drop_table("sms_channels")
