"""swaps: shift swap and give-away requests

Revision ID: 0006_swaps
Revises: 0005_rota_drafts
"""

from __future__ import annotations

revision = "0006_swaps"
down_revision = "0005_rota_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved in the chain; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo yet."""
