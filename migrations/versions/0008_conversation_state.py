"""conversations: per-person short-lived conversation context

Revision ID: 0008_conversation_state
Revises: 0007_dashboards
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_conversation_state"
down_revision = "0007_dashboards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_state",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("intent", sa.String(length=40), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("missing", sa.String(length=40), nullable=True),
        sa.Column("on_yes", sa.JSON(), nullable=True),
        sa.Column("on_no", sa.JSON(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            ondelete="CASCADE",
            name="fk_conversation_state_person_id_people",
        ),
        sa.PrimaryKeyConstraint("person_id", name="pk_conversation_state"),
    )


def downgrade() -> None:
    op.drop_table("conversation_state")
