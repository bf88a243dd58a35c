"""dashboards: one-time sign-in links and sessions

Revision ID: 0007_dashboards
Revises: 0006_swaps
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_dashboards"
down_revision = "0006_swaps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dash_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("issued_via", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_dash_links_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dash_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dash_links_token_hash")),
    )
    op.create_index("ix_dash_links_person_created", "dash_links", ["person_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_dash_links_person_created", table_name="dash_links")
    op.drop_table("dash_links")
