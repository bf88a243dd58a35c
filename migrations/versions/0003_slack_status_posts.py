"""status posts: where a request's live status was posted in Slack, for chat.update

Revision ID: 0003_status_posts
Revises: 0002_sms
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_status_posts"
down_revision = "0002_sms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("message_ref", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["coverage_requests.id"],
            name=op.f("fk_status_posts_request_id_coverage_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_posts")),
        sa.UniqueConstraint(
            "provider", "channel", "message_ref", name=op.f("uq_status_posts_provider")
        ),
    )
    op.create_index(op.f("ix_status_posts_request_id"), "status_posts", ["request_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_status_posts_request_id"), table_name="status_posts")
    op.drop_table("status_posts")
