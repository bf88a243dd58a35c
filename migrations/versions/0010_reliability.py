"""reliability: inbound processing leases, once-only command keys, outbox leases

Revision ID: 0010_reliability
Revises: 0009_overtime_lifecycle
"""

from __future__ import annotations

revision = "0010_reliability"
down_revision = "0009_overtime_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved in the chain; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo yet."""
