"""Conclusion notices as an office issues them: draft, awaiting signature, issued, replaced.

Also the dialogue's record for the notice (who chaired in what role, who attended, why no
attendance was recorded) and each agenda item's summary as the notice states it.

Revision ID: 0010_i17_notices
Revises: 0009_sms_channels
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_i17_notices"
down_revision = "0009_sms_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dialogues") as batch:
        batch.add_column(sa.Column("chair_role", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("attendees", sa.Text(), nullable=True))
        batch.add_column(sa.Column("no_attendance_reason", sa.String(length=255), nullable=True))
    with op.batch_alter_table("agenda_entries") as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=True))
    op.create_table(
        "conclusion_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("signer_name", sa.String(length=120), nullable=False),
        sa.Column("signer_role", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("symbol", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("scan", sa.LargeBinary(), nullable=True),
        sa.Column("scan_type", sa.String(length=40), nullable=True),
        sa.Column("scan_name", sa.String(length=255), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["dialogue_id"], ["dialogues.id"], ondelete="CASCADE",
                                name=op.f("fk_conclusion_notices_dialogue_id_dialogues")),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"],
                                name=op.f("fk_conclusion_notices_commune_id_communes")),
        sa.ForeignKeyConstraint(["issued_by"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_conclusion_notices_issued_by_users")),
        sa.ForeignKeyConstraint(["replaces_id"], ["conclusion_notices.id"],
                                name=op.f("fk_conclusion_notices_replaces_id_conclusion_notices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conclusion_notices")),
        sa.UniqueConstraint("commune_id", "year", "number",
                            name=op.f("uq_conclusion_notices_commune_id")),
    )
    op.create_index(op.f("ix_conclusion_notices_dialogue_id"), "conclusion_notices",
                    ["dialogue_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_conclusion_notices_dialogue_id"), table_name="conclusion_notices")
    op.drop_table("conclusion_notices")
    with op.batch_alter_table("agenda_entries") as batch:
        batch.drop_column("summary")
    with op.batch_alter_table("dialogues") as batch:
        batch.drop_column("no_attendance_reason")
        batch.drop_column("attendees")
        batch.drop_column("chair_role")
