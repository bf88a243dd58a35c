"""rota: stored draft rotas (CP-SAT) and what they were solved from

Revision ID: 0005_rota_drafts
Revises: 0004_ot_offer_history
"""

from __future__ import annotations

revision = "0005_rota_drafts"
down_revision = "0004_ot_offer_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved in the chain; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo yet."""
