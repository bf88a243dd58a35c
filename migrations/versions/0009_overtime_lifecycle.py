"""overtime: withdrawals, slots for N people, agency bookings, delivery state

Revision ID: 0009_overtime_lifecycle
Revises: 0008_conversation_state
"""

from __future__ import annotations

revision = "0009_overtime_lifecycle"
down_revision = "0008_conversation_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved in the chain; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo yet."""
