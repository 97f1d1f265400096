"""Voice at the kiosk: a spoken opinion's recording kept as a file beside the item (its path,
SHA-256, duration and kind on the attachment) and the official's written summary.

Revision ID: 0011_i21_voice
Revises: every head before it (a merge: one head afterwards)
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_i21_voice"
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
    # Plain ADD COLUMN on both engines: batch mode would copy `items` and drop its triggers.
    op.add_column("items", sa.Column("summary", sa.Text(), nullable=True))
    op.add_column(
        "item_attachments",
        sa.Column("kind", sa.String(length=16), nullable=False, server_default="evidence"),
    )
    op.add_column("item_attachments", sa.Column("storage_path", sa.String(255), nullable=True))
    op.add_column("item_attachments", sa.Column("sha256", sa.String(64), nullable=True))
    op.add_column("item_attachments", sa.Column("duration_ms", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item_attachments") as batch:
        batch.drop_column("duration_ms")
        batch.drop_column("sha256")
        batch.drop_column("storage_path")
        batch.drop_column("kind")
    op.drop_column("items", "summary")
