"""conversations: per-person short-lived conversation context

Revision ID: 0008_conversation_state
Revises: 0007_dashboards
"""

from __future__ import annotations

revision = "0008_conversation_state"
down_revision = "0007_dashboards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved in the chain; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo yet."""
