"""Dialogues: follow-up of promised items and the overdue-notice reminder.

Revision ID: 0007_dialogue_followup
Revises: 0001_initial
"""

from alembic import op
import sqlalchemy as sa

revision = "0007_dialogue_followup"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines (no table copy, so other heads' triggers survive).
    op.add_column("items", sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("items", sa.Column("completion_note", sa.Text(), nullable=True))
    op.add_column("dialogues", sa.Column("notice_reminded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dialogues") as batch_op:
        batch_op.drop_column("notice_reminded_at")
    with op.batch_alter_table("items") as batch_op:
        batch_op.drop_column("completion_note")
        batch_op.drop_column("completed_at")
