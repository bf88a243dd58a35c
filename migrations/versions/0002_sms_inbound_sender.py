"""inbound messages: keyed sender hash, for rate-limiting texts from unknown numbers

Revision ID: 0002_sms
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_sms"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.add_column(sa.Column("sender_hash", sa.String(length=64), nullable=True))
        batch.create_index("ix_inbound_sender_received", ["sender_hash", "received_at"])


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.drop_index("ix_inbound_sender_received")
        batch.drop_column("sender_hash")
