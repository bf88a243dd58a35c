"""overtime: a covering index for per-person offer history (ranking at full scale < 50 ms)

Revision ID: 0004_ot_offer_history
Revises: 0003_status_posts
"""

from __future__ import annotations

from alembic import op

revision = "0004_ot_offer_history"
down_revision = "0003_status_posts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_offers_person_history",
        "offers",
        ["person_id", "contacted_at", "response", "responded_at", "request_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_offers_person_history", table_name="offers")
