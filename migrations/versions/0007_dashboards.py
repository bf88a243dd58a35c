"""dashboards: one-time sign-in links and sessions

Revision ID: 0007_dashboards
Revises: 0006_swaps
"""

from __future__ import annotations

revision = "0007_dashboards"
down_revision = "0006_swaps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved in the chain; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo yet."""
