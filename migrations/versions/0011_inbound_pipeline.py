"""The inbound pipeline: the channel a text came in on, and the workers' heartbeats.

Revision ID: 0011_inbound_pipeline
Revises: the heads before it (one head again)
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_inbound_pipeline"
down_revision = (
    "0006_admin_search",
    "0007_dialogue_followup",
    "0008_open311",
    "0010_i17_notices",
    "0010_i18_hamlet_population",
    "0010_i18b_followup",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines (no table copy, so other heads' triggers survive).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE messages ADD COLUMN sms_channel_id INTEGER "
            "CONSTRAINT fk_messages_sms_channel_id_sms_channels REFERENCES sms_channels (id)"
        )
    else:
        op.add_column("messages", sa.Column("sms_channel_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_messages_sms_channel_id_sms_channels",
            "messages",
            "sms_channels",
            ["sms_channel_id"],
            ["id"],
        )
    op.create_table(
        "worker_heartbeats",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_worker_heartbeats"),
    )
    op.create_index("ix_worker_heartbeats_seen_at", "worker_heartbeats", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_worker_heartbeats_seen_at", table_name="worker_heartbeats")
    op.drop_table("worker_heartbeats")
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint("fk_messages_sms_channel_id_sms_channels", type_="foreignkey")
        batch.drop_column("sms_channel_id")
