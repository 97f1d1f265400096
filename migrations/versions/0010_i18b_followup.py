"""Follow-up with evidence and triage friction: responsible officer, the resident's consent,
how an item entered at the commune arrived, evidence of resolution, report-back agenda entries.

Revision ID: 0010_i18b_followup
Revises: 0009_sms_channels
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_i18b_followup"
down_revision = "0009_sms_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines (no table copy, so other heads' triggers survive).
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in one statement; Alembic would copy the
        # table (batch mode) and drop the search triggers other heads put on it.
        op.execute("ALTER TABLE items ADD COLUMN responsible_officer_id INTEGER "
                   "CONSTRAINT fk_items_responsible_officer_id_officers REFERENCES officers (id)")
    else:
        op.add_column("items", sa.Column("responsible_officer_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_items_responsible_officer_id_officers", "items", "officers",
                              ["responsible_officer_id"], ["id"])
    op.create_index("ix_items_responsible_officer_id", "items", ["responsible_officer_id"])
    op.add_column("items", sa.Column("contact_consent", sa.Boolean(), nullable=True))
    op.add_column("items", sa.Column("intake_method", sa.String(length=12), nullable=True))
    op.add_column("agenda_entries", sa.Column("report_back", sa.Boolean(), nullable=False,
                                              server_default=sa.false()))
    op.create_table(
        "item_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE",
                                name=op.f("fk_item_attachments_item_id_items")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_item_attachments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_attachments")),
    )
    op.create_index("ix_item_attachments_item_id", "item_attachments", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_item_attachments_item_id", table_name="item_attachments")
    op.drop_table("item_attachments")
    with op.batch_alter_table("agenda_entries") as batch_op:
        batch_op.drop_column("report_back")
    op.drop_index("ix_items_responsible_officer_id", table_name="items")
    with op.batch_alter_table("items") as batch_op:
        batch_op.drop_column("intake_method")
        batch_op.drop_column("contact_consent")
        batch_op.drop_constraint("fk_items_responsible_officer_id_officers", type_="foreignkey")
        batch_op.drop_column("responsible_officer_id")
