"""rota: stored draft rotas (CP-SAT) and what they were solved from

Revision ID: 0005_rota_drafts
Revises: 0004_ot_offer_history
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_rota_drafts"
down_revision = "0004_ot_offer_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rota_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("gap_pct", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("shifts_added", sa.Integer(), nullable=False),
        sa.Column("shifts_removed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["home_id"], ["homes.id"], name="fk_rota_drafts_home_id_homes"),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["people.id"], name="fk_rota_drafts_created_by_id_people"
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["people.id"], name="fk_rota_drafts_published_by_id_people"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rota_drafts"),
    )
    op.create_index("ix_rota_drafts_home_id", "rota_drafts", ["home_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rota_drafts_home_id", table_name="rota_drafts")
    op.drop_table("rota_drafts")
