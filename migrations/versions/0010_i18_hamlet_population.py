"""Hamlets' households and adult population, the bases of the dialogues' attendance rate.

Revision ID: 0010_i18_hamlet_population
Revises: 0009_sms_channels
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_i18_hamlet_population"
down_revision = "0009_sms_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hamlets") as batch:
        batch.add_column(sa.Column("households", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("adults", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hamlets") as batch:
        batch.drop_column("adults")
        batch.drop_column("households")
