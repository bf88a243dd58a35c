"""gaps index: approved leave overlapping a day, read from an index alone

Revision ID: 0011_gaps_index
Revises: 0010_reliability

"Who's short tomorrow?" asks which rostered people are away that day. Without this index
the approved-leave lookup reads every approved request the group ever had (about 79,000 at
ten times paper scale); with it, only requests with that status ending on or after the
day, from the index itself.
"""

from __future__ import annotations

from alembic import op

revision = "0011_gaps_index"
down_revision = "0010_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_leave_status_dates",
        "leave_requests",
        ["status", "end_date", "start_date", "person_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_leave_status_dates", table_name="leave_requests")
